package dev.pipelineworker.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.JobQueue;
import dev.pipelineworker.JobWorker;
import dev.pipelineworker.JobWorkerListener;
import dev.pipelineworker.testkit.emulator.Fault;
import dev.pipelineworker.testkit.emulator.FaultRule;
import dev.pipelineworker.testkit.emulator.JobInfo;
import dev.pipelineworker.testkit.emulator.JobSpec;
import dev.pipelineworker.testkit.emulator.Operation;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The emulator's quick worker: its report attempts are the preset's, and it keeps no journal. */
class QuickWorkerTest {

    private static final ActionTypeId TYPE = ActionTypeId.thirdParty(ActionCategory.BUILD, "QuickTool", "1");
    /** HTTP attempts of the emulator's own client per call. */
    private static final int SDK_ATTEMPTS = 3;

    @Test
    void aResultTheServiceRefusesIsSentThePresetsNumberOfTimesThenAbandoned() throws Exception {
        CompletableFuture<String> abandoned = new CompletableFuture<>();
        JobWorkerListener listener = new JobWorkerListener() {
            @Override
            public void reportAbandoned(JobQueue queue, String jobId, Throwable error) {
                abandoned.complete(jobId);
            }
        };
        try (LocalCodePipeline cp = LocalCodePipeline.builder().actionType(TYPE).start()) {
            cp.injectFault(FaultRule.withProbability(1.0, Fault.serverError(500),
                    Operation.PUT_THIRD_PARTY_JOB_SUCCESS_RESULT));
            JobInfo job = cp.enqueue(JobSpec.builder(TYPE).build());
            try (JobWorker worker = cp.quickWorkerFor(TYPE, ctx -> JobOutcome.success("done")).listener(listener)
                    .build().start()) {
                assertThat(abandoned.get(15, TimeUnit.SECONDS)).isEqualTo(job.jobId());
            }
            assertThat(cp.calls(Operation.PUT_THIRD_PARTY_JOB_SUCCESS_RESULT))
                    .as("%d report attempts of %d HTTP attempts each", LocalCodePipeline.QUICK_REPORT_ATTEMPTS,
                            SDK_ATTEMPTS)
                    .hasSize(LocalCodePipeline.QUICK_REPORT_ATTEMPTS * SDK_ATTEMPTS);
        }
    }
}

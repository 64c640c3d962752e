package dev.pipelineworker.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.JobWorker;
import dev.pipelineworker.testkit.emulator.JobInfo;
import dev.pipelineworker.testkit.emulator.JobSpec;
import dev.pipelineworker.testkit.emulator.RecordedResult;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;

/** The emulator's own clients and worker builder, for a worker under test in the test's JVM. */
class LocalCodePipelineWorkerTest {

    private static final ActionTypeId TYPE = ActionTypeId.thirdParty(ActionCategory.BUILD, "LocalTool", "1");

    @Test
    void aWorkerFromTheEmulatorServesEveryRegionItIsAskedForThroughThatRegionsClient() {
        CodePipelineClient europe;
        try (LocalCodePipeline cp = LocalCodePipeline.builder().actionType(TYPE).start()) {
            JobInfo us = cp.enqueue(JobSpec.builder(TYPE).build());
            JobInfo eu = cp.enqueue(JobSpec.builder(TYPE).region("eu-west-1").build());
            europe = cp.client("eu-west-1");

            try (JobWorker worker = cp.workerFor(TYPE, ctx -> JobOutcome.success("in " + ctx.region()))
                    .regions("us-east-1", "eu-west-1").build().start()) {
                for (JobInfo job : new JobInfo[] {us, eu}) {
                    assertThat(cp.awaitResult(job.jobId(), Duration.ofSeconds(15)))
                            .isInstanceOfSatisfying(RecordedResult.Success.class, success -> assertThat(
                                    success.executionDetails().summary()).isEqualTo("in " + job.region()));
                }
            }
            assertThat(cp.client("eu-west-1")).as("one client per region").isSameAs(europe);
            assertThat(cp.callsForJob(eu.jobId())).allSatisfy(call -> assertThat(call.region()).isEqualTo("eu-west-1"));
        }
        assertThatThrownBy(() -> europe.pollForThirdPartyJobs(r -> r.actionTypeId(t -> t.category("Build")
                .owner("ThirdParty").provider("LocalTool").version("1")).maxBatchSize(1)))
                .as("closed with the emulator").isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aClientIsOnlyHandedOutWhileTheEmulatorRuns() {
        LocalCodePipeline cp = LocalCodePipeline.builder().build();
        assertThatThrownBy(() -> cp.client("us-east-1")).isInstanceOf(IllegalStateException.class);
        cp.close();
    }
}

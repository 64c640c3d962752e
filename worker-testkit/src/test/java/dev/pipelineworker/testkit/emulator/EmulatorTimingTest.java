package dev.pipelineworker.testkit.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.FailureType;
import dev.pipelineworker.testkit.LocalCodePipeline;
import dev.pipelineworker.testkit.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;
import software.amazon.awssdk.services.codepipeline.model.Job;

/** The clock-driven parts of the emulator: continuation delay, forced timeouts, waits and reset. */
class EmulatorTimingTest {

    private static final ActionTypeId CUSTOM = ActionTypeId.custom(ActionCategory.TEST, "Timed", "1");

    private final TestClock clock = new TestClock(Instant.parse("2030-06-01T12:00:00Z"));

    private LocalCodePipeline.Builder builder() {
        return LocalCodePipeline.builder().clock(clock).random(new Random(3));
    }

    private static List<Job> poll(CodePipelineClient sdk) {
        return sdk.pollForJobs(r -> r.actionTypeId(Sdk.sdkType(CUSTOM))).jobs();
    }

    @Test
    void continuationJobAppearsOnlyAfterTheContinuationDelay() {
        try (LocalCodePipeline cp = builder().continuationDelay(Duration.ofSeconds(30)).start();
                CodePipelineClient sdk = Sdk.noRetryClient(cp.endpoint())) {
            JobInfo first = cp.enqueue(JobSpec.builder(CUSTOM).build());
            Job job = poll(sdk).get(0);
            sdk.acknowledgeJob(r -> r.jobId(job.id()).nonce(job.nonce()));
            sdk.putJobSuccessResult(r -> r.jobId(job.id()).continuationToken("page-2"));

            clock.advance(Duration.ofSeconds(29));
            assertThat(poll(sdk)).isEmpty();
            assertThat(cp.jobsForAction(first.actionExecutionId())).extracting(JobInfo::state)
                    .containsExactly(JobState.Succeeded, JobState.Created);

            clock.advance(Duration.ofSeconds(1));
            assertThat(poll(sdk)).singleElement().satisfies(next -> {
                assertThat(next.id()).isNotEqualTo(first.jobId());
                assertThat(next.data().continuationToken()).isEqualTo("page-2");
            });
        }
    }

    @Test
    void continuationJobTimeoutCountsFromWhenItAppears() {
        try (LocalCodePipeline cp = builder().continuationDelay(Duration.ofMinutes(5))
                        .jobTimeout(Duration.ofMinutes(10)).start();
                CodePipelineClient sdk = Sdk.noRetryClient(cp.endpoint())) {
            JobInfo first = cp.enqueue(JobSpec.builder(CUSTOM).build());
            Job job = poll(sdk).get(0);
            sdk.acknowledgeJob(r -> r.jobId(job.id()).nonce(job.nonce()));
            sdk.putJobSuccessResult(r -> r.jobId(job.id()).continuationToken("again"));

            clock.advance(Duration.ofMinutes(14));
            cp.applyTime();
            assertThat(cp.jobsForAction(first.actionExecutionId()).get(1).state()).isEqualTo(JobState.Queued);

            clock.advance(Duration.ofMinutes(1));
            RecordedResult result = cp.awaitFinalResult(first.actionExecutionId(), Duration.ofSeconds(1));
            assertThat(result).isInstanceOf(RecordedResult.TimedOut.class);
            assertThat(result.at()).isEqualTo(Instant.parse("2030-06-01T12:15:00Z"));
        }
    }

    @Test
    void timeOutEndsAJobAtOnce() {
        try (LocalCodePipeline cp = builder().start()) {
            JobInfo job = cp.enqueue(JobSpec.builder(CUSTOM).build());

            cp.timeOut(job.jobId());

            assertThat(cp.awaitResult(job.jobId(), Duration.ofSeconds(1))).isInstanceOf(RecordedResult.TimedOut.class);
            assertThat(cp.job(job.jobId())).get().extracting(JobInfo::state).isEqualTo(JobState.TimedOut);
        }
    }

    @Test
    void awaitFinalResultWakesUpWhenAResultArrivesFromAnotherThread() throws Exception {
        try (LocalCodePipeline cp = builder().start(); CodePipelineClient sdk = Sdk.noRetryClient(cp.endpoint())) {
            JobInfo enqueued = cp.enqueue(JobSpec.builder(CUSTOM).build());
            Thread worker = new Thread(() -> {
                Job job = poll(sdk).get(0);
                sdk.acknowledgeJob(r -> r.jobId(job.id()).nonce(job.nonce()));
                sdk.putJobFailureResult(r -> r.jobId(job.id()).failureDetails(f -> f.type("PermissionError")
                        .message("denied").externalExecutionId("ext-1")));
            });
            worker.start();

            RecordedResult result = cp.awaitFinalResult(enqueued.actionExecutionId(), Duration.ofSeconds(10));
            worker.join(10_000);

            assertThat(result).isEqualTo(new RecordedResult.Failure(enqueued.jobId(), enqueued.actionExecutionId(),
                    clock.instant(), FailureType.PERMISSION_ERROR, "denied", "ext-1"));
        }
    }

    @Test
    void awaitGivesUpWithAnAssertionErrorNamingWhatItWaitedFor() {
        try (LocalCodePipeline cp = builder().start()) {
            JobInfo job = cp.enqueue(JobSpec.builder(CUSTOM).build());

            assertThatThrownBy(() -> cp.awaitFinalResult(job.actionExecutionId(), Duration.ofMillis(50)))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining(job.actionExecutionId());
        }
    }

    @Test
    void resetForgetsJobsCallsAndRuntimeFaults() {
        try (LocalCodePipeline cp = builder().start(); CodePipelineClient sdk = Sdk.noRetryClient(cp.endpoint())) {
            cp.enqueue(JobSpec.builder(CUSTOM).build());
            cp.injectFault(FaultRule.withProbability(1.0, Fault.serverError(500)));

            cp.reset();

            assertThat(cp.jobs()).isEmpty();
            assertThat(cp.calls()).isEmpty();
            cp.registerActionType(CUSTOM);
            assertThat(poll(sdk)).isEmpty();
            assertThat(cp.calls()).singleElement().extracting(RecordedCall::status).isEqualTo(200);
        }
    }
}

package dev.pipelineworker.integration;

import static dev.pipelineworker.integration.EmulatorTestbed.SDK_MAX_ATTEMPTS;
import static dev.pipelineworker.integration.EmulatorTestbed.THIRD_PARTY_TYPE;
import static dev.pipelineworker.integration.EmulatorTestbed.job;
import static dev.pipelineworker.testkit.emulator.Operation.POLL_FOR_THIRD_PARTY_JOBS;
import static dev.pipelineworker.testkit.emulator.Operation.PUT_THIRD_PARTY_JOB_FAILURE_RESULT;
import static dev.pipelineworker.testkit.emulator.Operation.PUT_THIRD_PARTY_JOB_SUCCESS_RESULT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pipelineworker.Backoff;
import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobFailureException;
import dev.pipelineworker.JobHandler;
import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.testkit.emulator.Fault;
import dev.pipelineworker.testkit.emulator.FaultRule;
import dev.pipelineworker.testkit.emulator.JobInfo;
import dev.pipelineworker.testkit.emulator.RecordedCall;
import dev.pipelineworker.testkit.emulator.RecordedResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.codepipeline.model.CodePipelineException;

/** Throttled and failing polls, results that fail transiently, and results CodePipeline no longer accepts. */
class ErrorHandlingTest extends EmulatorTest {

    private static final Duration SLOW = Duration.ofMillis(300);

    /** The gap between poll request {@code n} (1-based) and the next is at least the slow backoff less its jitter. */
    private void assertBackedOffAfterAttempt(int n) {
        List<Instant> times = cp.calls(POLL_FOR_THIRD_PARTY_JOBS).stream().map(RecordedCall::at).toList();
        assertThat(Duration.between(times.get(n - 1), times.get(n)))
                .as("wait after poll request %d", n).isGreaterThanOrEqualTo(SLOW.multipliedBy(8).dividedBy(10).minusMillis(5));
    }

    /** Queues a job that the poll hands out once its next {@code count} calls met {@code fault}. */
    private JobInfo pollAfter(String execution, int count, Fault fault) {
        cp.emulator().injectFault(FaultRule.nextCalls(count, fault, POLL_FOR_THIRD_PARTY_JOBS));
        return cp.enqueue(job(THIRD_PARTY_TYPE, execution));
    }

    /** A handler that waits in the job until the test has changed what CodePipeline knows of it. */
    private static JobHandler heldUntil(CountDownLatch running, CountDownLatch release, JobHandler then) {
        return context -> {
            running.countDown();
            assertThat(release.await(10, TimeUnit.SECONDS)).isTrue();
            return then.handle(context);
        };
    }

    @Test
    void throttlingTheSdkAbsorbsIsInvisibleToTheWorker() {
        JobInfo job = pollAfter("exec-throttled", 2, Fault.throttling());
        cp.start(cp.thirdPartyWorker(context -> JobOutcome.success()));

        cp.awaitCall(PUT_THIRD_PARTY_JOB_SUCCESS_RESULT, job.jobId());
        // Two throttled attempts and the successful third were one SDK call: the worker saw no failed poll.
        assertThat(cp.listener().count("pollFailed:")).isZero();
        assertThat(cp.listener().events()).contains("claimed:" + job.jobId(), "polled:8:1");
        assertThat(cp.calls(POLL_FOR_THIRD_PARTY_JOBS)).filteredOn(RecordedCall::faultInjected).hasSize(2);
    }

    @Test
    void throttlingBeyondTheSdkRetriesBacksOffAndKeepsPolling() {
        JobInfo job = pollAfter("exec-late", SDK_MAX_ATTEMPTS * 2, Fault.throttling());
        cp.start(cp.thirdPartyWorker(context -> JobOutcome.success())
                .throttleBackoff(Backoff.exponential(SLOW, SLOW))
                .errorBackoff(Backoff.exponential(Duration.ofMillis(1), Duration.ofMillis(1))));

        cp.awaitCall(PUT_THIRD_PARTY_JOB_SUCCESS_RESULT, job.jobId());
        // Each failed poll is one SDK call that exhausted its attempts on throttling.
        assertThat(cp.listener().events()).filteredOn(e -> e.startsWith("pollFailed:"))
                .containsExactly("pollFailed:throttled", "pollFailed:throttled");
        assertThat(cp.listener().errors()).first().isInstanceOfSatisfying(CodePipelineException.class,
                e -> assertThat(e.isThrottlingException()).isTrue());
        assertThat(cp.calls(POLL_FOR_THIRD_PARTY_JOBS).size()).isGreaterThanOrEqualTo(SDK_MAX_ATTEMPTS * 2 + 1);
        assertThat(cp.listener().events()).contains("claimed:" + job.jobId());
        // The worker waited its throttle backoff (not the error backoff) after each throttled poll.
        assertBackedOffAfterAttempt(SDK_MAX_ATTEMPTS);
        assertBackedOffAfterAttempt(SDK_MAX_ATTEMPTS * 2);
    }

    @Test
    void aPollFailingAfterTheSdkRetriesBacksOffAndKeepsPolling() {
        JobInfo job = pollAfter("exec-after-outage", SDK_MAX_ATTEMPTS, Fault.serverError(503));
        cp.start(cp.thirdPartyWorker(context -> JobOutcome.success())
                .errorBackoff(Backoff.exponential(SLOW, SLOW))
                .throttleBackoff(Backoff.exponential(Duration.ofMillis(1), Duration.ofMillis(1))));

        cp.awaitCall(PUT_THIRD_PARTY_JOB_SUCCESS_RESULT, job.jobId());
        assertThat(cp.listener().events()).filteredOn(e -> e.startsWith("pollFailed:"))
                .containsExactly("pollFailed:error");
        assertThat(cp.listener().events()).contains("claimed:" + job.jobId());
        assertBackedOffAfterAttempt(SDK_MAX_ATTEMPTS);
    }

    @Test
    void aResultThatFailsTransientlyIsRetriedUntilAccepted() {
        JobInfo job = cp.enqueue(job(THIRD_PARTY_TYPE, "exec-flaky-put"));
        // The first SDK call gives up after its attempts; the reporter's second call succeeds on its second attempt.
        cp.emulator().injectFault(FaultRule.nextCalls(SDK_MAX_ATTEMPTS + 1, Fault.serverError(503),
                PUT_THIRD_PARTY_JOB_SUCCESS_RESULT));
        cp.start(cp.thirdPartyWorker(context -> JobOutcome.success("ok")));

        await("succeeded").until(() -> cp.listener().has("succeeded:" + job.jobId()));
        assertThat(cp.bodies(PUT_THIRD_PARTY_JOB_SUCCESS_RESULT, job.jobId())).hasSize(SDK_MAX_ATTEMPTS + 2)
                .allSatisfy(put -> assertThat(put.path("executionDetails").path("summary").asText()).isEqualTo("ok"));
        assertThat(cp.listener().events()).filteredOn(e -> e.startsWith("retried:"))
                .containsExactly("retried:" + job.jobId() + ":2");
        assertThat(cp.listener().count("abandoned:")).isZero();
        assertThat(cp.emulator().resultsForJob(job.jobId())).singleElement().isInstanceOf(RecordedResult.Success.class);
    }

    @Test
    void aResultThatKeepsFailingIsAbandonedAfterBoundedAttempts() {
        JobInfo job = cp.enqueue(job(THIRD_PARTY_TYPE, "exec-down"));
        cp.emulator().injectFault(FaultRule.withProbability(1.0, Fault.serverError(500),
                PUT_THIRD_PARTY_JOB_SUCCESS_RESULT));
        cp.start(cp.thirdPartyWorker(context -> JobOutcome.success()));

        await("abandoned").until(() -> cp.listener().count("abandoned:" + job.jobId()) == 1);
        // Three reporter attempts (builder preset), each one SDK call of three HTTP attempts.
        assertThat(cp.calls(PUT_THIRD_PARTY_JOB_SUCCESS_RESULT)).hasSize(3 * SDK_MAX_ATTEMPTS);
        assertThat(cp.listener().events()).filteredOn(e -> e.startsWith("retried:"))
                .containsExactly("retried:" + job.jobId() + ":2", "retried:" + job.jobId() + ":3");
        assertThat(cp.listener().events()).doesNotContain("succeeded:" + job.jobId());
        assertThat(cp.emulator().resultsForJob(job.jobId())).isEmpty();
    }

    @Test
    void aJobCodePipelineNoLongerKnowsIsNotReportedAgain() throws Exception {
        JobInfo job = cp.enqueue(job(THIRD_PARTY_TYPE, "exec-gone"));
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        cp.start(cp.thirdPartyWorker(heldUntil(running, release, context -> JobOutcome.success())));

        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        // CodePipeline forgets the job (and the emulator its calls so far) while the handler runs.
        cp.emulator().reset();
        release.countDown();

        await("abandoned").until(() -> cp.listener().has("abandoned:" + job.jobId() + ":JobNotFoundException"));
        int polls = cp.calls(POLL_FOR_THIRD_PARTY_JOBS).size();
        cp.awaitCalls(POLL_FOR_THIRD_PARTY_JOBS, polls + 2);
        assertThat(cp.calls(PUT_THIRD_PARTY_JOB_SUCCESS_RESULT)).singleElement()
                .satisfies(put -> assertThat(put.errorType()).isEqualTo("JobNotFoundException"));
        assertThat(cp.calls(PUT_THIRD_PARTY_JOB_FAILURE_RESULT)).isEmpty();
        assertThat(cp.listener().count("retried:")).isZero();
        assertThat(cp.listener().events()).doesNotContain("succeeded:" + job.jobId());
    }

    @Test
    void aFailureForAJobNoLongerWaitingIsNotReportedAgain() throws Exception {
        JobInfo job = cp.enqueue(job(THIRD_PARTY_TYPE, "exec-stale"));
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        cp.start(cp.thirdPartyWorker(heldUntil(running, release, context -> {
            throw new JobFailureException(FailureType.REVISION_UNAVAILABLE, "revision gone");
        })));

        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        // The job times out while the handler runs: it no longer waits for a result.
        cp.emulator().timeOut(job.jobId());
        release.countDown();

        await("abandoned").until(() -> cp.listener().has("abandoned:" + job.jobId() + ":InvalidJobStateException"));
        int polls = cp.calls(POLL_FOR_THIRD_PARTY_JOBS).size();
        cp.awaitCalls(POLL_FOR_THIRD_PARTY_JOBS, polls + 2);
        assertThat(cp.calls(PUT_THIRD_PARTY_JOB_FAILURE_RESULT)).singleElement().satisfies(put -> {
            assertThat(put.errorType()).isEqualTo("InvalidJobStateException");
            assertThat(EmulatorTestbed.body(put).path("failureDetails").path("type").asText())
                    .isEqualTo("RevisionUnavailable");
        });
        assertThat(cp.calls(PUT_THIRD_PARTY_JOB_SUCCESS_RESULT)).isEmpty();
        assertThat(cp.listener().count("retried:")).isZero();
        assertThat(cp.listener().count("failed:")).isZero();
        assertThat(cp.emulator().resultsForJob(job.jobId())).singleElement().isInstanceOf(RecordedResult.TimedOut.class);
    }
}

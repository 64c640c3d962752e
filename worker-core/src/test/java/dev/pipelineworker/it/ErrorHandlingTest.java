package dev.pipelineworker.it;

import static dev.pipelineworker.it.CodePipelineWireMock.CLIENT_ID;
import static dev.pipelineworker.it.CodePipelineWireMock.GET_THIRD_PARTY_DETAILS;
import static dev.pipelineworker.it.CodePipelineWireMock.POLL_THIRD_PARTY;
import static dev.pipelineworker.it.CodePipelineWireMock.PUT_THIRD_PARTY_FAILURE;
import static dev.pipelineworker.it.CodePipelineWireMock.PUT_THIRD_PARTY_SUCCESS;
import static dev.pipelineworker.it.CodePipelineWireMock.SDK_MAX_ATTEMPTS;
import static dev.pipelineworker.it.CodePipelineWireMock.THIRD_PARTY_TYPE;
import static dev.pipelineworker.it.CodePipelineWireMock.await;
import static dev.pipelineworker.it.CodePipelineWireMock.awsError;
import static dev.pipelineworker.it.CodePipelineWireMock.jobData;
import static dev.pipelineworker.it.CodePipelineWireMock.jobs;
import static dev.pipelineworker.it.CodePipelineWireMock.ok;
import static dev.pipelineworker.it.CodePipelineWireMock.serverError;
import static dev.pipelineworker.it.CodePipelineWireMock.thirdPartyDetails;
import static dev.pipelineworker.it.CodePipelineWireMock.thirdPartyJob;
import static dev.pipelineworker.it.CodePipelineWireMock.throttled;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.pipelineworker.Backoff;
import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobFailureException;
import dev.pipelineworker.JobOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.codepipeline.model.CodePipelineException;

/** Throttled and failing polls, results that fail transiently, and results CodePipeline no longer accepts. */
class ErrorHandlingTest extends WireMockCodePipelineTest {




    private static final Duration SLOW = Duration.ofMillis(300);

    /** The gap between poll request {@code n} (1-based) and the next is at least the slow backoff less its jitter. */
    private void assertBackedOffAfterAttempt(int n) {
        List<Instant> times = cp.requestTimes(POLL_THIRD_PARTY);
        assertThat(Duration.between(times.get(n - 1), times.get(n)))
                .as("wait after poll request %d", n).isGreaterThanOrEqualTo(SLOW.multipliedBy(8).dividedBy(10).minusMillis(5));
    }

    /** The poll answers {@code before...}, then returns the job once; its details are stubbed. */
    private void pollAfter(String jobId, ResponseDefinitionBuilder... before) {
        cp.stubForJob(GET_THIRD_PARTY_DETAILS, jobId,
                ok(thirdPartyDetails(jobId, "nonce-" + jobId, jobData(THIRD_PARTY_TYPE, "exec-" + jobId, Map.of(), null))));
        ResponseDefinitionBuilder[] all = java.util.Arrays.copyOf(before, before.length + 1);
        all[before.length] = ok(jobs(thirdPartyJob(jobId, CLIENT_ID)));
        cp.stubSequence(POLL_THIRD_PARTY, all);
    }

    @Test
    void throttlingTheSdkAbsorbsIsInvisibleToTheWorker() {
        pollAfter("tp-throttled", throttled(), throttled());
        cp.start(cp.thirdPartyWorker(context -> JobOutcome.success()));

        cp.awaitRequest(PUT_THIRD_PARTY_SUCCESS, "tp-throttled");
        // Two throttled attempts and the successful third were one SDK call: the worker saw no failed poll.
        assertThat(cp.listener().count("pollFailed:")).isZero();
        assertThat(cp.listener().events()).contains("claimed:tp-throttled", "polled:8:1");
    }

    @Test
    void throttlingBeyondTheSdkRetriesBacksOffAndKeepsPolling() {
        ResponseDefinitionBuilder[] throttles = new ResponseDefinitionBuilder[SDK_MAX_ATTEMPTS * 2];
        java.util.Arrays.fill(throttles, throttled());
        pollAfter("tp-late", throttles);
        cp.start(cp.thirdPartyWorker(context -> JobOutcome.success())
                .throttleBackoff(Backoff.exponential(SLOW, SLOW))
                .errorBackoff(Backoff.exponential(Duration.ofMillis(1), Duration.ofMillis(1))));

        cp.awaitRequest(PUT_THIRD_PARTY_SUCCESS, "tp-late");
        // Each failed poll is one SDK call that exhausted its attempts on throttling.
        assertThat(cp.listener().events()).filteredOn(e -> e.startsWith("pollFailed:"))
                .containsExactly("pollFailed:throttled", "pollFailed:throttled");
        assertThat(cp.listener().errors()).first().isInstanceOfSatisfying(CodePipelineException.class,
                e -> assertThat(e.isThrottlingException()).isTrue());
        assertThat(cp.requests(POLL_THIRD_PARTY).size()).isGreaterThanOrEqualTo(SDK_MAX_ATTEMPTS * 2 + 1);
        assertThat(cp.listener().events()).contains("claimed:tp-late");
        // The worker waited its throttle backoff (not the error backoff) after each throttled poll.
        assertBackedOffAfterAttempt(SDK_MAX_ATTEMPTS);
        assertBackedOffAfterAttempt(SDK_MAX_ATTEMPTS * 2);
    }

    @Test
    void aPollFailingAfterTheSdkRetriesBacksOffAndKeepsPolling() {
        ResponseDefinitionBuilder[] outage = new ResponseDefinitionBuilder[SDK_MAX_ATTEMPTS];
        java.util.Arrays.fill(outage, serverError(503));
        pollAfter("tp-after-outage", outage);
        cp.start(cp.thirdPartyWorker(context -> JobOutcome.success())
                .errorBackoff(Backoff.exponential(SLOW, SLOW))
                .throttleBackoff(Backoff.exponential(Duration.ofMillis(1), Duration.ofMillis(1))));

        cp.awaitRequest(PUT_THIRD_PARTY_SUCCESS, "tp-after-outage");
        assertThat(cp.listener().events()).filteredOn(e -> e.startsWith("pollFailed:"))
                .containsExactly("pollFailed:error");
        assertThat(cp.listener().events()).contains("claimed:tp-after-outage");
        assertBackedOffAfterAttempt(SDK_MAX_ATTEMPTS);
    }

    @Test
    void aResultThatFailsTransientlyIsRetriedUntilAccepted() {
        pollAfter("tp-flaky-put");
        // The first SDK call gives up after its attempts; the reporter's second call succeeds on its second attempt.
        ResponseDefinitionBuilder[] failures = new ResponseDefinitionBuilder[SDK_MAX_ATTEMPTS + 1];
        java.util.Arrays.fill(failures, serverError(503));
        cp.stubSequence(PUT_THIRD_PARTY_SUCCESS, failures);
        cp.start(cp.thirdPartyWorker(context -> JobOutcome.success("ok")));

        await("succeeded", () -> cp.listener().has("succeeded:tp-flaky-put"));
        assertThat(cp.requests(PUT_THIRD_PARTY_SUCCESS, "tp-flaky-put")).hasSize(SDK_MAX_ATTEMPTS + 2)
                .allSatisfy(put -> assertThat(put.path("executionDetails").path("summary").asText()).isEqualTo("ok"));
        assertThat(cp.listener().events()).filteredOn(e -> e.startsWith("retried:"))
                .containsExactly("retried:tp-flaky-put:2");
        assertThat(cp.listener().count("abandoned:")).isZero();
    }

    @Test
    void aResultThatKeepsFailingIsAbandonedAfterBoundedAttempts() {
        pollAfter("tp-down");
        cp.stub(PUT_THIRD_PARTY_SUCCESS, serverError(500));
        cp.start(cp.thirdPartyWorker(context -> JobOutcome.success()));

        await("abandoned", () -> cp.listener().count("abandoned:tp-down") == 1);
        // Three reporter attempts (builder preset), each one SDK call of three HTTP attempts.
        assertThat(cp.requests(PUT_THIRD_PARTY_SUCCESS)).hasSize(3 * SDK_MAX_ATTEMPTS);
        assertThat(cp.listener().events()).filteredOn(e -> e.startsWith("retried:"))
                .containsExactly("retried:tp-down:2", "retried:tp-down:3");
        assertThat(cp.listener().events()).doesNotContain("succeeded:tp-down");
    }

    @Test
    void aJobCodePipelineNoLongerKnowsIsNotReportedAgain() {
        pollAfter("tp-gone");
        cp.stubForJob(PUT_THIRD_PARTY_SUCCESS, "tp-gone", awsError("JobNotFoundException", "no such job"));
        cp.start(cp.thirdPartyWorker(context -> JobOutcome.success()));

        await("abandoned", () -> cp.listener().has("abandoned:tp-gone:JobNotFoundException"));
        int polls = cp.requests(POLL_THIRD_PARTY).size();
        cp.awaitCalls(POLL_THIRD_PARTY, polls + 2);
        assertThat(cp.requests(PUT_THIRD_PARTY_SUCCESS)).hasSize(1);
        assertThat(cp.requests(PUT_THIRD_PARTY_FAILURE)).isEmpty();
        assertThat(cp.listener().count("retried:")).isZero();
        assertThat(cp.listener().events()).doesNotContain("succeeded:tp-gone");
    }

    @Test
    void aFailureForAJobNoLongerWaitingIsNotReportedAgain() {
        pollAfter("tp-stale");
        cp.stubForJob(PUT_THIRD_PARTY_FAILURE, "tp-stale", awsError("InvalidJobStateException", "job is Succeeded"));
        cp.start(cp.thirdPartyWorker(context -> {
            throw new JobFailureException(FailureType.REVISION_UNAVAILABLE, "revision gone");
        }));

        await("abandoned", () -> cp.listener().has("abandoned:tp-stale:InvalidJobStateException"));
        int polls = cp.requests(POLL_THIRD_PARTY).size();
        cp.awaitCalls(POLL_THIRD_PARTY, polls + 2);
        assertThat(cp.requests(PUT_THIRD_PARTY_FAILURE)).hasSize(1);
        assertThat(cp.requests(PUT_THIRD_PARTY_FAILURE).get(0).path("failureDetails").path("type").asText())
                .isEqualTo("RevisionUnavailable");
        assertThat(cp.requests(PUT_THIRD_PARTY_SUCCESS)).isEmpty();
        assertThat(cp.listener().count("retried:")).isZero();
        assertThat(cp.listener().count("failed:")).isZero();
    }
}

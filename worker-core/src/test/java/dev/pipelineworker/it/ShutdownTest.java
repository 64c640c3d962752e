package dev.pipelineworker.it;

import static dev.pipelineworker.it.CodePipelineWireMock.ACK_THIRD_PARTY;
import static dev.pipelineworker.it.CodePipelineWireMock.CLIENT_ID;
import static dev.pipelineworker.it.CodePipelineWireMock.GET_THIRD_PARTY_DETAILS;
import static dev.pipelineworker.it.CodePipelineWireMock.POLL_THIRD_PARTY;
import static dev.pipelineworker.it.CodePipelineWireMock.PUT_THIRD_PARTY_FAILURE;
import static dev.pipelineworker.it.CodePipelineWireMock.PUT_THIRD_PARTY_SUCCESS;
import static dev.pipelineworker.it.CodePipelineWireMock.THIRD_PARTY_TYPE;
import static dev.pipelineworker.it.CodePipelineWireMock.await;
import static dev.pipelineworker.it.CodePipelineWireMock.jobData;
import static dev.pipelineworker.it.CodePipelineWireMock.jobs;
import static dev.pipelineworker.it.CodePipelineWireMock.ok;
import static dev.pipelineworker.it.CodePipelineWireMock.thirdPartyDetails;
import static dev.pipelineworker.it.CodePipelineWireMock.thirdPartyJob;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.JobWorker;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Shutting down with jobs in flight: drain within the grace period, fail the rest, claim nothing new. */
class ShutdownTest extends WireMockCodePipelineTest {


    private final CountDownLatch releaseHandler = new CountDownLatch(1);

    @AfterEach
    void releaseTheHandler() {
        releaseHandler.countDown();
    }

    @Test
    void closeLetsARunningJobFinishAndReport() throws Exception {
        cp.stubThirdPartyJob("tp-drain", CLIENT_ID, "nonce-1", jobData(THIRD_PARTY_TYPE, "exec-1", Map.of(), null));
        CountDownLatch started = new CountDownLatch(1);
        JobWorker worker = cp.start(cp.thirdPartyWorker(context -> {
            started.countDown();
            Thread.sleep(300);
            return JobOutcome.success("drained");
        }).shutdownGrace(Duration.ofSeconds(3)));

        await("handler started", () -> started.getCount() == 0);
        long closeStarted = System.nanoTime();
        worker.close();
        long closeMillis = (System.nanoTime() - closeStarted) / 1_000_000;

        // close() returned only after the running job was reported.
        JsonNode put = cp.requests(PUT_THIRD_PARTY_SUCCESS, "tp-drain").stream().findFirst().orElseThrow(
                () -> new AssertionError("no success result when close() returned"));
        assertThat(put.path("executionDetails").path("summary").asText()).isEqualTo("drained");
        assertThat(cp.requests(PUT_THIRD_PARTY_FAILURE)).isEmpty();
        assertThat(closeMillis).isLessThan(3_000);
        assertThat(worker.isRunning()).isFalse();
        assertThat(worker.inFlightJobs()).isZero();
        assertThat(cp.listener().events()).contains("succeeded:tp-drain");
        // No more polling once closed.
        int polls = cp.requests(POLL_THIRD_PARTY).size();
        Thread.sleep(100);
        assertThat(cp.requests(POLL_THIRD_PARTY)).as("polls after close").hasSize(polls);
    }

    @Test
    void aJobThatOutlivesTheGracePeriodIsFailedAsSystemUnavailable() throws Exception {
        cp.stubThirdPartyJob("tp-stuck", CLIENT_ID, "nonce-1", jobData(THIRD_PARTY_TYPE, "exec-1", Map.of(), null));
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch finished = new CountDownLatch(1);
        JobWorker worker = cp.start(cp.thirdPartyWorker(context -> {
            started.countDown();
            try {
                // Ignores interrupts: only the test lets it go.
                while (true) {
                    try {
                        if (releaseHandler.await(10, TimeUnit.SECONDS)) {
                            return JobOutcome.success("too late");
                        }
                    } catch (InterruptedException ignored) {
                        // keep going
                    }
                }
            } finally {
                finished.countDown();
            }
        }).shutdownGrace(Duration.ofMillis(200)));

        await("handler started", () -> started.getCount() == 0);
        long closeStarted = System.nanoTime();
        worker.close();
        long closeMillis = (System.nanoTime() - closeStarted) / 1_000_000;

        JsonNode failure = cp.requests(PUT_THIRD_PARTY_FAILURE, "tp-stuck").stream().findFirst().orElseThrow(
                () -> new AssertionError("no failure result when close() returned")).path("failureDetails");
        assertThat(failure.path("type").asText()).isEqualTo("SystemUnavailable");
        assertThat(failure.path("message").asText()).isEqualTo("worker shutting down");
        assertThat(closeMillis).isBetween(150L, 3_000L);
        assertThat(cp.listener().events()).contains("failed:tp-stuck:SystemUnavailable");

        // The handler's late return is dropped: still exactly one result.
        releaseHandler.countDown();
        assertThat(finished.await(5, TimeUnit.SECONDS)).isTrue();
        await("handler finished", () -> cp.listener().has("handlerFinished:tp-stuck"));
        assertThat(cp.allReports()).hasSize(1);
    }

    @Test
    void noJobIsAcknowledgedOnceShutdownBegins() throws Exception {
        // The details call is slow, so shutdown begins between reading the details and acknowledging.
        cp.stubForJob(GET_THIRD_PARTY_DETAILS, "tp-late-claim", ok(thirdPartyDetails("tp-late-claim", "nonce-1",
                jobData(THIRD_PARTY_TYPE, "exec-1", Map.of(), null))).withFixedDelay(700));
        cp.stubSequence(POLL_THIRD_PARTY, ok(jobs(thirdPartyJob("tp-late-claim", CLIENT_ID))));
        AtomicInteger runs = new AtomicInteger();
        JobWorker worker = cp.start(cp.thirdPartyWorker(context -> {
            runs.incrementAndGet();
            return JobOutcome.success();
        }));

        cp.awaitRequest(GET_THIRD_PARTY_DETAILS, "tp-late-claim");
        assertThat(cp.requests(ACK_THIRD_PARTY)).isEmpty();
        worker.shutdown();
        assertThat(worker.awaitTermination(Duration.ofSeconds(5))).isTrue();

        assertThat(cp.requests(ACK_THIRD_PARTY)).isEmpty();
        assertThat(cp.allReports()).isEmpty();
        assertThat(runs).hasValue(0);
        assertThat(cp.listener().events()).doesNotContain("claimed:tp-late-claim");
        int polls = cp.requests(POLL_THIRD_PARTY).size();
        Thread.sleep(100);
        assertThat(cp.requests(POLL_THIRD_PARTY)).as("polls after termination").hasSize(polls);
    }

    @Test
    void shutdownDuringAPollIsNotAPollFailure() {
        // The poll is slow to answer, so shutdown begins while it is on the wire.
        cp.stub(POLL_THIRD_PARTY, ok(jobs()).withFixedDelay(300));
        JobWorker worker = cp.start(cp.thirdPartyWorker(context -> JobOutcome.success()));

        cp.awaitCalls(POLL_THIRD_PARTY, 1);
        worker.close();

        assertThat(cp.listener().events()).as("listener events").noneMatch(e -> e.startsWith("pollFailed:"));
        assertThat(cp.requests(POLL_THIRD_PARTY)).hasSize(1);
    }
}

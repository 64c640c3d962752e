package dev.pipelineworker.integration;

import static dev.pipelineworker.integration.EmulatorTestbed.THIRD_PARTY_TYPE;
import static dev.pipelineworker.integration.EmulatorTestbed.job;
import static dev.pipelineworker.testkit.emulator.Operation.ACKNOWLEDGE_THIRD_PARTY_JOB;
import static dev.pipelineworker.testkit.emulator.Operation.GET_THIRD_PARTY_JOB_DETAILS;
import static dev.pipelineworker.testkit.emulator.Operation.POLL_FOR_THIRD_PARTY_JOBS;
import static dev.pipelineworker.testkit.emulator.Operation.PUT_THIRD_PARTY_JOB_FAILURE_RESULT;
import static dev.pipelineworker.testkit.emulator.Operation.PUT_THIRD_PARTY_JOB_SUCCESS_RESULT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.JobWorker;
import dev.pipelineworker.testkit.emulator.Fault;
import dev.pipelineworker.testkit.emulator.FaultRule;
import dev.pipelineworker.testkit.emulator.JobInfo;
import dev.pipelineworker.testkit.emulator.JobState;
import dev.pipelineworker.testkit.emulator.RecordedResult;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Shutting down with jobs in flight: drain within the grace period, fail the rest, claim nothing new. */
class ShutdownTest extends EmulatorTest {

    private final CountDownLatch releaseHandler = new CountDownLatch(1);
    private final ExecutorService jobThreads = Executors.newFixedThreadPool(2);

    @AfterEach
    void releaseTheHandler() {
        releaseHandler.countDown();
        jobThreads.shutdownNow();
    }

    /** No poll of the closed worker while an idle worker with the same backoff polls five times. */
    private void assertNoMorePolls(PollClock clock, String when) {
        int polls = cp.calls(POLL_FOR_THIRD_PARTY_JOBS).size();
        clock.awaitTicks(5);
        assertThat(cp.calls(POLL_FOR_THIRD_PARTY_JOBS)).as("polls " + when).hasSize(polls);
    }

    @Test
    void closeLetsARunningJobFinishAndReport() throws Exception {
        PollClock clock = cp.pollClock();
        JobInfo job = cp.enqueue(job(THIRD_PARTY_TYPE, "exec-drain"));
        CountDownLatch started = new CountDownLatch(1);
        JobWorker worker = cp.start(cp.thirdPartyWorker(context -> {
            started.countDown();
            Thread.sleep(300); // still working when close() begins
            return JobOutcome.success("drained");
        }).shutdownGrace(Duration.ofSeconds(3)));

        assertThat(started.await(10, TimeUnit.SECONDS)).as("handler started").isTrue();
        long closeStarted = System.nanoTime();
        worker.close();
        long closeMillis = (System.nanoTime() - closeStarted) / 1_000_000;

        // close() returned only after the running job was reported (the emulator records a call before answering).
        assertThat(cp.calls(PUT_THIRD_PARTY_JOB_SUCCESS_RESULT, job.jobId()))
                .as("success results when close() returned").singleElement();
        assertThat(cp.emulator().resultsForJob(job.jobId())).singleElement()
                .isInstanceOfSatisfying(RecordedResult.Success.class,
                        s -> assertThat(s.executionDetails().summary()).isEqualTo("drained"));
        assertThat(cp.calls(PUT_THIRD_PARTY_JOB_FAILURE_RESULT)).isEmpty();
        assertThat(closeMillis).isLessThan(3_000);
        assertThat(worker.isRunning()).isFalse();
        assertThat(worker.inFlightJobs()).isZero();
        assertThat(cp.listener().events()).contains("succeeded:" + job.jobId());
        assertNoMorePolls(clock, "after close");
    }

    @Test
    void aJobThatOutlivesTheGracePeriodIsFailedAsSystemUnavailable() throws Exception {
        JobInfo job = cp.enqueue(job(THIRD_PARTY_TYPE, "exec-stuck"));
        CountDownLatch started = new CountDownLatch(1);
        JobWorker worker = cp.start(cp.thirdPartyWorker(context -> {
            started.countDown();
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
        }).shutdownGrace(Duration.ofMillis(200)).executor(jobThreads));

        assertThat(started.await(10, TimeUnit.SECONDS)).as("handler started").isTrue();
        long closeStarted = System.nanoTime();
        worker.close();
        long closeMillis = (System.nanoTime() - closeStarted) / 1_000_000;

        assertThat(cp.emulator().resultsForJob(job.jobId())).as("results when close() returned").singleElement()
                .isInstanceOfSatisfying(RecordedResult.Failure.class, failure -> {
                    assertThat(failure.type()).isEqualTo(FailureType.SYSTEM_UNAVAILABLE);
                    assertThat(failure.message()).isEqualTo("worker shutting down");
                });
        assertThat(closeMillis).isBetween(150L, 3_000L);
        assertThat(cp.listener().events()).contains("failed:" + job.jobId() + ":SystemUnavailable");

        // The handler's late return is dropped: once its thread is done, still exactly one result.
        releaseHandler.countDown();
        await("handler finished").until(() -> cp.listener().has("handlerFinished:" + job.jobId()));
        jobThreads.shutdown();
        assertThat(jobThreads.awaitTermination(10, TimeUnit.SECONDS)).as("job threads finished").isTrue();
        assertThat(cp.resultCalls()).hasSize(1);
        assertThat(cp.emulator().resultsForJob(job.jobId())).hasSize(1);
    }

    @Test
    void noJobIsAcknowledgedOnceShutdownBegins() throws Exception {
        PollClock clock = cp.pollClock();
        // The details call is slow, so shutdown begins between reading the details and acknowledging.
        cp.emulator().injectFault(FaultRule.nextCalls(1, Fault.latency(Duration.ofMillis(700)),
                GET_THIRD_PARTY_JOB_DETAILS));
        JobInfo job = cp.enqueue(job(THIRD_PARTY_TYPE, "exec-late-claim"));
        AtomicInteger runs = new AtomicInteger();
        JobWorker worker = cp.start(cp.thirdPartyWorker(context -> {
            runs.incrementAndGet();
            return JobOutcome.success();
        }));

        cp.awaitSent(GET_THIRD_PARTY_JOB_DETAILS.wireName());
        worker.shutdown();
        assertThat(worker.awaitTermination(Duration.ofSeconds(5))).isTrue();

        assertThat(cp.calls(ACKNOWLEDGE_THIRD_PARTY_JOB)).isEmpty();
        assertThat(cp.resultCalls()).isEmpty();
        assertThat(runs).hasValue(0);
        assertThat(cp.listener().events()).doesNotContain("claimed:" + job.jobId());
        assertThat(cp.emulator().job(job.jobId())).get().extracting(JobInfo::state)
                .as("left for other workers").isEqualTo(JobState.Dispatched);
        assertNoMorePolls(clock, "after termination");
    }

    @Test
    void shutdownDuringAPollIsNotAPollFailure() {
        // The poll is slow to answer, so shutdown begins while it is on the wire.
        cp.emulator().injectFault(FaultRule.withProbability(1.0, Fault.latency(Duration.ofMillis(300)),
                POLL_FOR_THIRD_PARTY_JOBS));
        JobWorker worker = cp.start(cp.thirdPartyWorker(context -> JobOutcome.success()));

        cp.awaitSent(POLL_FOR_THIRD_PARTY_JOBS.wireName());
        worker.close();

        assertThat(cp.listener().events()).as("listener events").noneMatch(e -> e.startsWith("pollFailed:"));
        assertThat(cp.sent().count(POLL_FOR_THIRD_PARTY_JOBS.wireName())).as("polls sent").isEqualTo(1);
    }
}

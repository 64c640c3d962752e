package dev.pipelineworker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.codepipeline.model.JobStatus;

/**
 * Claiming, dispatching and shutting down, seen through the public API against a CodePipeline that answers as
 * the test says: what runs, how often, and what a shutdown does to what still runs.
 */
class JobWorkerLifecycleTest {

    private static final ActionTypeId TYPE = ActionTypeId.custom(ActionCategory.BUILD, "Lifecycle", "1");
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final CustomJobsFake codePipeline = new CustomJobsFake();
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch running = new CountDownLatch(1);
    private final CountDownLatch interrupted = new CountDownLatch(1);
    private JobWorker worker;

    @AfterEach
    void stop() {
        release.countDown();
        if (worker != null) {
            worker.close();
        }
    }

    /** A handler that says it runs, then waits for the test's release and says whether it was interrupted. */
    private JobHandler untilReleased() {
        return context -> {
            running.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                interrupted.countDown();
                throw e;
            }
            return JobOutcome.success();
        };
    }

    private JobWorker.Builder builder(JobHandler handler, Duration grace) {
        return JobWorker.builder(TYPE, handler).codePipelineClient(codePipeline)
                .outcomeJournal(OutcomeJournal.disabled()).maxConcurrentJobs(2)
                .idleBackoff(Backoff.exponential(Duration.ofMillis(5), Duration.ofMillis(20)).withJitter(0))
                .shutdownGrace(grace);
    }

    private JobWorker start(JobHandler handler, Duration grace) {
        worker = builder(handler, grace).build();
        worker.start();
        return worker;
    }

    @Test
    void aWorkerStartsOnce() {
        worker = builder(context -> JobOutcome.success(), Duration.ofSeconds(5)).build();

        assertThat(worker.start()).as("start returns the worker").isSameAs(worker);

        assertThatThrownBy(worker::start).isInstanceOf(IllegalStateException.class)
                .hasMessage("the worker was already started");
        assertThat(worker.isRunning()).isTrue();
    }

    @Test
    void aWorkerShutDownBeforeItStartedIsStoppedAtOnceAndCannotStart() throws Exception {
        worker = builder(context -> JobOutcome.success(), Duration.ofSeconds(5)).build();
        assertThat(worker.health().state()).isEqualTo(WorkerHealth.State.STARTING);

        worker.shutdown();

        assertThat(worker.awaitTermination(Duration.ZERO)).isTrue();
        assertThat(worker.health().state()).isEqualTo(WorkerHealth.State.STOPPED);
        assertThat(worker.health().isLive()).isFalse();
        assertThatThrownBy(worker::start).isInstanceOf(IllegalStateException.class);
        assertThat(codePipeline.polls).isEmpty();
    }

    @Test
    void theHealthFollowsTheWorkerFromStartingToStopped() throws Exception {
        String id = "77777777-7777-7777-7777-777777777777";
        worker = builder(context -> {
            running.countDown();
            release.await();
            return JobOutcome.success();
        }, Duration.ofMinutes(5)).build();
        WorkerHealth built = worker.health();
        assertThat(built.state()).isEqualTo(WorkerHealth.State.STARTING);
        assertThat(built.isLive()).isTrue();
        assertThat(built.isReady()).isFalse();
        assertThat(built.queues()).singleElement().satisfies(queue -> {
            assertThat(queue.queue()).isEqualTo(worker.queues().get(0));
            assertThat(queue.lastSuccessfulPoll()).isEmpty();
        });
        assertThat(worker.isRunning()).isFalse();

        codePipeline.queue(id, JobStatus.IN_PROGRESS);
        worker.start();
        assertThat(running.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

        WorkerHealth busy = worker.health();
        assertThat(busy.state()).isEqualTo(WorkerHealth.State.READY);
        assertThat(busy.isReady()).isTrue();
        assertThat(busy.queues().get(0).lastSuccessfulPoll()).isPresent();
        assertThat(busy.queues().get(0).consecutiveFailures()).isZero();
        assertThat(busy.jobsInFlight()).isEqualTo(1);
        assertThat(worker.inFlightJobs()).isEqualTo(1);
        assertThat(worker.isRunning()).isTrue();

        worker.shutdown();
        WorkerHealth draining = worker.health();
        assertThat(draining.state()).isEqualTo(WorkerHealth.State.DRAINING);
        assertThat(draining.isReady()).isFalse();
        assertThat(draining.isLive()).isTrue();
        assertThat(worker.isRunning()).isFalse();

        release.countDown();
        assertThat(worker.awaitTermination(WAIT)).isTrue();
        assertThat(worker.health().state()).isEqualTo(WorkerHealth.State.STOPPED);
        assertThat(worker.inFlightJobs()).isZero();
        assertThat(codePipeline.results).containsEntry(id, "success");
    }

    @Test
    void closeOnAnInterruptedThreadStopsWaitingForTheJobsAndKeepsTheInterrupt() throws Exception {
        codePipeline.queue("13131313-1313-1313-1313-131313131313", JobStatus.IN_PROGRESS);
        start(untilReleased(), Duration.ofMinutes(5));
        assertThat(running.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

        Thread.currentThread().interrupt();
        worker.close();

        assertThat(Thread.interrupted()).as("the interrupt is kept").isTrue();
        assertThat(interrupted.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("its own job threads are stopped")
                .isTrue();
    }

    @Test
    void extensionsStartAfterTheWorkerInOrderAndAreClosedOnceEvenWhenOneFailsToClose() {
        List<String> events = new CopyOnWriteArrayList<>();
        RecordingExtension first = new RecordingExtension("first", events, true);
        RecordingExtension second = new RecordingExtension("second", events, false);
        worker = builder(context -> JobOutcome.success(), Duration.ofSeconds(5)).extension(first).extension(second)
                .build();
        assertThat(events).isEmpty();

        worker.start();

        assertThat(events).containsExactly("start first", "start second");
        assertThat(first.control.queues()).isEqualTo(worker.queues());
        worker.shutdown();
        worker.close();
        worker.close();
        assertThat(events).containsExactly("start first", "start second", "close first", "close second");
    }

    @Test
    void aJobAcknowledgedWithAStatusOtherThanInProgressDoesNotRun() {
        AtomicInteger runs = new AtomicInteger();
        codePipeline.queue("11111111-1111-1111-1111-111111111111", JobStatus.SUCCEEDED);
        codePipeline.queue("22222222-2222-2222-2222-222222222222", JobStatus.IN_PROGRESS);
        start(context -> {
            runs.incrementAndGet();
            return JobOutcome.success();
        }, Duration.ofSeconds(5));

        await().atMost(WAIT).until(() -> codePipeline.results.containsKey("22222222-2222-2222-2222-222222222222"));

        assertThat(codePipeline.acknowledgements).contains("11111111-1111-1111-1111-111111111111");
        assertThat(runs).hasValue(1);
        assertThat(codePipeline.results).containsOnlyKeys("22222222-2222-2222-2222-222222222222");
    }

    @Test
    void aJobHandedOutAgainWhileItRunsIsNeitherAcknowledgedNorRunTwice() {
        String id = "33333333-3333-3333-3333-333333333333";
        AtomicInteger runs = new AtomicInteger();
        codePipeline.queue(id, JobStatus.IN_PROGRESS);
        start(context -> {
            runs.incrementAndGet();
            release.await();
            return JobOutcome.success();
        }, Duration.ofSeconds(5));
        await().atMost(WAIT).until(() -> runs.get() == 1);

        codePipeline.queue(id, JobStatus.IN_PROGRESS);
        int polls = codePipeline.polls.size();
        // Polls are sequential: two polls later, the copy handed out by the first has been dealt with.
        await().atMost(WAIT).until(() -> codePipeline.polls.size() > polls + 1);
        release.countDown();
        await().atMost(WAIT).until(() -> codePipeline.results.containsKey(id));

        assertThat(runs).hasValue(1);
        assertThat(codePipeline.acknowledgements).containsExactly(id);
    }

    @Test
    void aJobStillRunningWhenTheGraceEndsIsInterruptedAndReportedAsShutDown() throws Exception {
        String id = "44444444-4444-4444-4444-444444444444";
        codePipeline.queue(id, JobStatus.IN_PROGRESS);
        start(untilReleased(), Duration.ofMillis(100));
        assertThat(running.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

        worker.shutdown();

        assertThat(interrupted.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the handler was interrupted").isTrue();
        assertThat(worker.awaitTermination(WAIT)).isTrue();
        assertThat(codePipeline.results).containsEntry(id, "SystemUnavailable: worker shutting down");
    }

    @Test
    void awaitTerminationAnswersFalseWhenAJobOutlastsTheTimeout() throws Exception {
        codePipeline.queue("55555555-5555-5555-5555-555555555555", JobStatus.IN_PROGRESS);
        start(context -> {
            running.countDown();
            release.await();
            return JobOutcome.success();
        }, Duration.ofMinutes(5));
        assertThat(running.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        worker.shutdown();

        assertThat(worker.awaitTermination(Duration.ofMillis(50))).isFalse();

        release.countDown();
        assertThat(worker.awaitTermination(WAIT)).isTrue();
        assertThat(codePipeline.results).containsEntry("55555555-5555-5555-5555-555555555555", "success");
    }
}

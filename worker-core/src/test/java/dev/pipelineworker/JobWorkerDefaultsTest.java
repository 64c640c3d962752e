package dev.pipelineworker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.codepipeline.model.JobStatus;

/**
 * The defaults {@link JobWorker.Builder}'s setters document, seen from outside the worker: the slots its polls ask
 * for, the job timeout in a handler's deadline, the shutdown grace on its timer, the idle backoff its extensions
 * see, and that a setter's value replaces each default.
 */
class JobWorkerDefaultsTest {

    private static final ActionTypeId TYPE = ActionTypeId.custom(ActionCategory.BUILD, "Defaults", "1");
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private static final String JOB = "66666666-6666-6666-6666-666666666666";

    private final CustomJobsFake codePipeline = new CustomJobsFake();
    private final RecordingScheduler scheduler = new RecordingScheduler();
    private JobWorker worker;

    @AfterEach
    void stop() {
        if (worker != null) {
            worker.close();
        }
        scheduler.shutdownNow();
    }

    private JobWorker.Builder builder(JobHandler handler) {
        return JobWorker.builder(TYPE, handler).codePipelineClient(codePipeline)
                .outcomeJournal(OutcomeJournal.disabled()).scheduler(scheduler)
                .clock(Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private JobWorker start(JobWorker.Builder builder) {
        worker = builder.build();
        worker.start();
        return worker;
    }

    /** Runs one job through a worker of {@code builder} and returns its context. */
    private JobContext runOneJob(JobWorker.Builder builder, AtomicReference<JobContext> seen) {
        codePipeline.queue(JOB, JobStatus.IN_PROGRESS);
        start(builder);
        await().atMost(WAIT).until(() -> codePipeline.results.containsKey(JOB));
        return seen.get();
    }

    @Test
    void aWorkerHasEightSlotsAndItsFirstPollAsksForAllOfThem() {
        worker = builder(context -> JobOutcome.success()).build();

        assertThat(worker.health().slotsFree()).isEqualTo(8);
        assertThat(worker.health().slotsInUse()).isZero();

        worker.start();
        await().atMost(WAIT).until(() -> !codePipeline.polls.isEmpty());
        assertThat(codePipeline.polls.get(0)).isEqualTo(8);
    }

    @Test
    void maxConcurrentJobsSetsTheSlotsAPollAsksFor() {
        start(builder(context -> JobOutcome.success()).maxConcurrentJobs(3));

        await().atMost(WAIT).until(() -> !codePipeline.polls.isEmpty());
        assertThat(codePipeline.polls.get(0)).isEqualTo(3);
        assertThat(worker.health().slotsFree() + worker.health().slotsInUse()).isEqualTo(3);
    }

    @Test
    void aCustomJobsDeadlineIsTwentyThreeHoursFiftyFiveMinutesAfterItsClaim() {
        AtomicReference<JobContext> seen = new AtomicReference<>();

        JobContext context = runOneJob(builder(c -> {
            seen.set(c);
            return JobOutcome.success();
        }), seen);

        assertThat(context.deadline()).isEqualTo(NOW.plus(Duration.ofHours(23).plusMinutes(55)));
        assertThat(scheduler.delays).contains(Duration.ofHours(23).plusMinutes(55));
    }

    @Test
    void aJobTimeoutReplacesTheDefault() {
        AtomicReference<JobContext> seen = new AtomicReference<>();

        JobContext context = runOneJob(builder(c -> {
            seen.set(c);
            return JobOutcome.success();
        }).jobTimeout(Duration.ofMinutes(7)), seen);

        assertThat(context.deadline()).isEqualTo(NOW.plus(Duration.ofMinutes(7)));
        assertThat(context.remaining()).isEqualTo(Duration.ofMinutes(7));
    }

    @Test
    void theShutdownGraceIsThirtySecondsUnlessSet() {
        start(builder(context -> JobOutcome.success()));
        await().atMost(WAIT).until(() -> !codePipeline.polls.isEmpty());
        worker.shutdown();
        assertThat(scheduler.delays).containsExactly(Duration.ofSeconds(30));
        worker.close();

        scheduler.delays.clear();
        codePipeline.polls.clear();
        start(builder(context -> JobOutcome.success()).shutdownGrace(Duration.ofSeconds(7)));
        await().atMost(WAIT).until(() -> !codePipeline.polls.isEmpty());
        worker.shutdown();
        assertThat(scheduler.delays).containsExactly(Duration.ofSeconds(7));
    }

    @Test
    void theIdleBackoffIsAHundredMillisecondsDoublingToTenSecondsWithTwentyPercentJitter() {
        RecordingExtension extension = new RecordingExtension("defaults");

        start(builder(context -> JobOutcome.success()).extension(extension));

        assertThat(extension.control.configuredIdleBackoff())
                .isEqualTo(new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10), 2.0, 0.2));

        worker.close();
        Backoff slow = Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(20)).withJitter(0);
        RecordingExtension another = new RecordingExtension("set");
        start(builder(context -> JobOutcome.success()).extension(another).idleBackoff(slow));
        assertThat(another.control.configuredIdleBackoff()).isEqualTo(slow);
    }

    @Test
    void pollsCarryTheQueryParamOnlyWhenOneIsSet() {
        start(builder(context -> JobOutcome.success()));
        await().atMost(WAIT).until(() -> !codePipeline.polls.isEmpty());
        assertThat(codePipeline.pollQueryParams.get(0)).isEmpty();
        worker.close();

        codePipeline.pollQueryParams.clear();
        start(builder(context -> JobOutcome.success()).customQueryParam("Project", "alpha-1"));
        await().atMost(WAIT).until(() -> !codePipeline.pollQueryParams.isEmpty());
        assertThat(codePipeline.pollQueryParams.get(0)).isEqualTo(Map.of("Project", "alpha-1"));
    }

    @Test
    void continuationStateIsWrittenWithTheDefaultMapperUnlessOneIsSet() {
        record Progress(String buildId, Instant startedAt) {
        }
        JobHandler handler = context -> JobOutcome.continueWithState(new Progress("b-1", NOW));

        runOneJob(builder(handler), new AtomicReference<>());
        assertThat(codePipeline.successes.get(JOB).continuationToken())
                .contains("\"buildId\":\"b-1\"").contains("\"startedAt\":\"2026-03-01T10:00:00Z\"");
        worker.close();

        codePipeline.results.clear();
        ObjectMapper snakeCase = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .findAndRegisterModules();
        runOneJob(builder(handler).objectMapper(snakeCase), new AtomicReference<>());
        assertThat(codePipeline.successes.get(JOB).continuationToken()).contains("\"build_id\":\"b-1\"");
    }

    @Test
    void scratchDirectoriesAreMadeUnderTheScratchRootAndDeletedAfterTheReport(@TempDir Path root) {
        AtomicReference<Path> scratch = new AtomicReference<>();

        runOneJob(builder(context -> {
            scratch.set(context.scratchDirectory());
            return JobOutcome.success();
        }).scratchRoot(root), new AtomicReference<>());

        assertThat(scratch.get().getParent()).isEqualTo(root);
        await().atMost(WAIT).until(() -> !Files.exists(scratch.get()));
    }

    @Test
    void jobsRunOnAGivenExecutorWhichTheWorkerLeavesRunning() {
        ExecutorService executor = Executors.newFixedThreadPool(2, runnable -> new Thread(runnable, "given-executor"));
        AtomicReference<String> thread = new AtomicReference<>();
        try {
            runOneJob(builder(context -> {
                thread.set(Thread.currentThread().getName());
                return JobOutcome.success();
            }).executor(executor), new AtomicReference<>());
            worker.close();

            assertThat(thread.get()).isEqualTo("given-executor");
            assertThat(executor.isShutdown()).isFalse();
            assertThat(scheduler.isShutdown()).as("a given scheduler too").isFalse();
        } finally {
            executor.shutdownNow();
        }
    }

    /** A scheduler that records every delay it is asked to wait. */
    private static final class RecordingScheduler extends ScheduledThreadPoolExecutor {
        final List<Duration> delays = new CopyOnWriteArrayList<>();

        RecordingScheduler() {
            super(1, runnable -> {
                Thread thread = new Thread(runnable, "recording-scheduler");
                thread.setDaemon(true);
                return thread;
            });
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            delays.add(Duration.ofNanos(unit.toNanos(delay)));
            return super.schedule(command, delay, unit);
        }
    }
}

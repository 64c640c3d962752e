package dev.pipelineworker.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobFailureException;
import dev.pipelineworker.JobHandler;
import dev.pipelineworker.JobObserver;
import dev.pipelineworker.QueueHealth;
import dev.pipelineworker.WorkerHealth;
import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.JobQueue;
import dev.pipelineworker.JobWorkerListener;
import dev.pipelineworker.MdcKeys;
import dev.pipelineworker.OutcomeJournal;
import dev.pipelineworker.internal.TestJobData;
import dev.pipelineworker.internal.Sleeper;
import dev.pipelineworker.internal.channel.ClaimResult;
import dev.pipelineworker.internal.channel.ClaimedJob;
import dev.pipelineworker.internal.channel.PendingClaim;
import dev.pipelineworker.internal.channel.Report;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.Callable;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import dev.pipelineworker.internal.journal.JournalEntry;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.MDC;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.codepipeline.model.ActionTypeNotFoundException;

class WorkerRuntimeTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    private final FakeChannel channel = new FakeChannel();
    private WorkerRuntime runtime;
    private OutcomeJournal journal = OutcomeJournal.disabled();
    @RegisterExtension
    final RuntimeFixture fixture = new RuntimeFixture();
    private final List<String> events = fixture.events;
    private final List<Duration> sleeps = fixture.sleeps;

    private List<FakeChannel> channels = List.of(channel);
    /** The fixture's recording sleeper when left null. */
    private Sleeper sleeper;
    private JobObserver observer = JobObserver.NONE;

    @BeforeEach
    void setUp() {
        fixture.alsoListening = new JobWorkerListener() {
            @Override
            public void succeeded(JobQueue queue, String jobId) {
                throw new IllegalStateException("a broken listener must not break the worker");
            }
        };
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (runtime != null) {
            runtime.shutdown();
            runtime.awaitTermination(WAIT);
            runtime.release();
        }
    }

    private WorkerRuntime start(JobHandler handler, int capacity, Duration jobTimeout, Duration grace) {
        runtime = new WorkerRuntime(settings(handler, capacity, jobTimeout, grace, null));
        runtime.start();
        return runtime;
    }

    /** The fixture's settings with this test's channels, journal, sleeper and observer; {@code jobs} may be null. */
    private WorkerSettings settings(JobHandler handler, int capacity, Duration jobTimeout, Duration grace,
                                    ExecutorService jobs) {
        fixture.channels = channels;
        fixture.journal = journal;
        fixture.sleeper = sleeper == null ? fixture.recordingSleeper : sleeper;
        fixture.observer = observer;
        fixture.capacity = capacity;
        fixture.jobTimeout = jobTimeout;
        fixture.grace = grace;
        fixture.jobs = jobs;
        return fixture.settings(handler);
    }

    private WorkerRuntime start(JobHandler handler) {
        return start(handler, 2, Duration.ofSeconds(30), Duration.ofSeconds(5));
    }

    @Test
    void pollsAskForTheFreeCapacityAndNeverPollWhenFull() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger running = new AtomicInteger();
        List<Integer> busyAtPoll = new CopyOnWriteArrayList<>();
        channel.beforePoll = () -> busyAtPoll.add(running.get());
        channel.enqueue("j1", "j2", "j3", "j4");
        start(ctx -> {
            running.incrementAndGet();
            release.await();
            running.decrementAndGet();
            return JobOutcome.success();
        }, 3, Duration.ofSeconds(30), Duration.ofSeconds(5));

        awaitTrue("three handlers running", () -> running.get() == 3);
        release.countDown();
        channel.awaitReport("j4", WAIT);

        assertThat(channel.pollSizes.get(0)).isEqualTo(3);
        // Every poll asked for no more than the slots that were free when it was sent: never one while full.
        for (int i = 0; i < channel.pollSizes.size(); i++) {
            assertThat(channel.pollSizes.get(i) + busyAtPoll.get(i)).as("poll %d", i).isLessThanOrEqualTo(3);
            assertThat(channel.pollSizes.get(i)).isPositive();
        }
    }

    @Test
    void atOneSlotTheThreadThatFinishesAJobPollsForTheNextSoJobsNeverChangeThread() throws Exception {
        List<Thread> pollThreads = new CopyOnWriteArrayList<>();
        List<Thread> handlerThreads = new CopyOnWriteArrayList<>();
        channel.beforePoll = () -> pollThreads.add(Thread.currentThread());
        channel.enqueue("j1", "j2", "j3", "j4");
        start(ctx -> {
            handlerThreads.add(Thread.currentThread());
            return JobOutcome.success();
        }, 1, Duration.ofSeconds(30), Duration.ofSeconds(5));

        channel.awaitReport("j4", WAIT);
        awaitTrue("the poll after the last job", () -> pollThreads.size() >= 5);

        Thread jobThread = handlerThreads.get(0);
        assertThat(handlerThreads).hasSize(4).containsOnly(jobThread);
        assertThat(pollThreads.get(0)).as("the first poll is the poller's").isNotSameAs(jobThread);
        assertThat(List.copyOf(pollThreads).subList(1, 5)).as("each next poll ran on the thread that freed the slot")
                .containsOnly(jobThread);
    }

    @Test
    void anEmptyPollOnAJobThreadLeavesItsIdleWaitToThePollerBeforeItsNextPoll() throws Exception {
        List<String> order = new CopyOnWriteArrayList<>();
        List<Thread> handlerThreads = new CopyOnWriteArrayList<>();
        channel.beforePoll = () -> order.add(handlerThreads.contains(Thread.currentThread()) ? "job poll" : "poll");
        sleeper = duration -> {
            order.add("wait " + duration.toMillis());
            return fixture.recordingSleeper.sleep(duration);
        };
        channel.enqueue("only");
        start(ctx -> {
            handlerThreads.add(Thread.currentThread());
            return JobOutcome.success();
        }, 1, Duration.ofSeconds(30), Duration.ofSeconds(5));

        channel.awaitReport("only", WAIT);
        awaitTrue("three waits", () -> order.stream().filter(e -> e.startsWith("wait")).count() >= 3);

        // The job thread's poll came back empty: its wait is the first of the idle backoff, waited by the poller.
        assertThat(List.copyOf(order).subList(0, 6)).containsExactly("poll", "job poll", "wait 10", "poll",
                "wait 20", "poll");
    }

    @Test
    void shutdownInterruptsAPollOnAJobThreadAndTerminatesOnlyOnceThatPollEnded() throws Exception {
        List<Thread> handlerThreads = new CopyOnWriteArrayList<>();
        CountDownLatch jobThreadPolling = new CountDownLatch(1);
        AtomicBoolean pollEnded = new AtomicBoolean();
        channel.beforePoll = () -> {
            if (handlerThreads.contains(Thread.currentThread())) {
                jobThreadPolling.countDown();
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    pollEnded.set(true);
                    throw new IllegalStateException("poll aborted", e);
                }
            }
        };
        channel.enqueue("only");
        start(ctx -> {
            handlerThreads.add(Thread.currentThread());
            return JobOutcome.success();
        }, 1, Duration.ofSeconds(30), Duration.ofSeconds(5));
        assertThat(jobThreadPolling.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

        runtime.shutdown();

        assertThat(runtime.awaitTermination(WAIT)).isTrue();
        assertThat(pollEnded).as("the job thread's poll was interrupted before the worker terminated").isTrue();
        assertThat(channel.reports.get("only")).singleElement().isInstanceOf(Report.Success.class);
    }

    @Test
    void idlePollsBackOffExponentiallyUpToTheCap() throws Exception {
        start(ctx -> JobOutcome.success());

        awaitTrue("six idle sleeps", () -> sleeps.size() >= 6);

        assertThat(List.copyOf(sleeps).subList(0, 5)).containsExactly(Duration.ofMillis(10), Duration.ofMillis(20),
                Duration.ofMillis(40), Duration.ofMillis(80), Duration.ofMillis(80));
    }

    @Test
    void failedPollsBackOffLongerAndThrottledPollsLongerStill() throws Exception {
        channel.pollErrors.add(() -> new IllegalStateException("network down"));
        channel.pollErrors.add(() -> new IllegalStateException("network down"));
        channel.pollErrors.add(WorkerRuntimeTest::throttling);
        channel.enqueue("after-errors");
        start(ctx -> JobOutcome.success());

        channel.awaitReport("after-errors", WAIT);

        assertThat(List.copyOf(sleeps).subList(0, 3)).containsExactly(Duration.ofMillis(200), Duration.ofMillis(400),
                Duration.ofMillis(500));
    }

    @Test
    void handlerExceptionsNullsAndTypedFailuresBecomeFailures() throws Exception {
        channel.enqueue("throws", "null", "typed");
        start(ctx -> switch (ctx.jobId()) {
            case "throws" -> throw new IllegalStateException("boom");
            case "null" -> null;
            default -> throw new JobFailureException(FailureType.PERMISSION_ERROR, "no access to the repo");
        });

        assertThat(channel.awaitReport("throws", WAIT)).isEqualTo(
                new Report.Failure(FailureType.JOB_FAILED, "handler failed: IllegalStateException: boom", null));
        assertThat(channel.awaitReport("null", WAIT)).isEqualTo(
                new Report.Failure(FailureType.JOB_FAILED, "handler returned no outcome", null));
        assertThat(channel.awaitReport("typed", WAIT)).isEqualTo(
                new Report.Failure(FailureType.PERMISSION_ERROR, "no access to the repo", null));
        assertThat(runtime.isRunning()).isTrue();
    }

    @Test
    void anErrorThrownByTheHandlerIsReportedAndTheLoopGoesOn() throws Exception {
        channel.enqueue("error", "next");
        start(ctx -> {
            if (ctx.jobId().equals("error")) {
                throw new AssertionError("handler bug");
            }
            return JobOutcome.success("fine");
        });

        assertThat(channel.awaitReport("error", WAIT)).isInstanceOfSatisfying(Report.Failure.class,
                f -> assertThat(f.message()).isEqualTo("handler failed: AssertionError: handler bug"));
        assertThat(channel.awaitReport("next", WAIT)).isInstanceOf(Report.Success.class);
    }

    @Test
    void aHandlerPastItsDeadlineIsInterruptedAndReportedAsTimedOutOnce() throws Exception {
        CountDownLatch interrupted = new CountDownLatch(1);
        channel.enqueue("slow");
        start(ctx -> {
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
            return JobOutcome.success("too late");
        }, 1, Duration.ofMillis(150), Duration.ofSeconds(5));

        Report report = channel.awaitReport("slow", WAIT);

        assertThat(report).isInstanceOfSatisfying(Report.Failure.class,
                f -> assertThat(f.message()).contains("timed out").contains("PT0.15S"));
        assertThat(interrupted.await(5, TimeUnit.SECONDS)).isTrue();
        // The next poll needs the only slot, so it proves the handler's late outcome has been dealt with.
        int polls = channel.pollSizes.size();
        awaitTrue("a poll after the slot is free again", () -> channel.pollSizes.size() > polls);
        assertThat(channel.reports.get("slow")).hasSize(1);
    }

    @Test
    void jobsLostToAnotherWorkerAreNeitherRunNorReported() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        channel.claimer = (job, wanted) -> job.jobId().equals("taken")
                ? new ClaimResult.Lost("nonce used") : channel.claimNormally(job, wanted);
        channel.enqueue("taken", "mine");
        start(ctx -> {
            runs.incrementAndGet();
            return JobOutcome.success();
        });

        channel.awaitReport("mine", WAIT);

        assertThat(runs).hasValue(1);
        assertThat(channel.reports).doesNotContainKey("taken");
        assertThat(events).contains("lost taken", "claimed mine");
    }

    @Test
    void malformedJobDataFailsTheJobWithoutRunningTheHandler() throws Exception {
        channel.claimer = (job, wanted) -> new ClaimResult.Claimed(new ClaimedJob(job.jobId(), "client-1", "token",
                null, new JobFailureException(FailureType.JOB_FAILED, "malformed job data: no S3 location")));
        AtomicInteger runs = new AtomicInteger();
        channel.enqueue("bad");
        start(ctx -> {
            runs.incrementAndGet();
            return JobOutcome.success();
        });

        assertThat(channel.awaitReport("bad", WAIT)).isEqualTo(
                new Report.Failure(FailureType.JOB_FAILED, "malformed job data: no S3 location", null));
        assertThat(runs).hasValue(0);
    }

    @Test
    void touchingArtifactsWithoutAStoreFailsWithAHelpfulMessage() throws Exception {
        channel.enqueue("artifacts");
        start(ctx -> {
            ctx.artifacts().openInput("source");
            return JobOutcome.success();
        });

        assertThat(channel.awaitReport("artifacts", WAIT)).isInstanceOfSatisfying(Report.Failure.class,
                f -> assertThat(f.message()).contains("worker-s3"));
    }

    @Test
    void shutdownLetsRunningJobsFinishWithinTheGracePeriod() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        channel.enqueue("draining");
        start(ctx -> {
            running.countDown();
            Thread.sleep(200);
            return JobOutcome.success("done");
        });
        running.await();

        runtime.shutdown();

        assertThat(runtime.isRunning()).isFalse();
        assertThat(runtime.awaitTermination(WAIT)).isTrue();
        assertThat(channel.reports.get("draining")).containsExactly(
                new Report.Success("done", null, null, null, null, Map.of()));
    }

    @Test
    void stragglersAreReportedAsShutdownFailuresAfterTheGracePeriod() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        channel.enqueue("stuck");
        start(ctx -> {
            running.countDown();
            new CountDownLatch(1).await();
            return JobOutcome.success();
        }, 1, Duration.ofSeconds(30), Duration.ofMillis(100));
        running.await();

        runtime.shutdown();

        assertThat(runtime.awaitTermination(WAIT)).isTrue();
        assertThat(channel.reports.get("stuck")).containsExactly(
                new Report.Failure(FailureType.SYSTEM_UNAVAILABLE, "worker shutting down", null));
    }

    @Test
    void nothingIsAcknowledgedOnceShutdownBegins() throws Exception {
        CountDownLatch claiming = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        channel.claimer = (job, wanted) -> {
            claiming.countDown();
            try {
                proceed.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return channel.claimNormally(job, wanted);
        };
        channel.enqueue("late");
        start(ctx -> JobOutcome.success());
        claiming.await();

        runtime.shutdown();
        proceed.countDown();

        assertThat(runtime.awaitTermination(WAIT)).isTrue();
        assertThat(channel.claims).isEmpty();
        assertThat(channel.reports).isEmpty();
    }

    @Test
    void theJobsMdcIsSetForTheHandlerAndClearedAfterwards() throws Exception {
        List<Map<String, String>> seen = new CopyOnWriteArrayList<>();
        channel.enqueue("first", "second");
        start(ctx -> {
            seen.add(MDC.getCopyOfContextMap());
            return JobOutcome.success();
        }, 1, Duration.ofSeconds(30), Duration.ofSeconds(5));
        channel.awaitReport("second", WAIT);

        Map<String, String> afterwards = fixture.jobs.submit(() -> MDC.getCopyOfContextMap()).get();

        assertThat(seen.get(0)).containsEntry("jobId", "first").containsEntry("pipeline", "pipe")
                .containsEntry("stage", "Build").containsEntry("action", "Act")
                .containsEntry("actionExecutionId", "exec-first");
        assertThat(seen.get(1)).containsEntry("jobId", "second");
        assertThat(afterwards == null || afterwards.isEmpty()).isTrue();
    }

    @Test
    void theCallersOwnMdcOnAGivenExecutorSurvivesTheJob() throws Exception {
        ExecutorService jobs = Executors.newSingleThreadExecutor(runnable -> new Thread(() -> {
            MDC.put("tenant", "acme");
            MDC.put(MdcKeys.JOB_ID, "the caller's own");
            runnable.run();
        }));
        List<Map<String, String>> seen = new CopyOnWriteArrayList<>();
        channel.enqueue("j1");
        runtime = new WorkerRuntime(settings(ctx -> {
            seen.add(MDC.getCopyOfContextMap());
            return JobOutcome.success();
        }, 1, Duration.ofSeconds(30), Duration.ofSeconds(5), jobs));
        runtime.start();
        channel.awaitReport("j1", WAIT);
        awaitTrue("no job in flight", () -> runtime.inFlightJobs() == 0);

        Map<String, String> afterwards = jobs.submit(() -> MDC.getCopyOfContextMap()).get();

        assertThat(seen).singleElement().satisfies(mdc -> assertThat(mdc).containsEntry("tenant", "acme")
                .containsEntry(MdcKeys.JOB_ID, "j1").containsEntry(MdcKeys.PIPELINE, "pipe"));
        assertThat(afterwards).containsOnly(Map.entry("tenant", "acme"), Map.entry(MdcKeys.JOB_ID, "the caller's own"));
    }

    @Test
    void shutdownOfAWorkerNeverStartedTerminatesAtOnce() throws Exception {
        ExecutorService jobs = Executors.newSingleThreadExecutor();
        WorkerRuntime idle = new WorkerRuntime(settings(ctx -> JobOutcome.success(), 1, Duration.ofSeconds(1),
                Duration.ofSeconds(1), jobs));

        idle.shutdown();

        assertThat(idle.awaitTermination(Duration.ZERO)).isTrue();
        assertThat(channel.pollSizes).isEmpty();
    }

    @Test
    void onStartTheJournalIsReportedBeforeAnyPoll(@TempDir Path dir) throws Exception {
        journal = OutcomeJournal.inDirectory(dir);
        Report finished = new Report.Success("done before the crash", "ext-1", 100, null, null, Map.of());
        journal.write("finished", JournalEntry.finished("finished", "client-1", channel.queue().id(), finished).toBytes());
        journal.write("running", new JournalEntry(1, "running", "client-1", null, null, null, null, null).toBytes());
        journal.close();
        journal = OutcomeJournal.inDirectory(dir);

        start(ctx -> JobOutcome.success());
        awaitTrue("the first poll", () -> channel.calls.contains("poll"));

        assertThat(channel.reports.get("finished")).containsExactly(finished);
        assertThat(channel.reports.get("running")).containsExactly(new Report.Failure(
                FailureType.SYSTEM_UNAVAILABLE, ReportPipeline.INTERRUPTED_MESSAGE, null));
        assertThat(List.copyOf(channel.calls).subList(0, 3)).containsExactlyInAnyOrder("report finished", "report running", "poll");
        assertThat(channel.calls.get(2)).isEqualTo("poll");
        assertThat(journal.readAll()).isEmpty();
    }

    @Test
    void anOutcomeStaysInTheJournalUntilCodePipelineAcceptsIt(@TempDir Path dir) throws Exception {
        journal = OutcomeJournal.inDirectory(dir);
        channel.reportFails = jobId -> jobId.equals("unreported");
        channel.enqueue("unreported", "reported");
        start(ctx -> JobOutcome.success("kept"), 1, Duration.ofSeconds(30), Duration.ofSeconds(5));

        channel.awaitReport("reported", WAIT);
        awaitTrue("no job in flight", () -> runtime.inFlightJobs() == 0);

        Map<String, byte[]> left = journal.readAll();
        assertThat(left).containsOnlyKeys("unreported");
        assertThat(JournalEntry.fromBytes(left.get("unreported")).report())
                .isEqualTo(new Report.Success("kept", null, null, null, null, Map.of()));
    }

    @Test
    void theClaimIsInTheJournalWhenTheAcknowledgementIsSent(@TempDir Path dir) throws Exception {
        journal = OutcomeJournal.inDirectory(dir);
        List<JournalEntry> atAcknowledgement = new CopyOnWriteArrayList<>();
        channel.onAcknowledge = claim -> {
            try {
                atAcknowledgement.add(JournalEntry.fromBytes(journal.readAll().get(claim.jobId())));
            } catch (java.io.IOException | RuntimeException e) {
                throw new AssertionError("no journal entry at the acknowledgement", e);
            }
        };
        List<JournalEntry> whileRunning = new CopyOnWriteArrayList<>();
        channel.enqueue("j1");
        start(ctx -> {
            whileRunning.add(JournalEntry.fromBytes(journal.readAll().get(ctx.jobId())));
            return JobOutcome.success();
        });

        channel.awaitReport("j1", WAIT);

        assertThat(whileRunning).singleElement().satisfies(entry -> {
            assertThat(entry.acknowledged()).isTrue();
            assertThat(entry.pendingClaim()).as("an accepted claim needs no question on restart").isNull();
        });
        assertThat(atAcknowledgement).singleElement().satisfies(entry -> {
            assertThat(entry.version()).isEqualTo(JournalEntry.CURRENT_VERSION);
            assertThat(entry.nonce()).isEqualTo("nonce-j1");
            assertThat(entry.clientId()).isEqualTo("client-1");
            assertThat(entry.queue()).isEqualTo(channel.queue().id());
            assertThat(entry.report()).isNull();
            assertThat(entry.pendingClaim()).isEqualTo(new PendingClaim("j1", "client-1", "nonce-j1"));
        });
        awaitTrue("no job in flight", () -> runtime.inFlightJobs() == 0);
        assertThat(journal.readAll()).isEmpty();
    }

    @Test
    void aClaimLostToAnotherWorkerIsRemovedFromTheJournal(@TempDir Path dir) throws Exception {
        journal = OutcomeJournal.inDirectory(dir);
        channel.claimer = (job, gate) -> gate.beforeAcknowledge(new PendingClaim(job.jobId(), "client-1", "n"))
                ? new ClaimResult.Lost("another worker acknowledged it first") : new ClaimResult.Skipped("no");
        channel.enqueue("taken");
        start(ctx -> JobOutcome.success());

        awaitTrue("the lost job ended", () -> events.contains("lost taken") && runtime.inFlightJobs() == 0);

        assertThat(journal.readAll()).isEmpty();
        assertThat(channel.reports).isEmpty();
    }

    @Test
    void onStartJournaledClaimsAreResolvedAgainstCodePipeline(@TempDir Path dir) throws Exception {
        journal = OutcomeJournal.inDirectory(dir);
        for (String id : List.of("ours", "theirs", "unreachable")) {
            journal.write(id, JournalEntry.claiming(new PendingClaim(id, "client-1", "nonce-" + id), channel.queue().id())
                    .toBytes());
        }
        journal.write("running", JournalEntry.acknowledged(new PendingClaim("running", "client-1", "nonce-running"),
                channel.queue().id()).toBytes());
        journal.close();
        journal = OutcomeJournal.inDirectory(dir);
        channel.reclaimer = claim -> switch (claim.jobId()) {
            case "ours" -> new ClaimResult.Claimed(new ClaimedJob("ours", "client-1", "token", null, null));
            case "theirs" -> new ClaimResult.Lost("another worker acknowledged it first");
            default -> throw SdkClientException.create("CodePipeline unreachable");
        };

        start(ctx -> JobOutcome.success());
        awaitTrue("the first poll", () -> channel.calls.contains("poll"));

        assertThat(channel.reclaims).extracting(PendingClaim::nonce)
                .containsExactlyInAnyOrder("nonce-ours", "nonce-theirs", "nonce-unreachable");
        assertThat(channel.reports).containsOnlyKeys("ours", "running");
        for (String id : List.of("ours", "running")) {
            assertThat(channel.reports.get(id)).containsExactly(new Report.Failure(
                    FailureType.SYSTEM_UNAVAILABLE, ReportPipeline.INTERRUPTED_MESSAGE, null));
        }
        assertThat(journal.readAll()).containsOnlyKeys("unreachable");
    }

    @Test
    void entriesOfANewerFormatOrAnotherQueueAreKeptAndNotReported(@TempDir Path dir) throws Exception {
        journal = OutcomeJournal.inDirectory(dir);
        byte[] newer = "{\"v\":99,\"jobId\":\"future\",\"something\":\"new\"}".getBytes(StandardCharsets.UTF_8);
        journal.write("future", newer);
        journal.write("elsewhere", JournalEntry.finished("elsewhere", "client-1", "ThirdParty/Build/Other/1@x",
                new Report.Success("done", null, null, null, null, Map.of())).toBytes());
        journal.close();
        journal = OutcomeJournal.inDirectory(dir);

        start(ctx -> JobOutcome.success());
        awaitTrue("the first poll", () -> channel.calls.contains("poll"));

        assertThat(channel.reports).isEmpty();
        assertThat(channel.reclaims).isEmpty();
        assertThat(journal.readAll()).containsOnlyKeys("future", "elsewhere");
        assertThat(journal.readAll().get("future")).isEqualTo(newer);
    }

    @Test
    void aJournalWrittenInTheFirstFormatIsReportedAsItWas(@TempDir Path dir) throws Exception {
        Path slot = Files.createDirectories(dir.resolve("slot-0"));
        try (InputStream v1 = getClass().getResourceAsStream("/journal-v1/slot-0/journal.log")) {
            Files.copy(v1, slot.resolve("journal.log"));
        }
        journal = OutcomeJournal.inDirectory(dir);

        start(ctx -> JobOutcome.success());
        awaitTrue("the first poll", () -> channel.calls.contains("poll"));

        assertThat(channel.reports).containsOnlyKeys("job-running", "job-failed", "job-done");
        assertThat(channel.reports.get("job-running")).containsExactly(new Report.Failure(
                FailureType.SYSTEM_UNAVAILABLE, ReportPipeline.INTERRUPTED_MESSAGE, null));
        assertThat(channel.reports.get("job-failed")).containsExactly(new Report.Failure(
                FailureType.CONFIGURATION_ERROR, "missing property Target", "ext-1"));
        assertThat(channel.reports.get("job-done")).containsExactly(
                new Report.Success("built 3 files", "ext-2", 100, null, null, Map.of()));
        assertThat(channel.reclaims).as("a first-format claim was written after its acknowledgement").isEmpty();
        assertThat(journal.readAll()).isEmpty();
    }

    @Test
    void aJobPolledAgainWhileInFlightIsNotDispatchedTwice() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        channel.enqueue("dup");
        start(ctx -> {
            runs.incrementAndGet();
            release.await();
            return JobOutcome.success();
        });
        awaitTrue("the first run", () -> runs.get() == 1);
        channel.enqueue("dup");
        awaitTrue("the copy polled", () -> channel.queue.isEmpty());
        int polls = channel.pollSizes.size();
        // The poll loop is sequential: a later poll means the copy's dispatch is over.
        awaitTrue("the next poll", () -> channel.pollSizes.size() > polls);

        release.countDown();
        channel.awaitReport("dup", WAIT);

        assertThat(runs).hasValue(1);
        assertThat(channel.claims).containsExactly("dup");
    }

    @Test
    void slotsOfJobsThatEndUnclaimedAreGivenBack() throws Exception {
        channel.claimer = (job, gate) -> job.jobId().startsWith("lost")
                ? new ClaimResult.Lost("nonce used") : new ClaimResult.Skipped("no client token");
        for (int i = 0; i < 10; i++) {
            channel.enqueue((i % 2 == 0 ? "lost-" : "skipped-") + i);
        }
        start(ctx -> JobOutcome.success());

        awaitTrue("every job ended", () -> channel.queue.isEmpty() && runtime.inFlightJobs() == 0);
        int polls = channel.pollSizes.size();
        awaitTrue("a poll after them", () -> channel.pollSizes.size() > polls);

        assertThat(channel.pollSizes.get(channel.pollSizes.size() - 1)).isEqualTo(2);
        assertThat(events).filteredOn(e -> e.startsWith("lost")).hasSize(5);
    }

    @Test
    void aQueueWhosePollsFailWaitsWithoutSlowingTheOthers() throws Exception {
        FakeChannel failing = new FakeChannel(JobQueue.of(TestJobData.ACTION, Region.EU_WEST_1));
        for (int i = 0; i < 100; i++) {
            failing.pollErrors.add(() -> ActionTypeNotFoundException.builder().message("unknown here").build());
        }
        channels = List.of(channel, failing);
        CountDownLatch stopped = new CountDownLatch(1);
        // The failing queue's backoff never ends until shutdown: only a loop of its own lets the other go on.
        sleeper = duration -> {
            if (!Thread.currentThread().getName().contains("eu-west-1")) {
                return fixture.recordingSleeper.sleep(duration);
            }
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return false;
        };
        channel.enqueue("a", "b", "c", "d", "e");
        start(ctx -> JobOutcome.success());

        for (String id : List.of("a", "b", "c", "d", "e")) {
            channel.awaitReport(id, WAIT);
        }

        assertThat(failing.pollSizes).hasSize(1);
        assertThat(events).contains("pollFailed eu-west-1 ActionTypeNotFoundException")
                .noneMatch(e -> e.startsWith("pollFailed us-east-1"));
        assertThat(channel.reports.get("a").get(0)).isInstanceOf(Report.Success.class);
    }

    @Test
    void aQuietQueueGetsASlotWhileAnotherHasABacklog() throws Exception {
        FakeChannel quiet = new FakeChannel(JobQueue.of(TestJobData.ACTION, Region.EU_WEST_1));
        channels = List.of(channel, quiet);
        for (int i = 0; i < 40; i++) {
            channel.enqueue("busy-" + i);
        }
        AtomicInteger busyStarted = new AtomicInteger();
        AtomicInteger busyStartedBeforeQuiet = new AtomicInteger(-1);
        start(ctx -> {
            if (ctx.jobId().startsWith("busy")) {
                busyStarted.incrementAndGet();
                Thread.sleep(25);
            } else {
                busyStartedBeforeQuiet.set(busyStarted.get());
            }
            return JobOutcome.success();
        });
        awaitTrue("the backlog running", () -> busyStarted.get() >= 4);

        quiet.enqueue("quiet");
        quiet.awaitReport("quiet", WAIT);

        // Two slots, 25 ms a job: the quiet job waits for a slot about one job's run time, not for the backlog.
        assertThat(busyStartedBeforeQuiet.get()).as("busy jobs started before the quiet one").isLessThan(20);
        assertThat(quiet.reports.get("quiet")).singleElement().isInstanceOf(Report.Success.class);
    }

    @Test
    void onStartEachJournaledJobIsReportedThroughTheQueueItCameFrom(@TempDir Path dir) throws Exception {
        FakeChannel europe = new FakeChannel(JobQueue.of(TestJobData.ACTION, Region.EU_WEST_1));
        channels = List.of(channel, europe);
        journal = OutcomeJournal.inDirectory(dir);
        Report.Success done = new Report.Success("done", null, null, null, null, Map.of());
        journal.write("us-job", JournalEntry.finished("us-job", "client-1", channel.queue().id(), done).toBytes());
        journal.write("eu-job", JournalEntry.acknowledged(new PendingClaim("eu-job", "client-1", "n"),
                europe.queue().id()).toBytes());
        journal.write("ap-job", JournalEntry.finished("ap-job", "client-1",
                JobQueue.of(TestJobData.ACTION, Region.AP_SOUTHEAST_2).id(), done).toBytes());
        journal.write("v1-job", new JournalEntry(1, "v1-job", "client-1", null, null, null, done, null).toBytes());
        journal.close();
        journal = OutcomeJournal.inDirectory(dir);

        start(ctx -> JobOutcome.success());
        awaitTrue("both queues polled", () -> channel.calls.contains("poll") && europe.calls.contains("poll"));

        assertThat(channel.reports).containsOnlyKeys("us-job");
        assertThat(europe.reports).containsOnlyKeys("eu-job");
        assertThat(europe.reports.get("eu-job")).containsExactly(new Report.Failure(
                FailureType.SYSTEM_UNAVAILABLE, ReportPipeline.INTERRUPTED_MESSAGE, null));
        assertThat(journal.readAll()).as("a queue not served, and a first-format entry among several queues")
                .containsOnlyKeys("ap-job", "v1-job");
    }

    @Test
    void healthFollowsTheWorkerFromStartingToStoppedWithEachQueuesPollsSlotsAndJournal(@TempDir Path dir)
            throws Exception {
        journal = OutcomeJournal.inDirectory(dir);
        FakeChannel unknown = new FakeChannel(JobQueue.of(TestJobData.ACTION, Region.EU_WEST_1));
        for (int i = 0; i < 1000; i++) {
            unknown.pollErrors.add(() -> ActionTypeNotFoundException.builder().message("not here").build());
        }
        channels = List.of(channel, unknown);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(1);
        channel.enqueue("held");
        ExecutorService jobs = Executors.newFixedThreadPool(2);
        runtime = new WorkerRuntime(settings(ctx -> {
            running.countDown();
            release.await();
            return JobOutcome.success();
        }, 2, Duration.ofSeconds(30), Duration.ofSeconds(5), jobs));
        assertThat(runtime.health().state()).isEqualTo(WorkerHealth.State.STARTING);
        assertThat(runtime.health().isReady()).isFalse();
        assertThat(runtime.health().isLive()).isTrue();

        runtime.start();
        running.await();
        awaitTrue("the failing queue failed thrice", () -> runtime.health().queues().get(1).consecutiveFailures() >= 3);
        WorkerHealth busy = runtime.health();

        assertThat(busy.state()).isEqualTo(WorkerHealth.State.READY);
        assertThat(busy.isReady()).isTrue();
        assertThat(busy.slotsInUse()).isEqualTo(1);
        assertThat(busy.slotsFree()).isEqualTo(1);
        assertThat(busy.jobsInFlight()).isEqualTo(1);
        assertThat(busy.journalBacklog()).as("the held job's claim").isEqualTo(1);
        QueueHealth served = busy.queues().get(0);
        assertThat(served.queue()).isEqualTo(channel.queue());
        assertThat(served.lastSuccessfulPoll()).isPresent();
        assertThat(served.lastFailure()).isEmpty();
        QueueHealth failing = busy.queues().get(1);
        assertThat(failing.lastSuccessfulPoll()).isEmpty();
        assertThat(failing.lastFailure()).contains(QueueHealth.PollFailure.ACTION_TYPE_NOT_FOUND);

        runtime.shutdown();
        assertThat(runtime.health().state()).isEqualTo(WorkerHealth.State.DRAINING);
        assertThat(runtime.health().isReady()).isFalse();
        release.countDown();
        assertThat(runtime.awaitTermination(WAIT)).isTrue();
        WorkerHealth stopped = runtime.health();
        assertThat(stopped.state()).isEqualTo(WorkerHealth.State.STOPPED);
        assertThat(stopped.isLive()).isFalse();
        assertThat(stopped.journalBacklog()).isZero();
        // The last job's thread gives its slot back as it returns, just after its report ended the worker.
        awaitTrue("every slot free", () -> runtime.health().slotsInUse() == 0);
    }

    @Test
    void pollFailuresAreSortedIntoTheKindsAnOperatorActsOn() {
        assertThat(PollLoop.kindOf(throttling(), true)).isEqualTo(QueueHealth.PollFailure.THROTTLED);
        assertThat(PollLoop.kindOf(ActionTypeNotFoundException.builder().build(), false))
                .isEqualTo(QueueHealth.PollFailure.ACTION_TYPE_NOT_FOUND);
        assertThat(PollLoop.kindOf(AwsServiceException.builder().statusCode(400).awsErrorDetails(
                AwsErrorDetails.builder().errorCode("AccessDeniedException").build()).build(), false))
                .isEqualTo(QueueHealth.PollFailure.ACCESS_DENIED);
        assertThat(PollLoop.kindOf(SdkClientException.create("connection refused"), false))
                .isEqualTo(QueueHealth.PollFailure.NETWORK);
        assertThat(PollLoop.kindOf(AwsServiceException.builder().statusCode(500).build(), false))
                .isEqualTo(QueueHealth.PollFailure.OTHER);
    }

    @Test
    void theObserverWrapsEachPhaseOnItsThreadAndHearsHowEveryJobEnded() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        ThreadLocal<String> currentPhase = new ThreadLocal<>();
        observer = (queue, jobId) -> new JobObserver.JobObservation() {
            @Override
            public void phase(JobObserver.JobPhase phase, Runnable work) {
                currentPhase.set(phase.name());
                try {
                    seen.add(jobId + " " + phase);
                    work.run();
                } finally {
                    currentPhase.remove();
                }
            }

            @Override
            public void claimed(dev.pipelineworker.ActionTypeId type, dev.pipelineworker.PipelineContext pipeline) {
                seen.add(jobId + " claimed " + pipeline.pipelineName());
            }

            @Override
            public void ended(JobObserver.JobEnding ending) {
                seen.add(jobId + " ended " + ending.result() + (ending.failureType() == null ? ""
                        : " " + ending.failureType().apiName()));
            }
        };
        channel.claimer = (job, gate) -> job.jobId().equals("taken")
                ? new ClaimResult.Lost("nonce used") : channel.claimNormally(job, gate);
        List<String> handlerSawPhase = new CopyOnWriteArrayList<>();
        channel.enqueue("ok", "bad", "taken");
        start(ctx -> {
            handlerSawPhase.add(currentPhase.get());
            if (ctx.jobId().equals("bad")) {
                throw new JobFailureException(FailureType.CONFIGURATION_ERROR, "no Target");
            }
            return JobOutcome.success();
        }, 1, Duration.ofSeconds(30), Duration.ofSeconds(5));

        awaitTrue("every job ended", () -> seen.stream().filter(e -> e.contains(" ended ")).count() == 3);

        assertThat(seen).containsSubsequence("ok CLAIM", "ok claimed pipe", "ok HANDLER", "ok REPORT",
                "ok ended SUCCEEDED");
        assertThat(seen).containsSubsequence("bad CLAIM", "bad HANDLER", "bad REPORT",
                "bad ended FAILED ConfigurationError");
        assertThat(seen).containsSubsequence("taken CLAIM", "taken ended LOST").doesNotContain("taken HANDLER");
        assertThat(handlerSawPhase).containsOnly("HANDLER");
    }

    @Test
    void aJobCutOffByItsDeadlineOrTheShutdownEndsItsObservationSaying() throws Exception {
        Map<String, JobObserver.JobEnding> endings = new java.util.concurrent.ConcurrentHashMap<>();
        observer = (queue, jobId) -> new JobObserver.JobObservation() {
            @Override
            public void ended(JobObserver.JobEnding ending) {
                endings.put(jobId, ending);
            }
        };
        CountDownLatch stuckRunning = new CountDownLatch(1);
        channel.enqueue("slow");
        start(ctx -> {
            if (ctx.jobId().equals("slow")) {
                Thread.sleep(10_000);
            } else {
                stuckRunning.countDown();
                new CountDownLatch(1).await();
            }
            return JobOutcome.success();
        }, 2, Duration.ofSeconds(1), Duration.ofMillis(100));
        awaitTrue("the slow job timed out", () -> endings.containsKey("slow"));
        channel.enqueue("stuck");
        stuckRunning.await();

        // The grace (100 ms) ends long before the stuck job's own deadline (1 s).
        runtime.shutdown();
        awaitTrue("the stuck job cut off", () -> endings.containsKey("stuck"));

        assertThat(endings.get("slow")).isEqualTo(new JobObserver.JobEnding(JobObserver.JobEnding.Result.TIMED_OUT,
                FailureType.JOB_FAILED));
        assertThat(endings.get("stuck")).isEqualTo(new JobObserver.JobEnding(JobObserver.JobEnding.Result.CUT_OFF,
                FailureType.SYSTEM_UNAVAILABLE));
        assertThat(endings.values()).allMatch(JobObserver.JobEnding::isFailure);
    }

    @Test
    void anObserverThatThrowsOrForgetsToRunAPhaseChangesNothingForTheJob() throws Exception {
        observer = (queue, jobId) -> new JobObserver.JobObservation() {
            @Override
            public void phase(JobObserver.JobPhase phase, Runnable work) {
                if (phase == JobObserver.JobPhase.REPORT) {
                    return; // forgets to run it
                }
                work.run();
                throw new IllegalStateException("tracer broken");
            }

            @Override
            public void ended(JobObserver.JobEnding ending) {
                throw new IllegalStateException("tracer broken");
            }
        };
        AtomicInteger runs = new AtomicInteger();
        channel.enqueue("j1", "j2");
        start(ctx -> {
            runs.incrementAndGet();
            return JobOutcome.success("fine");
        });

        assertThat(channel.awaitReport("j1", WAIT)).isInstanceOf(Report.Success.class);
        assertThat(channel.awaitReport("j2", WAIT)).isInstanceOf(Report.Success.class);
        assertThat(channel.reports.get("j1")).hasSize(1);
        assertThat(runs).hasValue(2);
    }

    private static AwsServiceException throttling() {
        return AwsServiceException.builder().statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ThrottlingException").build()).build();
    }

    private static void awaitTrue(String what, Callable<Boolean> condition) {
        Awaitility.await(what).atMost(WAIT).pollInterval(Duration.ofMillis(5)).until(condition);
    }
}

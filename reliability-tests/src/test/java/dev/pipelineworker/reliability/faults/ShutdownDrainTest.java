package dev.pipelineworker.reliability.faults;

import static dev.pipelineworker.reliability.faults.Fixtures.THIRD_PARTY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.JobWorker;
import dev.pipelineworker.testkit.LocalCodePipeline;
import dev.pipelineworker.testkit.SentRequests;
import dev.pipelineworker.testkit.emulator.Fault;
import dev.pipelineworker.testkit.emulator.FaultRule;
import dev.pipelineworker.testkit.emulator.JobInfo;
import dev.pipelineworker.testkit.emulator.JobSpec;
import dev.pipelineworker.testkit.emulator.JobState;
import dev.pipelineworker.testkit.emulator.Operation;
import dev.pipelineworker.testkit.emulator.RecordedCall;
import dev.pipelineworker.testkit.emulator.RecordedResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;

/**
 * {@link JobWorker#close()} with jobs in flight against the emulator: jobs that finish within the grace period
 * are reported as they ended, stragglers are failed with SystemUnavailable "worker shutting down", a claim
 * under way when shutdown begins is not completed, and nothing is acknowledged or polled after shutdown.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ShutdownDrainTest {

    private static final Duration GRACE = Duration.ofMillis(2500);
    private static final Duration QUICK_WORK = Duration.ofMillis(1000);

    private LocalCodePipeline cp;
    private CodePipelineClient client;
    private JobWorker worker;
    private Level savedLevel;
    private final CountDownLatch releaseStuck = new CountDownLatch(1);
    private final SentRequests sent = new SentRequests();
    /** The worker's job threads, given so that the test can wait for them to end. */
    private final ExecutorService jobThreads = Executors.newFixedThreadPool(10);

    @BeforeEach
    void setUp() {
        savedLevel = Fixtures.logLevel("dev.pipelineworker", Level.ERROR);
        cp = Fixtures.emulator(11).ackTimeout(Duration.ofSeconds(30)).start();
        client = Fixtures.client(cp.endpoint(), sent);
    }

    @AfterEach
    void tearDown() {
        releaseStuck.countDown();
        if (worker != null) {
            worker.close();
        }
        jobThreads.shutdownNow();
        client.close();
        cp.close();
        Fixtures.logLevel("dev.pipelineworker", savedLevel);
    }

    @Test
    void closeDrainsRunningJobsFailsStragglersAndAcknowledgesNothingMore() throws Exception {
        List<JobInfo> quick = new ArrayList<>();
        List<JobInfo> stuck = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            quick.add(cp.enqueue(JobSpec.builder(THIRD_PARTY).configuration("mode", "quick").build()));
        }
        for (int i = 0; i < 2; i++) {
            stuck.add(cp.enqueue(JobSpec.builder(THIRD_PARTY).configuration("mode", "stuck").build()));
        }
        Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        AtomicInteger started = new AtomicInteger();
        worker = Fixtures.worker(THIRD_PARTY, context -> {
            runs.computeIfAbsent(context.jobId(), id -> new AtomicInteger()).incrementAndGet();
            started.incrementAndGet();
            if (context.configuration().requireString("mode").equals("quick")) {
                Thread.sleep(QUICK_WORK.toMillis());
                return JobOutcome.success("drained");
            }
            // A straggler that ignores its interrupt: only the test lets it go.
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < until) {
                try {
                    if (releaseStuck.await(100, TimeUnit.MILLISECONDS)) {
                        break;
                    }
                } catch (InterruptedException ignored) {
                    // keep going
                }
            }
            return JobOutcome.success("too late");
        }, client, 11).maxConcurrentJobs(10).shutdownGrace(GRACE).executor(jobThreads).build().start();

        await("eight handlers running").atMost(Duration.ofSeconds(10)).until(() -> started.get() == 8);
        String details = Operation.GET_THIRD_PARTY_JOB_DETAILS.wireName();
        long detailsBefore = sent.count(details);
        // Two more jobs whose claim is under way (their details are slow) when shutdown begins.
        cp.injectFault(FaultRule.nextCalls(2, Fault.latency(Duration.ofMillis(1500)),
                Operation.GET_THIRD_PARTY_JOB_DETAILS));
        List<JobInfo> late = List.of(cp.enqueue(JobSpec.builder(THIRD_PARTY).configuration("mode", "quick").build()),
                cp.enqueue(JobSpec.builder(THIRD_PARTY).configuration("mode", "quick").build()));
        await("the late jobs polled").atMost(Duration.ofSeconds(5)).until(() -> late.stream()
                .allMatch(j -> cp.job(j.jobId()).orElseThrow().state() == JobState.Dispatched));
        await("the late jobs' details requested").atMost(Duration.ofSeconds(5))
                .until(() -> sent.count(details) >= detailsBefore + 2);

        Instant shutdownAt = Instant.now();
        long closing = System.nanoTime();
        worker.close();
        Duration closeTook = Duration.ofNanos(System.nanoTime() - closing);
        Instant closedAt = Instant.now();

        // Drained within the grace period, stragglers failed at its end, and close() waited for both.
        assertThat(closeTook).isBetween(GRACE.minusMillis(200), GRACE.plusSeconds(3));
        for (JobInfo job : quick) {
            assertThat(cp.resultsForJob(job.jobId())).singleElement()
                    .isInstanceOfSatisfying(RecordedResult.Success.class,
                            s -> assertThat(s.executionDetails().summary()).isEqualTo("drained"));
        }
        for (JobInfo job : stuck) {
            assertThat(cp.resultsForJob(job.jobId())).singleElement()
                    .isInstanceOfSatisfying(RecordedResult.Failure.class, f -> {
                        assertThat(f.type()).isEqualTo(FailureType.SYSTEM_UNAVAILABLE);
                        assertThat(f.message()).isEqualTo("worker shutting down");
                        assertThat(f.at()).isAfterOrEqualTo(shutdownAt.plus(GRACE).minusMillis(100));
                    });
        }
        // The claims under way were not completed: no acknowledgement, no handler, the jobs stay free.
        for (JobInfo job : late) {
            assertThat(cp.job(job.jobId())).get().extracting(JobInfo::state).isEqualTo(JobState.Dispatched);
            assertThat(runs).doesNotContainKey(job.jobId());
        }
        List<RecordedCall> calls = cp.calls();
        assertThat(calls.stream().filter(Fixtures::isAck).filter(c -> !c.at().isBefore(shutdownAt)).toList())
                .as("acknowledgements after shutdown began").isEmpty();
        assertThat(calls.stream().filter(Fixtures::isPoll).filter(c -> c.at().isAfter(closedAt)).toList())
                .as("polls after close returned").isEmpty();
        Set<String> acknowledged = calls.stream().filter(Fixtures::isAck).filter(RecordedCall::succeeded)
                .map(Fixtures::jobIdOf).collect(Collectors.toSet());
        assertThat(acknowledged).hasSize(8);

        // The stragglers' late return is dropped: once their threads are done, still one result each, every
        // handler ran once.
        releaseStuck.countDown();
        jobThreads.shutdown();
        assertThat(jobThreads.awaitTermination(10, TimeUnit.SECONDS)).as("job threads finished").isTrue();
        for (String jobId : acknowledged) {
            assertThat(cp.resultsForJob(jobId)).as("results of " + jobId).hasSize(1);
            assertThat(runs.get(jobId)).hasValue(1);
        }
        assertThat(worker.isRunning()).isFalse();
        assertThat(worker.inFlightJobs()).isZero();
    }
}

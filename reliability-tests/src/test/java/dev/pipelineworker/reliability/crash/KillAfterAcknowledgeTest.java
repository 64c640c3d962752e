package dev.pipelineworker.reliability.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipelineworker.FailureType;
import dev.pipelineworker.testkit.LocalCodePipeline;
import dev.pipelineworker.testkit.emulator.JobInfo;
import dev.pipelineworker.testkit.emulator.JobSpec;
import dev.pipelineworker.testkit.emulator.JobState;
import dev.pipelineworker.testkit.emulator.Operation;
import dev.pipelineworker.testkit.emulator.RecordedCall;
import dev.pipelineworker.testkit.emulator.RecordedResult;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills the worker process with SIGKILL at the instant CodePipeline has applied an acknowledgement and before
 * its answer leaves (the emulator's {@link LocalCodePipeline#onAcknowledged} listener holds the response and
 * kills the child there), then restarts a worker on the same journal directory. The job is CodePipeline's
 * InProgress job now, and only the journal can tell the restarted worker about it: every such job must be
 * failed at once as SystemUnavailable, none may be left InProgress for CodePipeline's timeout (an hour here,
 * as for third-party actions), and no job may get two accepted results.
 *
 * <p>Each scenario prints one {@code KILL-AFTER-ACK FIGURES} line: kills, jobs acknowledged in the window,
 * jobs lost (left without a result), which must be 0.
 */
class KillAfterAcknowledgeTest {

    private static final String CLIENT_ID = UUID.randomUUID().toString();
    private static final String CLIENT_TOKEN = "kill-after-ack-token-" + UUID.randomUUID();
    /** Longer than any wait here: a job left to time out shows as a job without a result. */
    private static final Duration JOB_TIMEOUT = Duration.ofHours(1);
    /** Short, so that jobs polled but never acknowledged are offered again to the restarted worker. */
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(1);
    /** A child JVM's start-up and recovery, generous for a loaded CI host. */
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int BATCH = 8;
    private static final Set<Operation> PUTS = Set.of(Operation.PUT_THIRD_PARTY_JOB_SUCCESS_RESULT,
            Operation.PUT_THIRD_PARTY_JOB_FAILURE_RESULT);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path journalDir;

    private LocalCodePipeline cp;
    private final KillOnAcknowledgement killSwitch = new KillOnAcknowledgement();
    private final List<ChildWorker> children = new ArrayList<>();

    @BeforeEach
    void startEmulator() {
        cp = LocalCodePipeline.builder()
                .client(CLIENT_ID, CLIENT_TOKEN)
                .actionType(CrashWorkerMain.TYPE)
                .ackTimeout(ACK_TIMEOUT)
                .jobTimeout(JOB_TIMEOUT)
                .continuationDelay(Duration.ZERO)
                .start();
        cp.onAcknowledged(killSwitch::acknowledged);
    }

    @AfterEach
    void stop() {
        children.forEach(ChildWorker::close);
        cp.close();
    }

    @Test
    void aSingleJobKilledOnItsAcknowledgementIsFailedAtOnceByTheRestartedWorker() {
        int kills = 5;
        List<JobInfo> jobs = new ArrayList<>();
        List<String> acknowledgedInWindow = new ArrayList<>();
        for (int round = 0; round < kills; round++) {
            // The job is there before the child starts: it recovers what the previous child left, then polls this.
            JobInfo job = cp.enqueue(spec());
            jobs.add(job);
            String name = "single-" + round;
            killSwitch.startArmed(() -> child(name, CrashWorkerMain.DEFAULT_MAX_CONCURRENT_JOBS));
            List<String> window = killSwitch.awaitKillAndCloseWindow();

            assertThat(window).as("round %d: the child was killed on this job's acknowledgement", round)
                    .containsExactly(job.jobId());
            assertThat(cp.job(job.jobId()).orElseThrow().state()).as("acknowledged, answer never received")
                    .isEqualTo(JobState.InProgress);
            acknowledgedInWindow.addAll(window);
        }
        child("single-restarted", CrashWorkerMain.DEFAULT_MAX_CONCURRENT_JOBS);

        settle("single-job", jobs, kills, acknowledgedInWindow);
    }

    @Test
    void aColdWorkerKilledOnTheFirstAcknowledgementOfAFullBatchLosesNoJob() {
        List<JobInfo> jobs = new ArrayList<>();
        for (int i = 0; i < BATCH; i++) {
            jobs.add(cp.enqueue(spec()));
        }
        killSwitch.startArmed(() -> child("batch-cold", BATCH));
        List<String> window = killSwitch.awaitKillAndCloseWindow();

        assertThat(window).as("acknowledged before the child died").isNotEmpty();
        for (String jobId : window) {
            assertThat(cp.job(jobId).orElseThrow().state()).as("job %s", jobId).isEqualTo(JobState.InProgress);
        }
        assertThat(cp.jobs()).extracting(JobInfo::offerCount).as("the cold worker polled the whole batch at once")
                .containsOnly(1);
        child("batch-restarted", BATCH);

        settle("cold-batch-of-" + BATCH, jobs, 1, window);
    }

    // ------------------------------------------------------------------ the end state

    /**
     * Waits until every job has a result (or the wait is over), prints the figures, then checks them: no job
     * without a result, none with two accepted results, every job acknowledged in the window failed as
     * SystemUnavailable, every other job ended by the restarted worker as it ends jobs normally.
     */
    private void settle(String scenario, List<JobInfo> jobs, int kills, List<String> acknowledgedInWindow) {
        try {
            await().atMost(WAIT).pollInterval(Duration.ofMillis(50))
                    .until(() -> jobs.stream().allMatch(job -> !cp.resultsForJob(job.jobId()).isEmpty()));
        } catch (ConditionTimeoutException stillWaiting) {
            // The jobs still without a result are counted and reported below.
        }
        Map<String, JobState> lost = new LinkedHashMap<>();
        for (JobInfo job : jobs) {
            if (cp.resultsForJob(job.jobId()).isEmpty()) {
                lost.put(job.jobId(), cp.job(job.jobId()).orElseThrow().state());
            }
        }
        long lostInWindow = acknowledgedInWindow.stream().filter(lost::containsKey).count();
        System.out.printf("KILL-AFTER-ACK FIGURES scenario=%s: jobs=%d kills=%d acknowledgedInWindow=%d "
                        + "lost=%d (of them acknowledged in the window: %d) waitedForResults=%s%n",
                scenario, jobs.size(), kills, acknowledgedInWindow.size(), lost.size(), lostInWindow, WAIT);

        assertThat(lost).as("jobs left without a result (CodePipeline would wait %s for them), by state",
                JOB_TIMEOUT).isEmpty();
        for (JobInfo job : jobs) {
            String id = job.jobId();
            assertThat(acceptedPuts(id)).as("accepted results of %s", id).isEqualTo(1);
            RecordedResult result = cp.resultsForJob(id).get(0);
            if (acknowledgedInWindow.contains(id)) {
                assertThat(result).as("job %s, acknowledged in the window", id).isInstanceOfSatisfying(
                        RecordedResult.Failure.class, f -> assertThat(f.type()).isEqualTo(FailureType.SYSTEM_UNAVAILABLE));
            } else {
                assertThat(result).as("job %s, not acknowledged before the kill", id).satisfiesAnyOf(
                        r -> assertThat(r).isInstanceOfSatisfying(RecordedResult.Success.class, s ->
                                assertThat(s.executionDetails().summary()).isEqualTo("handled " + id)),
                        r -> assertThat(r).isInstanceOfSatisfying(RecordedResult.Failure.class, f ->
                                assertThat(f.type()).isEqualTo(FailureType.SYSTEM_UNAVAILABLE)));
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    private JobSpec spec() {
        return JobSpec.builder(CrashWorkerMain.TYPE).clientId(CLIENT_ID).build();
    }

    private ChildWorker child(String name, int maxConcurrentJobs) {
        ChildWorker child = ChildWorker.start(name, cp.endpoint(), journalDir, CLIENT_ID, CLIENT_TOKEN, "normal",
                maxConcurrentJobs);
        children.add(child);
        return child;
    }

    private long acceptedPuts(String jobId) {
        return cp.calls().stream().filter(c -> isPutFor(c, jobId)).filter(RecordedCall::succeeded).count();
    }

    private static boolean isPutFor(RecordedCall call, String jobId) {
        if (PUTS.stream().noneMatch(call::is)) {
            return false;
        }
        try {
            return jobId.equals(JSON.readTree(call.requestBody()).path("jobId").asText());
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The emulator's acknowledgement listener. Armed with a child, it SIGKILLs that child on the first
     * acknowledgement it sees, on the serving thread, so the answer goes to a dead process. Every acknowledgement
     * applied from arming until the window is closed (the ones that arrive while the kill is under way wait for
     * it on this monitor, their answers held too) is one the dead child never heard of.
     */
    private static final class KillOnAcknowledgement {
        private ChildWorker victim;
        private boolean windowOpen;
        private final List<String> window = new ArrayList<>();
        private CompletableFuture<Integer> killed = new CompletableFuture<>();

        /** Starts a child and arms the switch for it; the child's first call cannot come before this returns. */
        synchronized void startArmed(Supplier<ChildWorker> start) {
            window.clear();
            windowOpen = true;
            killed = new CompletableFuture<>();
            victim = start.get();
        }

        synchronized void acknowledged(JobInfo job) {
            if (!windowOpen) {
                return;
            }
            window.add(job.jobId());
            if (victim != null) {
                ChildWorker dying = victim;
                victim = null;
                try {
                    dying.kill();
                    killed.complete(dying.exitValue());
                } catch (RuntimeException | AssertionError e) {
                    killed.completeExceptionally(e);
                }
            }
        }

        /**
         * Waits for the kill, then closes the window and returns the jobs acknowledged in it. Called before the
         * next child starts, so any late acknowledgement of the dead child still counts.
         */
        List<String> awaitKillAndCloseWindow() {
            CompletableFuture<Integer> kill;
            synchronized (this) {
                kill = killed;
            }
            int exit;
            try {
                exit = kill.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                throw new AssertionError("no acknowledgement within " + WAIT + ", so no kill", e);
            } catch (ExecutionException e) {
                throw new AssertionError("killing the child failed", e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
            assertThat(exit).as("killed by SIGKILL").isEqualTo(137);
            synchronized (this) {
                windowOpen = false;
                return List.copyOf(window);
            }
        }
    }
}

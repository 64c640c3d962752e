package dev.pipelineworker.reliability.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipelineworker.FailureType;
import dev.pipelineworker.internal.journal.FileOutcomeJournal;
import dev.pipelineworker.testkit.LocalCodePipeline;
import dev.pipelineworker.testkit.emulator.Fault;
import dev.pipelineworker.testkit.emulator.FaultRule;
import dev.pipelineworker.testkit.emulator.JobInfo;
import dev.pipelineworker.testkit.emulator.JobSpec;
import dev.pipelineworker.testkit.emulator.JobState;
import dev.pipelineworker.testkit.emulator.Operation;
import dev.pipelineworker.testkit.emulator.RecordedCall;
import dev.pipelineworker.testkit.emulator.RecordedResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a worker process with SIGKILL at chosen points and restarts it on the same journal directory:
 * no finished outcome may be lost, no job may get two accepted results, a job killed mid-handler must be
 * failed at once on restart (not left to CodePipeline's timeout), and the old outcomes must be reported
 * before the restarted worker takes new work.
 */
class CrashRecoveryTest {

    private static final String CLIENT_ID = UUID.randomUUID().toString();
    private static final String CLIENT_TOKEN = "crash-client-token-" + UUID.randomUUID();
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Set<Operation> PUTS = Set.of(Operation.PUT_THIRD_PARTY_JOB_SUCCESS_RESULT,
            Operation.PUT_THIRD_PARTY_JOB_FAILURE_RESULT);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path journalDir;

    private LocalCodePipeline cp;
    private final List<ChildWorker> children = new ArrayList<>();

    @BeforeEach
    void startEmulator() {
        cp = LocalCodePipeline.builder()
                .client(CLIENT_ID, CLIENT_TOKEN)
                .actionType(CrashWorkerMain.TYPE)
                .ackTimeout(Duration.ofSeconds(1))
                .continuationDelay(Duration.ZERO)
                .start();
    }

    @AfterEach
    void stop() {
        children.forEach(ChildWorker::close);
        cp.close();
    }

    // ------------------------------------------------------------------ (a) finished, not yet accepted

    @Test
    void aFinishedOutcomeNotYetAcceptedIsReportedByTheRestartedWorkerBeforeItPolls() {
        // CodePipeline refuses every result with 503 until the crash: the outcome cannot get through.
        cp.injectFault(FaultRule.withProbability(1.0, Fault.serverError(503), PUTS.toArray(Operation[]::new)));
        JobInfo job = cp.enqueue(spec(0));

        ChildWorker first = child("a-1", "normal");
        first.awaitMark("JOURNAL_FINISHED " + job.jobId(), WAIT);
        cp.awaitCall(c -> isPutFor(c, job.jobId()) && c.status() == 503, WAIT);
        kill(first);

        assertThat(cp.resultsForJob(job.jobId())).as("nothing was accepted before the crash").isEmpty();
        assertThat(journalEntries()).as("the finished outcome is in the journal").hasSize(1);

        cp.clearFaults();
        JobInfo next = cp.enqueue(spec(0));
        long mark = quietMark();
        ChildWorker second = child("a-2", "normal");
        second.awaitMark("SUCCEEDED " + job.jobId(), WAIT);
        RecordedResult result = cp.awaitResult(job.jobId(), WAIT);
        cp.awaitResult(next.jobId(), WAIT);
        second.awaitMark("JOURNAL_DELETED " + next.jobId(), WAIT);

        assertThat(result).isInstanceOfSatisfying(RecordedResult.Success.class, s ->
                assertThat(s.executionDetails().summary()).isEqualTo("handled " + job.jobId()));
        assertThat(acceptedPuts(job.jobId())).isEqualTo(1);
        assertThat(acceptedPuts(next.jobId())).isEqualTo(1);
        assertThat(second.hasMark("HANDLER_STARTED " + job.jobId())).as("the handler is not run again").isFalse();
        assertReportedBeforeFirstPoll(mark, job.jobId());
        assertThat(journalEntries()).isEmpty();
    }

    // ------------------------------------------------------------------ (b) mid-handler

    @Test
    void aJobKilledMidHandlerIsFailedAsSystemUnavailableAtOnceOnRestart() {
        JobInfo job = cp.enqueue(spec(120_000));

        ChildWorker first = child("b-1", "normal");
        first.awaitMark("HANDLER_STARTED " + job.jobId(), WAIT);
        kill(first);
        assertThat(journalEntries()).as("the claimed job is in the journal").hasSize(1);
        assertThat(cp.job(job.jobId()).orElseThrow().state()).isEqualTo(JobState.InProgress);

        JobInfo next = cp.enqueue(spec(0));
        long mark = quietMark();
        long restarted = System.nanoTime();
        ChildWorker second = child("b-2", "normal");
        RecordedResult result = cp.awaitResult(job.jobId(), WAIT);
        Duration took = Duration.ofNanos(System.nanoTime() - restarted);
        cp.awaitResult(next.jobId(), WAIT);
        second.awaitMark("JOURNAL_DELETED " + next.jobId(), WAIT);

        assertThat(result).isInstanceOfSatisfying(RecordedResult.Failure.class, f -> {
            assertThat(f.type()).isEqualTo(FailureType.SYSTEM_UNAVAILABLE);
            assertThat(f.message()).contains("the worker stopped while this job was running");
        });
        // The emulator's job timeout is an hour: this failure came from the restarted worker, within seconds
        // (most of them the child JVM's start-up; generous for loaded CI hosts).
        assertThat(took).isLessThan(Duration.ofSeconds(30));
        assertThat(acceptedPuts(job.jobId())).isEqualTo(1);
        assertThat(cp.resultsForJob(next.jobId())).singleElement().isInstanceOf(RecordedResult.Success.class);
        assertThat(second.hasMark("HANDLER_STARTED " + job.jobId())).isFalse();
        assertReportedBeforeFirstPoll(mark, job.jobId());
        assertThat(second.output()).contains("was running when the worker stopped; reporting it as failed");
        assertThat(journalEntries()).isEmpty();
    }

    // ------------------------------------------------------------------ (c) accepted, entry not yet deleted

    @Test
    void anAcceptedResultWhoseJournalEntrySurvivedIsRefusedOnReReportAndForgotten() {
        JobInfo job = cp.enqueue(spec(0));

        ChildWorker first = child("c-1", "block-delete");
        first.awaitMark("DELETE_BLOCKED " + job.jobId(), WAIT);
        assertThat(first.hasMark("SUCCEEDED " + job.jobId())).isTrue();
        kill(first);
        assertThat(cp.resultsForJob(job.jobId())).singleElement().isInstanceOf(RecordedResult.Success.class);
        assertThat(journalEntries()).as("the entry survived the crash").hasSize(1);

        JobInfo next = cp.enqueue(spec(0));
        long mark = quietMark();
        ChildWorker second = child("c-2", "normal");
        second.awaitMark("JOURNAL_DELETED " + job.jobId(), WAIT);
        cp.awaitResult(next.jobId(), WAIT);
        second.awaitMark("JOURNAL_DELETED " + next.jobId(), WAIT);

        List<RecordedCall> rePuts = putCalls(job.jobId()).stream().filter(c -> c.sequence() > mark).toList();
        assertThat(rePuts).as("the restarted worker re-sent the outcome once").singleElement()
                .satisfies(c -> {
                    assertThat(c.status()).isEqualTo(400);
                    assertThat(c.errorType()).isEqualTo("InvalidJobStateException");
                });
        assertThat(second.hasMark("ABANDONED " + job.jobId() + " InvalidJobStateException")).isTrue();
        assertThat(cp.resultsForJob(job.jobId())).hasSize(1);
        assertThat(acceptedPuts(job.jobId())).isEqualTo(1);
        assertReportedBeforeFirstPoll(mark, job.jobId());
        assertThat(journalEntries()).isEmpty();
    }

    // ------------------------------------------------------------------ random kill points

    @Test
    void killsAtRandomPointsLoseNoFinishedOutcomeAndNoJobGetsTwoResults() {
        long seed = Long.getLong("crash.seed", System.nanoTime());
        Random random = new Random(seed);
        int rounds = 6;
        List<JobInfo> jobs = new ArrayList<>();
        List<ChildWorker> runs = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < 3; i++) {
                jobs.add(cp.enqueue(spec(random.nextInt(600))));
            }
            ChildWorker run = child("r-" + round, "normal");
            runs.add(run);
            run.awaitMark("STARTED", WAIT);
            sleep(100 + random.nextInt(1200));
            kill(run);
        }
        ChildWorker last = child("r-final", "normal");
        runs.add(last);

        Map<String, RecordedResult> results = new HashMap<>();
        // Claims are journaled before they are acknowledged: a kill at any instant leaves no job to time out.
        await("a result for every job").atMost(WAIT)
                .until(() -> jobs.stream().allMatch(job -> !cp.resultsForJob(job.jobId()).isEmpty()));
        for (JobInfo job : jobs) {
            results.put(job.jobId(), cp.resultsForJob(job.jobId()).get(0));
        }
        int finishedKept = 0;
        int failedAsInterrupted = 0;
        int refusedReReports = 0;
        for (JobInfo job : jobs) {
            String id = job.jobId();
            assertThat(marks(runs, "HANDLER_STARTED " + id)).as("handler runs of %s", id).isLessThanOrEqualTo(1);
            assertThat(acceptedPuts(id)).as("accepted results of %s", id).isLessThanOrEqualTo(1);
            refusedReReports += (int) putCalls(id).stream().filter(c -> "InvalidJobStateException".equals(c.errorType()))
                    .count();
            RecordedResult result = results.get(id);
            assertThat(acceptedPuts(id)).as("accepted results of %s", id).isEqualTo(1);
            assertThat(result).as("job %s", id).isNotInstanceOf(RecordedResult.TimedOut.class);
            // A kill between the journal write and its mark on stdout hides the mark, not the outcome: a success
            // carrying the handler's own summary is a finished outcome either way.
            if (marks(runs, "JOURNAL_FINISHED " + id) > 0 || result instanceof RecordedResult.Success) {
                assertThat(result).as("finished outcome of %s", id).isInstanceOfSatisfying(RecordedResult.Success.class,
                        s -> assertThat(s.executionDetails().summary()).isEqualTo("handled " + id));
                finishedKept++;
            } else {
                assertThat(result).as("job %s, never finished", id).isInstanceOfSatisfying(
                        RecordedResult.Failure.class, f -> assertThat(f.type()).isEqualTo(FailureType.SYSTEM_UNAVAILABLE));
                failedAsInterrupted++;
            }
        }
        last.awaitMark("FIRST_POLL", WAIT);
        System.out.printf("CRASH FIGURES seed=%d: jobs=%d kills=%d finishedOutcomesKept=%d finishedOutcomesLost=0 "
                        + "failedAsInterrupted=%d acceptedTwice=0 refusedReReports=%d lostInAckWindow=%d%n",
                seed, jobs.size(), rounds, finishedKept, failedAsInterrupted, refusedReReports, 0);
    }

    // ------------------------------------------------------------------ helpers

    @Test
    void aJobKilledMidHandlerInAnotherRegionIsFailedThroughThatRegionOnRestart() {
        List<String> regions = List.of("us-east-1", "eu-west-1");
        JobInfo job = cp.enqueue(JobSpec.builder(CrashWorkerMain.TYPE).clientId(CLIENT_ID).region("eu-west-1")
                .configuration("sleepMillis", "120000").build());

        ChildWorker first = regionalChild("r-1", regions);
        first.awaitMark("HANDLER_STARTED " + job.jobId(), WAIT);
        kill(first);
        ChildWorker second = regionalChild("r-2", regions);
        RecordedResult result = cp.awaitResult(job.jobId(), WAIT);
        second.awaitMark("JOURNAL_DELETED " + job.jobId(), WAIT);

        assertThat(result).isInstanceOfSatisfying(RecordedResult.Failure.class,
                f -> assertThat(f.type()).isEqualTo(FailureType.SYSTEM_UNAVAILABLE));
        assertThat(result.region()).isEqualTo("eu-west-1");
        assertThat(cp.callsForJob(job.jobId())).as("every call about the job, the restarted worker's included")
                .allSatisfy(call -> assertThat(call.region()).isEqualTo("eu-west-1"))
                .anySatisfy(call -> assertThat(PUTS).anyMatch(call::is));
        assertThat(acceptedPuts(job.jobId())).isEqualTo(1);
    }

    private ChildWorker regionalChild(String name, List<String> regions) {
        ChildWorker child = ChildWorker.start(name, cp.endpoint(), journalDir, CLIENT_ID, CLIENT_TOKEN, "normal",
                CrashWorkerMain.DEFAULT_MAX_CONCURRENT_JOBS, regions);
        children.add(child);
        return child;
    }

    private JobSpec spec(int sleepMillis) {
        return JobSpec.builder(CrashWorkerMain.TYPE).clientId(CLIENT_ID)
                .configuration("sleepMillis", Integer.toString(sleepMillis)).build();
    }

    private ChildWorker child(String name, String mode) {
        ChildWorker child = ChildWorker.start(name, cp.endpoint(), journalDir, CLIENT_ID, CLIENT_TOKEN, mode);
        children.add(child);
        return child;
    }

    private static void kill(ChildWorker child) {
        child.kill();
        assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(137);
    }

    /** The last call sequence number, once the calls of a dead worker have settled. */
    private long quietMark() {
        sleep(200);
        List<RecordedCall> calls = cp.calls();
        return calls.isEmpty() ? 0 : calls.get(calls.size() - 1).sequence();
    }

    /** After {@code mark}, the first result call for {@code jobId} comes before the first poll. */
    private void assertReportedBeforeFirstPoll(long mark, String jobId) {
        List<RecordedCall> after = cp.calls().stream().filter(c -> c.sequence() > mark).toList();
        int firstPut = indexOf(after, c -> isPutFor(c, jobId));
        int firstPoll = indexOf(after, c -> c.is(Operation.POLL_FOR_THIRD_PARTY_JOBS));
        assertThat(firstPut).as("the old outcome was re-sent").isGreaterThanOrEqualTo(0);
        assertThat(firstPoll).as("the restarted worker polled").isGreaterThanOrEqualTo(0);
        assertThat(firstPut).as("re-sent before the first poll: %s", after).isLessThan(firstPoll);
    }

    private static int indexOf(List<RecordedCall> calls, java.util.function.Predicate<RecordedCall> which) {
        for (int i = 0; i < calls.size(); i++) {
            if (which.test(calls.get(i))) {
                return i;
            }
        }
        return -1;
    }

    private List<RecordedCall> putCalls(String jobId) {
        return cp.calls().stream().filter(c -> isPutFor(c, jobId)).toList();
    }

    private long acceptedPuts(String jobId) {
        return putCalls(jobId).stream().filter(RecordedCall::succeeded).count();
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

    private static long marks(List<ChildWorker> runs, String mark) {
        return runs.stream().flatMap(r -> r.marks().stream()).filter(mark::equals).count();
    }

    private List<String> journalEntries() {
        try {
            return List.copyOf(FileOutcomeJournal.peek(journalDir).keySet());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}

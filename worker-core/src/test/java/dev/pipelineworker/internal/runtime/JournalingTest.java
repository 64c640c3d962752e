package dev.pipelineworker.internal.runtime;

import static dev.pipelineworker.internal.runtime.RuntimeFixture.WAIT;
import static dev.pipelineworker.internal.runtime.RuntimeFixture.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobObserver;
import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.OutcomeJournal;
import dev.pipelineworker.internal.channel.ClaimResult;
import dev.pipelineworker.internal.channel.PendingClaim;
import dev.pipelineworker.internal.channel.Report;
import dev.pipelineworker.internal.journal.JournalEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.codepipeline.model.JobNotFoundException;
import software.amazon.awssdk.services.codepipeline.model.ValidationException;

/**
 * What the journal holds at each step of a job (the claim before its acknowledgement, the outcome before its
 * report, nothing once CodePipeline took it), that a failing journal never stops a job, and how a start settles
 * what an earlier run left.
 */
class JournalingTest {

    @RegisterExtension
    final RuntimeFixture fixture = new RuntimeFixture();
    private RecordingJournal journal;

    @BeforeEach
    void setUp() {
        journal = new RecordingJournal(fixture.channel.calls);
        fixture.journal = journal;
        fixture.channel.onAcknowledge = claim -> fixture.channel.calls.add("acknowledge " + claim.jobId());
    }

    @Test
    void theClaimIsWrittenBeforeItsAcknowledgementTheOutcomeBeforeItsReportAndTheEntryGoesAfterIt() {
        fixture.channel.enqueue("j1");
        fixture.start(ctx -> {
            fixture.channel.calls.add("handler " + ctx.jobId());
            return JobOutcome.success();
        });

        fixture.channel.awaitReport("j1", WAIT);
        awaitTrue("the entry removed", () -> fixture.channel.calls.contains("delete j1"));

        assertThat(callsAbout("j1")).containsExactly("write j1 claiming", "acknowledge j1", "write j1 acknowledged",
                "handler j1", "write j1 finished", "report j1", "delete j1");
        assertThat(fixture.runtime.health().journalBacklog()).isZero();
    }

    @Test
    void aJobCutOffByItsDeadlineHasItsFailureJournaledBeforeItIsReported() throws Exception {
        fixture.jobTimeout = Duration.ofMillis(100);
        CountDownLatch endOfTest = new CountDownLatch(1);
        Map<String, Report> atReport = new ConcurrentHashMap<>();
        fixture.channel.reportErrors.add(() -> {
            atReport.put("slow", journal.report("slow"));
            return SdkClientException.create("first attempt lost");
        });
        fixture.channel.enqueue("slow");
        fixture.start(ctx -> {
            endOfTest.await();
            return JobOutcome.success();
        });

        Report sent = fixture.channel.awaitReport("slow", WAIT);
        endOfTest.countDown();

        assertThat(sent).isEqualTo(new Report.Failure(FailureType.JOB_FAILED,
                "the job timed out: the handler did not finish within PT0.1S", null));
        assertThat(atReport.get("slow")).isEqualTo(sent);
    }

    @Test
    void aJournalThatCannotBeWrittenNeverStopsAJob() {
        journal.failWrites = jobId -> true;
        fixture.channel.enqueue("j1");
        fixture.start(ctx -> JobOutcome.success("done anyway"));

        assertThat(fixture.channel.awaitReport("j1", WAIT))
                .isEqualTo(new Report.Success("done anyway", null, null, null, null, Map.of()));
        assertThat(fixture.channel.claims).containsExactly("j1");
        assertThat(callsAbout("j1")).doesNotContain("write j1 acknowledged");
    }

    @Test
    void anEntryThatCannotBeRemovedCountsInTheBacklogAndTheWorkerGoesOn() {
        journal.failDeletes = jobId -> jobId.equals("j1");
        fixture.channel.enqueue("j1", "j2");
        fixture.start(ctx -> JobOutcome.success());

        fixture.channel.awaitReport("j1", WAIT);
        fixture.channel.awaitReport("j2", WAIT);
        awaitTrue("no job in flight", () -> fixture.runtime.inFlightJobs() == 0);

        assertThat(journal.entries).containsOnlyKeys("j1");
        assertThat(fixture.runtime.health().journalBacklog()).isEqualTo(1);
    }

    @Test
    void aClaimWhoseAcknowledgementFailedStaysJournaledForTheNextStartAndItsSlotIsFreed() throws Exception {
        fixture.capacity = 1;
        fixture.observer = fixture.recordEndings();
        Map<String, JobObserver.JobEnding> endings = fixture.endings;
        fixture.channel.claimer = (job, gate) -> {
            if (job.jobId().equals("unanswered")) {
                gate.beforeAcknowledge(new PendingClaim(job.jobId(), job.clientId(), "nonce-1"));
                throw SdkClientException.create("no answer to the acknowledgement");
            }
            return fixture.channel.claimNormally(job, gate);
        };
        fixture.channel.enqueue("unanswered", "next");
        fixture.start(ctx -> JobOutcome.success());

        fixture.channel.awaitReport("next", WAIT);

        assertThat(fixture.channel.reports).doesNotContainKey("unanswered");
        assertThat(journal.entry("unanswered").pendingClaim())
                .isEqualTo(new PendingClaim("unanswered", "client-1", "nonce-1"));
        assertThat(endings.get("unanswered")).isEqualTo(JobObserver.JobEnding.of(JobObserver.JobEnding.Result.SKIPPED));
        assertThat(fixture.events).doesNotContain("claimed unanswered");
    }

    @Test
    void aClaimSkippedAfterItWasJournaledIsRemoved() {
        fixture.observer = fixture.recordEndings();
        Map<String, JobObserver.JobEnding> endings = fixture.endings;
        fixture.channel.claimer = (job, gate) -> {
            gate.beforeAcknowledge(new PendingClaim(job.jobId(), job.clientId(), "nonce-1"));
            return new ClaimResult.Skipped("acknowledged with status Created");
        };
        fixture.channel.enqueue("odd");
        fixture.start(ctx -> JobOutcome.success());

        awaitTrue("the entry removed", () -> fixture.channel.calls.contains("delete odd"));

        assertThat(journal.entries).isEmpty();
        assertThat(fixture.channel.reports).isEmpty();
        assertThat(endings.get("odd")).isEqualTo(JobObserver.JobEnding.of(JobObserver.JobEnding.Result.SKIPPED));
        assertThat(fixture.events).doesNotContain("lost odd");
    }

    @Test
    void releasingTheTerminatedWorkerClosesItsJournal() throws Exception {
        fixture.start(ctx -> JobOutcome.success());
        awaitTrue("the first poll", () -> fixture.channel.calls.contains("poll"));
        fixture.runtime.shutdown();
        assertThat(fixture.runtime.awaitTermination(WAIT)).isTrue();

        fixture.runtime.release();

        assertThat(journal.closed).isTrue();
    }

    @Test
    void aJournalThatCannotBeReadAtTheStartLeavesNothingToRecoverAndTheWorkerPolls() {
        journal.failRead = true;

        fixture.start(ctx -> JobOutcome.success());

        awaitTrue("the first poll", () -> fixture.channel.calls.contains("poll"));
        assertThat(fixture.channel.reports).isEmpty();
    }

    @Test
    void anUnreadableEntryIsDroppedAndTheOthersAreRecovered() throws Exception {
        journal.entries.put("garbled", "{not json".getBytes(StandardCharsets.UTF_8));
        Report.Success done = new Report.Success("done before the crash", null, null, null, null, Map.of());
        journal.entries.put("finished", JournalEntry.finished("finished", "client-1", fixture.channel.queue().id(),
                done).toBytes());

        fixture.start(ctx -> JobOutcome.success());
        awaitTrue("the first poll", () -> fixture.channel.calls.contains("poll"));

        assertThat(fixture.channel.reports).containsOnlyKeys("finished");
        assertThat(fixture.channel.reports.get("finished")).containsExactly(done);
        assertThat(fixture.events).contains("succeeded finished", "resultAccepted finished recovered");
        assertThat(journal.entries).isEmpty();
        assertThat(fixture.runtime.health().journalBacklog()).isZero();
    }

    @Test
    void aJobLeftRunningWhoseFailureCannotBeReportedKeepsThatFailureForTheNextStart() throws Exception {
        journal.entries.put("was-running", JournalEntry.acknowledged(new PendingClaim("was-running", "client-1",
                "nonce-1"), fixture.channel.queue().id()).toBytes());
        fixture.channel.reportErrors.add(() -> ValidationException.builder().statusCode(400).build());

        fixture.start(ctx -> JobOutcome.success());
        awaitTrue("the first poll", () -> fixture.channel.calls.contains("poll"));

        assertThat(fixture.channel.reports).isEmpty();
        assertThat(journal.entry("was-running").report()).isEqualTo(new Report.Failure(
                FailureType.SYSTEM_UNAVAILABLE, ReportPipeline.INTERRUPTED_MESSAGE, null));
        assertThat(fixture.runtime.health().journalBacklog()).as("an entry an earlier run left").isEqualTo(1);
    }

    @Test
    void aRecoveredOutcomeCodePipelineNoLongerWantsIsForgottenAndOneItCouldNotTakeIsKept() throws Exception {
        Report.Success done = new Report.Success("done before the crash", null, null, null, null, Map.of());
        for (String id : List.of("gone", "refused")) {
            journal.entries.put(id, JournalEntry.finished(id, "client-1", fixture.channel.queue().id(), done)
                    .toBytes());
        }
        fixture.channel.reportFails = jobId -> jobId.equals("refused");
        fixture.channel.reportErrors.add(() -> JobNotFoundException.builder().statusCode(400).build());

        fixture.start(ctx -> JobOutcome.success());
        awaitTrue("the first poll", () -> fixture.channel.calls.contains("poll"));

        assertThat(fixture.channel.reports).isEmpty();
        assertThat(journal.entries).containsOnlyKeys("refused");
        assertThat(journal.entry("refused").report()).isEqualTo(done);
    }

    @Test
    void aClaimCodePipelineSaysIsNotOursIsForgottenAtTheStart() throws Exception {
        journal.entries.put("skipped", JournalEntry.claiming(new PendingClaim("skipped", "client-1", "nonce-1"),
                fixture.channel.queue().id()).toBytes());
        fixture.channel.reclaimer = claim -> new ClaimResult.Skipped(
                "the job is no longer in progress");

        fixture.start(ctx -> JobOutcome.success());
        awaitTrue("the first poll", () -> fixture.channel.calls.contains("poll"));

        assertThat(fixture.channel.reclaims).extracting(PendingClaim::nonce).containsExactly("nonce-1");
        assertThat(fixture.channel.reports).isEmpty();
        assertThat(journal.entries).isEmpty();
    }

    @Test
    void theScratchDirectoryAnEarlierRunLeftIsDeletedWhenItsJobIsSettled() throws Exception {
        Path left = fixture.scratch.create("finished");
        Files.writeString(left.resolve("half-written.zip"), "partial");
        journal.entries.put("finished", JournalEntry.finished("finished", "client-1", fixture.channel.queue().id(),
                new Report.Success(null, null, null, null, null, Map.of())).toBytes());

        fixture.start(ctx -> JobOutcome.success());
        awaitTrue("the first poll", () -> fixture.channel.calls.contains("poll"));

        assertThat(left).doesNotExist();
    }

    private List<String> callsAbout(String jobId) {
        return fixture.channel.calls.stream().filter(c -> c.endsWith(" " + jobId) || c.contains(" " + jobId + " "))
                .toList();
    }

    /**
     * An in-memory journal that adds a line to {@code log} for each write (naming the entry's kind: claiming,
     * acknowledged, finished) and each delete, and fails the calls the test says.
     */
    static final class RecordingJournal implements OutcomeJournal {
        final Map<String, byte[]> entries = new ConcurrentHashMap<>();
        private final List<String> log;
        volatile Predicate<String> failWrites = jobId -> false;
        volatile Predicate<String> failDeletes = jobId -> false;
        volatile boolean failRead;
        volatile boolean closed;

        RecordingJournal(List<String> log) {
            this.log = log;
        }

        @Override
        public void write(String jobId, byte[] entry) throws IOException {
            if (failWrites.test(jobId)) {
                throw new IOException("disk full");
            }
            JournalEntry decoded = JournalEntry.fromBytes(entry);
            String kind = decoded.report() != null ? "finished" : decoded.pendingClaim() != null ? "claiming"
                    : "acknowledged";
            log.add("write " + jobId + " " + kind);
            entries.put(jobId, entry);
        }

        @Override
        public void delete(String jobId) throws IOException {
            log.add("delete " + jobId);
            if (failDeletes.test(jobId)) {
                throw new IOException("read-only file system");
            }
            entries.remove(jobId);
        }

        @Override
        public Map<String, byte[]> readAll() throws IOException {
            if (failRead) {
                throw new IOException("corrupt segment header");
            }
            return new LinkedHashMap<>(entries);
        }

        @Override
        public void close() {
            closed = true;
        }

        JournalEntry entry(String jobId) throws IOException {
            return JournalEntry.fromBytes(entries.get(jobId));
        }

        Report report(String jobId) {
            try {
                return entry(jobId).report();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}

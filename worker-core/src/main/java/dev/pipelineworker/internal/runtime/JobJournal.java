package dev.pipelineworker.internal.runtime;

import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobQueue;
import dev.pipelineworker.OutcomeJournal;
import dev.pipelineworker.internal.RateLimitedLog;
import dev.pipelineworker.internal.channel.PendingClaim;
import dev.pipelineworker.internal.channel.Report;
import dev.pipelineworker.internal.journal.JournalEntry;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;

/**
 * The runtime's view of the {@link OutcomeJournal}: a claim is written before its acknowledgement and marked once
 * CodePipeline accepted it, the outcome is written before its report, and the entry is removed once CodePipeline
 * took the result (or the job turned out not to be ours): four small appends a job. A journal that fails is warned about, rate-limited, and the job goes on: losing the protection of the
 * journal is better than refusing every job while a disk is full.
 */
final class JobJournal {

    private final OutcomeJournal journal;
    private final RateLimitedLog warnings;
    private final Logger log;
    private final Set<String> pending = ConcurrentHashMap.newKeySet();

    JobJournal(OutcomeJournal journal, RateLimitedLog warnings, Logger log) {
        this.journal = journal;
        this.warnings = warnings;
        this.log = log;
    }

    /**
     * Opens the journal and reads what an earlier run left, before the first claim: the first write of a fresh
     * process then costs one append like every other, and encoding an entry is warmed up too.
     */
    Map<String, byte[]> open() throws IOException {
        Map<String, byte[]> left = journal.readAll();
        pending.addAll(left.keySet());
        JournalEntry.claiming(new PendingClaim("warm-up", null, "warm-up"), "warm-up").toBytes();
        JournalEntry.finished("warm-up", null, "warm-up", new Report.Failure(FailureType.JOB_FAILED, "warm-up", null))
                .toBytes();
        return left;
    }

    /** The entries written and not yet forgotten, those an earlier run left included. */
    int pending() {
        return pending.size();
    }

    /** Records a claim from {@code queue} about to be acknowledged; false when the journal could not take it. */
    boolean claiming(JobQueue queue, PendingClaim claim) {
        return write(claim.jobId(), JournalEntry.claiming(claim, queue.id()));
    }

    /** Records that CodePipeline accepted the claim, so a restart need not ask. */
    void acknowledged(JobQueue queue, PendingClaim claim) {
        write(claim.jobId(), JournalEntry.acknowledged(claim, queue.id()));
    }

    /** Records the report a claimed job of {@code queue} ended with, before it is sent. */
    void finished(JobQueue queue, String jobId, String clientId, Report report) {
        write(jobId, JournalEntry.finished(jobId, clientId, queue.id(), report));
    }

    /** Forgets a job: reported, gone, or not ours. */
    void forget(String jobId) {
        try {
            journal.delete(jobId);
            pending.remove(jobId);
        } catch (IOException | RuntimeException e) {
            log.error("job {}: removing its outcome journal entry failed: {}", jobId, RateLimitedLog.describe(e));
        }
    }

    private boolean write(String jobId, JournalEntry entry) {
        try {
            journal.write(jobId, entry.toBytes());
            pending.add(jobId);
            return true;
        } catch (IOException | RuntimeException e) {
            warnings.warn("journal", "job " + jobId + ": writing the outcome journal failed; a crash now would "
                    + "lose this job", e);
            return false;
        }
    }
}

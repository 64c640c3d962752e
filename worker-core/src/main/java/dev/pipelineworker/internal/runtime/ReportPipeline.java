package dev.pipelineworker.internal.runtime;

import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobObserver;
import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.JobQueue;
import dev.pipelineworker.JobWorkerListener;
import dev.pipelineworker.MdcKeys;
import dev.pipelineworker.internal.JobMdc;
import dev.pipelineworker.internal.OutcomeValidator;
import dev.pipelineworker.internal.RateLimitedLog;
import dev.pipelineworker.internal.ResultReporter;
import dev.pipelineworker.internal.ScratchSpace;
import dev.pipelineworker.internal.channel.ClaimResult;
import dev.pipelineworker.internal.channel.ClaimedJob;
import dev.pipelineworker.internal.channel.JobChannel;
import dev.pipelineworker.internal.channel.PendingClaim;
import dev.pipelineworker.internal.channel.Report;
import dev.pipelineworker.internal.journal.JournalEntry;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.MDC;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * What happens to a job's outcome: validated into what CodePipeline accepts, written to the journal, delivered
 * with retries, and the journal entry removed once CodePipeline took it. It also recovers what an earlier run of
 * the worker left in the journal, before the first poll.
 */
final class ReportPipeline {

    static final String INTERRUPTED_MESSAGE = "the worker stopped while this job was running; its work may be "
            + "incomplete, so the job is failed rather than left to time out";

    private final Map<String, JobChannel> channels = new LinkedHashMap<>();
    private final OutcomeValidator validator;
    private final JobJournal journal;
    private final ResultReporter reporter;
    private final JobRegistry registry;
    private final JobWorkerListener listener;
    private final ExecutorService reportExecutor;
    private final ScratchSpace scratch;
    private final Logger log;

    ReportPipeline(List<JobChannel> channels, WorkerSettings.Handling handling, JobJournal journal,
                   ResultReporter reporter, JobRegistry registry, JobWorkerListener listener,
                   ExecutorService reportExecutor, Logger log) {
        channels.forEach(channel -> this.channels.put(channel.queue().id(), channel));
        this.validator = handling.validator();
        this.scratch = handling.scratch();
        this.journal = journal;
        this.reporter = reporter;
        this.registry = registry;
        this.listener = listener;
        this.reportExecutor = reportExecutor;
        this.log = log;
    }

    /** Reports {@code job}'s outcome on the calling thread, then ends the job. The caller took the report. */
    void report(Job job, JobOutcome outcome) {
        report(job, validator.validate(outcome));
    }

    /** Reports {@code job}'s validated report on the calling thread, then ends the job and clears its scratch. */
    void report(Job job, Report report) {
        report(job, report, JobObserver.JobEnding.Result.FAILED);
    }

    /**
     * As {@link #report(Job, Report)}; a failure, once accepted, ends the job's observation as {@code failedAs}
     * (the handler's failure, or the worker's at the deadline or the end of the grace).
     */
    private void report(Job job, Report report, JobObserver.JobEnding.Result failedAs) {
        ClaimedJob claimed = job.claimed();
        AtomicReference<ResultReporter.Delivery> delivery = new AtomicReference<>(ResultReporter.Delivery.FAILED);
        try {
            job.observation().phase(JobObserver.JobPhase.REPORT, () -> {
                journal.finished(job.queue(), claimed.jobId(), claimed.clientId(), report);
                delivery.set(deliver(job.channel(), claimed, report, job.claimedAtNanos()));
            });
        } finally {
            deleteScratch(claimed.jobId());
            registry.done(job);
            job.observation().ended(ending(report, delivery.get(), failedAs));
        }
    }

    private static JobObserver.JobEnding ending(Report report, ResultReporter.Delivery delivery,
                                                JobObserver.JobEnding.Result failedAs) {
        if (delivery != ResultReporter.Delivery.ACCEPTED) {
            return JobObserver.JobEnding.of(JobObserver.JobEnding.Result.UNREPORTED);
        }
        if (report instanceof Report.Failure failure) {
            return new JobObserver.JobEnding(failedAs, failure.type());
        }
        return JobObserver.JobEnding.of(((Report.Success) report).isContinuation()
                ? JobObserver.JobEnding.Result.CONTINUED : JobObserver.JobEnding.Result.SUCCEEDED);
    }

    /**
     * Ends a job CodePipeline cancelled while it ran, whose report the caller took: nothing is sent, its journal
     * entry and scratch directory go, and its observation ends as cancelled.
     */
    void dropCancelled(Job job) {
        try {
            journal.forget(job.id());
            deleteScratch(job.id());
        } finally {
            registry.done(job);
            listener.cancelled(job.queue(), job.id());
            job.observation().ended(JobObserver.JobEnding.of(JobObserver.JobEnding.Result.CANCELLED));
        }
    }

    private void deleteScratch(String jobId) {
        try {
            scratch.delete(jobId);
        } catch (IOException | RuntimeException e) {
            log.warn("job {}: deleting its scratch directory failed: {}", jobId, RateLimitedLog.describe(e));
        }
    }

    /**
     * Reports the failure the worker made of {@code job} ({@code cause}: its deadline, or the end of the shutdown
     * grace) on a report thread, for the timers that must not block; on the calling thread if no report thread
     * can be had.
     */
    void reportCutOff(Job job, JobOutcome.Fail outcome, JobObserver.JobEnding.Result cause) {
        try {
            reportExecutor.execute(() -> {
                ClaimedJob claimed = job.claimed();
                try (JobMdc mdc = JobMdc.open(claimed.jobId(),
                        claimed.data() == null ? null : claimed.data().pipeline(), job.queue().region())) {
                    report(job, validator.validate(outcome), cause);
                }
            });
        } catch (RejectedExecutionException e) {
            report(job, validator.validate(outcome), cause);
        }
    }

    /** Sends the report; {@code claimedAtNanos} is when the claim was accepted, 0 for a recovered job. */
    private ResultReporter.Delivery deliver(JobChannel channel, ClaimedJob job, Report report, long claimedAtNanos) {
        long started = System.nanoTime();
        ResultReporter.Delivery delivery = reporter.report(channel, job, report);
        if (delivery == ResultReporter.Delivery.ACCEPTED) {
            long accepted = System.nanoTime();
            announce(channel.queue(), job.jobId(), report);
            listener.resultAccepted(channel.queue(), job.jobId(), Duration.ofNanos(accepted - started),
                    claimedAtNanos == 0 ? null : Duration.ofNanos(accepted - claimedAtNanos));
            log.info("job {} reported: {} ({} ms to report)", job.jobId(), describe(report),
                    (accepted - started) / 1_000_000);
        }
        if (delivery != ResultReporter.Delivery.FAILED) {
            journal.forget(job.jobId());
        }
        return delivery;
    }

    /**
     * Settles what an earlier run of this worker left: outcomes it finished are reported as they were; jobs it
     * was running are failed, so their pipelines do not wait for the timeout; claims it journaled but may not
     * have sent are asked about, and failed the same way if they made the job ours, or forgotten if not. Entries
     * of another queue, or of a newer format, are kept for a worker that can settle them.
     */
    void recover() {
        Map<String, byte[]> entries;
        try {
            entries = journal.open();
        } catch (IOException e) {
            log.error("reading the outcome journal failed; earlier outcomes cannot be recovered: {}",
                    RateLimitedLog.describe(e));
            return;
        }
        for (Map.Entry<String, byte[]> stored : entries.entrySet()) {
            String jobId = stored.getKey();
            try (JobMdc mdc = JobMdc.open(jobId, null, null)) {
                recover(jobId, JournalEntry.fromBytes(stored.getValue()));
            } catch (JournalEntry.UnknownVersionException e) {
                log.warn("job {}: {}", jobId, e.getMessage());
            } catch (IOException | RuntimeException e) {
                log.error("job {}: its outcome journal entry cannot be reported and is dropped: {}", jobId,
                        RateLimitedLog.describe(e));
                journal.forget(jobId);
            }
        }
    }

    private void recover(String jobId, JournalEntry entry) {
        JobChannel channel = channelOf(entry);
        if (channel == null) {
            log.warn("job {} was claimed from {}, which this worker does not serve; its journal entry is kept",
                    jobId, entry.queue());
            return;
        }
        MDC.put(MdcKeys.REGION, channel.queue().region().id());
        // Whatever the earlier run's handler left is of no use to anyone now.
        deleteScratch(jobId);
        Report report = entry.report();
        if (report != null) {
            log.info("job {} finished before the worker stopped; reporting its {} now", jobId, report);
            deliver(channel, channel.restore(jobId, entry.clientId()), report, 0);
            return;
        }
        PendingClaim claim = entry.pendingClaim();
        ClaimedJob owned;
        if (claim == null) {
            owned = channel.restore(jobId, entry.clientId());
        } else {
            ClaimResult result;
            try {
                result = channel.reclaim(claim);
            } catch (SdkException e) {
                log.warn("job {} was being claimed when the worker stopped, and CodePipeline cannot say now whether "
                        + "the claim went through ({}); its journal entry is kept for the next start", jobId,
                        RateLimitedLog.describe(e));
                return;
            }
            if (!(result instanceof ClaimResult.Claimed claimed)) {
                log.debug("job {} was being claimed when the worker stopped and is not ours: {}", jobId,
                        result instanceof ClaimResult.Lost lost ? lost.reason() : result);
                journal.forget(jobId);
                return;
            }
            owned = claimed.job();
        }
        log.warn("job {} was running when the worker stopped; reporting it as failed", jobId);
        Report failure = validator.validate(JobOutcome.fail(FailureType.SYSTEM_UNAVAILABLE, INTERRUPTED_MESSAGE));
        journal.finished(channel.queue(), jobId, entry.clientId(), failure);
        deliver(channel, owned, failure, 0);
    }

    /**
     * The channel of the queue an entry was claimed from; for a first-format entry, which names none, the only
     * queue when there is just one (as there was when such entries were written), else {@code null}.
     */
    private JobChannel channelOf(JournalEntry entry) {
        if (entry.queue() != null) {
            return channels.get(entry.queue());
        }
        return channels.size() == 1 ? channels.values().iterator().next() : null;
    }

    private void announce(JobQueue queue, String jobId, Report report) {
        if (report instanceof Report.Success s) {
            if (s.isContinuation()) {
                listener.continued(queue, jobId);
            } else {
                listener.succeeded(queue, jobId);
            }
        } else {
            listener.failed(queue, jobId, ((Report.Failure) report).type());
        }
    }

    private static String describe(Report report) {
        if (report instanceof Report.Failure f) {
            return "failure " + f.type().apiName() + ": " + f.message();
        }
        Report.Success s = (Report.Success) report;
        return (s.isContinuation() ? "continuation" : "success") + (s.summary() == null ? "" : ": " + s.summary());
    }
}

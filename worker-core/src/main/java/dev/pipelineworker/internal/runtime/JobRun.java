package dev.pipelineworker.internal.runtime;

import dev.pipelineworker.ArtifactAccess;
import dev.pipelineworker.ArtifactStore;
import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobFailureException;
import dev.pipelineworker.JobObserver;
import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.JobWorkerListener;
import dev.pipelineworker.internal.HandlerInvocation;
import dev.pipelineworker.internal.JobMdc;
import dev.pipelineworker.internal.RateLimitedLog;
import dev.pipelineworker.internal.channel.ClaimGate;
import dev.pipelineworker.internal.channel.ClaimResult;
import dev.pipelineworker.internal.channel.ClaimedJob;
import dev.pipelineworker.internal.channel.JobChannel;
import dev.pipelineworker.internal.channel.PolledJob;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;

/**
 * The run of one job on the job executor: claim it (journaling the claim before the acknowledgement), run the
 * handler under the job's deadline, and hand the outcome to the {@link ReportPipeline}. The deadline and the end
 * of the shutdown grace race the handler for the report; {@link Job#takeReport()} lets exactly one of them win.
 */
final class JobRun {

    static final String SHUTDOWN_MESSAGE = "worker shutting down";

    private final WorkerSettings settings;
    private final JobRegistry registry;
    private final JobJournal journal;
    private final ReportPipeline reports;
    private final BooleanSupplier accepting;
    private final JobWorkerListener listener;
    private final RateLimitedLog warnings;
    private final Logger log;
    private final HandlerInvocation invocation;

    JobRun(WorkerSettings settings, JobRegistry registry, JobJournal journal, ReportPipeline reports,
           BooleanSupplier accepting, RateLimitedLog warnings, Logger log) {
        this.settings = settings;
        this.registry = registry;
        this.journal = journal;
        this.reports = reports;
        this.accepting = accepting;
        this.listener = settings.listener();
        this.warnings = warnings;
        this.log = log;
        WorkerSettings.Handling handling = settings.handling();
        this.invocation = new HandlerInvocation(handling.handler(), handling.validator(), handling.codec(),
                settings.seams().clock(), handling.scratch(), handling.configuration(), log);
    }

    /**
     * Runs {@code polled}, from the queue of {@code channel}, with the slot {@code permit} on the job executor; when
     * it is done its thread offers the slot to {@code loop} for the next poll.
     */
    void dispatch(JobChannel channel, PolledJob polled, Capacity.Permit permit, PollLoop loop) {
        Job job = new Job(channel, polled, permit);
        if (!registry.add(job)) {
            log.debug("job {} polled again while still in flight; not dispatched twice", polled.jobId());
            permit.release();
            return;
        }
        try {
            job.execution(settings.threads().jobExecutor().submit(() -> run(job, loop)));
        } catch (RejectedExecutionException e) {
            warnings.warn("rejected", "the job executor refused a job of " + channel.queue()
                    + "; it stays free for other workers", null);
            job.releaseSlot();
            registry.done(job);
        }
    }

    private void run(Job job, PollLoop loop) {
        // Whether nothing can interrupt this thread on the job's behalf any more, so that it may poll for the next.
        boolean threadFree = false;
        try {
            if (job.startClaiming() && accepting.getAsBoolean()) {
                job.observation(settings.observer().jobStarted(job.queue(), job.id()));
                threadFree = claimAndRun(job);
            } else {
                threadFree = true;
            }
        } finally {
            if (job.claimed() == null) {
                registry.done(job);
            }
            if (!threadFree || Thread.currentThread().isInterrupted() || !loop.pollOn(job.slot())) {
                job.releaseSlot();
            }
        }
    }

    /** Claims and runs the job; false when the deadline or the shutdown took its report (and may interrupt). */
    private boolean claimAndRun(Job job) {
        String jobId = job.id();
        ClaimGate gate = claim -> {
            if (!accepting.getAsBoolean()) {
                return false;
            }
            if (journal.claiming(job.queue(), claim)) {
                job.journaled(claim);
            }
            return true;
        };
        AtomicReference<ClaimResult> claim = new AtomicReference<>();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        job.observation().phase(JobObserver.JobPhase.CLAIM, () -> {
            try {
                claim.set(job.channel().claim(job.polled(), gate));
            } catch (RuntimeException e) {
                failure.set(e);
            }
        });
        if (failure.get() != null) {
            warnings.warn("claim", "claiming job " + jobId + " failed; it stays free for other workers"
                    + (job.journaledClaim() != null ? ", and the journal keeps the claim for the next start to settle"
                    : ""), failure.get());
            job.observation().ended(JobObserver.JobEnding.of(JobObserver.JobEnding.Result.SKIPPED));
            return true;
        }
        if (!(claim.get() instanceof ClaimResult.Claimed claimed)) {
            unclaimed(job, claim.get());
            return true;
        }
        ClaimedJob owned = claimed.job();
        if (job.journaledClaim() != null) {
            journal.acknowledged(job.queue(), job.journaledClaim());
        }
        job.claimed(owned);
        listener.claimed(job.queue(), jobId);
        job.observation().claimed(owned.data() == null ? job.queue().actionType() : owned.data().actionTypeId(),
                owned.data() == null ? null : owned.data().pipeline());
        try (JobMdc mdc = JobMdc.open(jobId, owned.data() == null ? null : owned.data().pipeline(),
                job.queue().region())) {
            return runClaimed(job, owned);
        }
    }

    /** Runs the claimed job; true when this thread reported it. */
    private boolean runClaimed(Job job, ClaimedJob owned) {
        String jobId = job.id();
        if (owned.malformed() != null) {
            log.warn("job {} cannot run: {}", jobId, owned.malformed().getMessage());
            if (job.takeReport()) {
                reports.report(job, owned.malformed().toOutcome());
                return true;
            }
            return false;
        }
        Duration timeout = settings.limits().jobTimeout();
        Instant deadline = settings.seams().clock().instant().plus(timeout);
        job.deadline(settings.threads().scheduler().schedule(() -> onDeadline(job), timeout.toNanos(),
                TimeUnit.NANOSECONDS));
        AtomicReference<HandlerInvocation.Result> run = new AtomicReference<>();
        job.observation().phase(JobObserver.JobPhase.HANDLER,
                () -> run.set(invocation.run(owned.data(), deadline, () -> openStore(job.channel(), owned),
                        job.cancellation())));
        HandlerInvocation.Result result = run.get();
        listener.handlerFinished(job.queue(), jobId, result.duration(), result.outcome());
        if (job.takeReport()) {
            job.cancelDeadline();
            reports.report(job, result.report());
            return true;
        }
        if (job.cancellation().isCancelled()) {
            log.debug("job {}: the handler of the cancelled job returned; its outcome was dropped", jobId);
            return false;
        }
        log.warn("job {}: the handler returned after the job was already reported as {}; its outcome was dropped",
                jobId, accepting.getAsBoolean() ? "timed out" : "failed by the shutdown");
        return false;
    }

    private void unclaimed(Job job, ClaimResult result) {
        String jobId = job.id();
        if (job.journaledClaim() != null) {
            journal.forget(jobId);
        }
        job.observation().ended(JobObserver.JobEnding.of(result instanceof ClaimResult.Lost
                ? JobObserver.JobEnding.Result.LOST : JobObserver.JobEnding.Result.SKIPPED));
        if (result instanceof ClaimResult.Lost lost) {
            log.debug("job {} taken elsewhere: {}", jobId, lost.reason());
            listener.lostToOtherWorker(job.queue(), jobId);
        } else if (result instanceof ClaimResult.Skipped skipped) {
            if (accepting.getAsBoolean()) {
                warnings.warn("skip:" + skipped.reason(), "job " + jobId + " skipped: " + skipped.reason(), null);
            } else {
                log.debug("job {} left unclaimed: {}", jobId, skipped.reason());
            }
        }
    }

    private ArtifactStore openStore(JobChannel channel, ClaimedJob job) {
        if (settings.handling().artifactStores() == null) {
            throw new JobFailureException(FailureType.JOB_FAILED, "no artifact store is configured: add "
                    + "dev.pipelineworker:worker-s3 to the classpath or set JobWorker.Builder.artifactStoreFactory");
        }
        var data = job.data();
        return settings.handling().artifactStores().open(ArtifactAccess.builder(job.jobId())
                .inputArtifacts(data.inputArtifacts()).outputArtifacts(data.outputArtifacts())
                .encryptionKey(data.encryptionKey()).credentials(data.credentials())
                .refresher(() -> channel.refreshCredentials(job)).region(data.region()).build());
    }

    private void onDeadline(Job job) {
        if (!job.takeReport()) {
            return;
        }
        job.interrupt();
        reports.reportCutOff(job, JobOutcome.fail(FailureType.JOB_FAILED,
                "the job timed out: the handler did not finish within " + settings.limits().jobTimeout()),
                JobObserver.JobEnding.Result.TIMED_OUT);
    }

    /**
     * The end of the shutdown grace: running jobs are interrupted and failed as cut off by the shutdown; jobs
     * whose thread has not started are dropped unclaimed.
     */
    void expireGrace() {
        for (Job job : registry.snapshot()) {
            if (job.claimed() != null) {
                if (job.takeReport()) {
                    job.cancelDeadline();
                    job.interrupt();
                    reports.reportCutOff(job, JobOutcome.fail(FailureType.SYSTEM_UNAVAILABLE, SHUTDOWN_MESSAGE),
                            JobObserver.JobEnding.Result.CUT_OFF);
                }
            } else if (job.cancelIfNotStarted()) {
                job.releaseSlot();
                registry.done(job);
            }
        }
    }
}

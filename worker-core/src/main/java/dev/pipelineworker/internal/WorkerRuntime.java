package dev.pipelineworker.internal;

import dev.pipelineworker.ArtifactAccess;
import dev.pipelineworker.ArtifactStore;
import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobFailureException;
import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.internal.channel.ClaimResult;
import dev.pipelineworker.internal.channel.ClaimedJob;
import dev.pipelineworker.internal.channel.JobChannel;
import dev.pipelineworker.internal.channel.PolledJob;
import dev.pipelineworker.internal.channel.Report;
import dev.pipelineworker.internal.journal.JournalEntry;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.codepipeline.model.ActionTypeNotFoundException;

/**
 * The poll, claim, run and report loop behind {@link dev.pipelineworker.JobWorker}. One poller
 * thread asks for as many jobs as there are free slots and never polls when none is free; each
 * job is claimed, run and reported on the job executor; a scheduler enforces deadlines and the
 * shutdown grace period. Every claimed job gets exactly one report sequence, guarded per job.
 */
public final class WorkerRuntime {

    private static final Logger LOG = LoggerFactory.getLogger("dev.pipelineworker.JobWorker");
    static final String SHUTDOWN_MESSAGE = "worker shutting down";
    static final String INTERRUPTED_MESSAGE = "the worker stopped while this job was running; its work may be "
            + "incomplete, so the job is failed rather than left to time out";

    private enum State { NEW, RUNNING, SHUTTING_DOWN, TERMINATED }

    private final WorkerSettings settings;
    private final JobChannel channel;
    private final ResultReporter reporter;
    private final RateLimitedLog warnings;
    private final Semaphore capacity;
    private final Map<String, RunningJob> inFlight = new ConcurrentHashMap<>();
    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private final ExecutorService reportExecutor;
    // The default root until the settings carry one; the same on every start, so a restart finds it.
    private final ScratchSpace scratch = ScratchSpace.inTemporaryDirectory();
    private volatile Thread poller;
    private volatile boolean pollerExited;

    public WorkerRuntime(WorkerSettings settings) {
        this.settings = settings;
        this.channel = settings.channel();
        this.reporter = new ResultReporter(channel, settings.reportMaxAttempts(), settings.reportBackoff(),
                settings.random(), settings.listener());
        this.warnings = new RateLimitedLog(LOG, settings.clock(), Duration.ofMinutes(1));
        this.capacity = new Semaphore(settings.maxConcurrentJobs());
        this.reportExecutor = Executors.newCachedThreadPool(settings.threadFactory());
    }

    /** Starts polling. */
    public void start() {
        if (!state.compareAndSet(State.NEW, State.RUNNING)) {
            throw new IllegalStateException("the worker was already started");
        }
        Thread thread = settings.threadFactory().newThread(this::pollLoop);
        thread.setName("pipeline-worker-poller");
        poller = thread;
        thread.start();
        LOG.info("worker started: up to {} concurrent jobs", settings.maxConcurrentJobs());
        LeakyLoggers.warnIfEnabled(LOG);
    }

    /** Whether the worker polls for new jobs. */
    public boolean isRunning() {
        return state.get() == State.RUNNING;
    }

    /** The jobs claimed or being claimed and not yet reported. */
    public int inFlightJobs() {
        return inFlight.size();
    }

    /**
     * Stops polling at once; running jobs get the grace period to finish, after which they are
     * reported as failed with {@link FailureType#SYSTEM_UNAVAILABLE}.
     */
    public void shutdown() {
        if (state.compareAndSet(State.NEW, State.TERMINATED)) {
            pollerExited = true;
            terminated.complete(null);
            return;
        }
        if (!state.compareAndSet(State.RUNNING, State.SHUTTING_DOWN)) {
            return;
        }
        LOG.info("worker shutting down: {} jobs in flight, grace period {}", inFlight.size(),
                settings.shutdownGrace());
        Thread thread = poller;
        if (thread != null) {
            thread.interrupt();
        }
        settings.scheduler().schedule(this::expireGrace, settings.shutdownGrace().toNanos(), TimeUnit.NANOSECONDS);
        checkTerminated();
    }

    /** Waits until polling stopped and every claimed job was reported; false on timeout. */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        try {
            terminated.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Releases the threads the runtime made and the journal; call after termination. */
    public void release() {
        reportExecutor.shutdownNow();
        try {
            settings.journal().close();
        } catch (IOException e) {
            LOG.warn("closing the outcome journal failed: {}", RateLimitedLog.describe(e));
        }
    }

    private void pollLoop() {
        int idlePolls = 0;
        int errors = 0;
        int throttles = 0;
        try {
            recoverJournal();
            while (isRunning()) {
                int permits;
                try {
                    capacity.acquire();
                    permits = 1 + capacity.drainPermits();
                } catch (InterruptedException e) {
                    break;
                }
                List<PolledJob> jobs;
                try {
                    jobs = channel.poll(permits);
                    errors = 0;
                    throttles = 0;
                } catch (RuntimeException e) {
                    capacity.release(permits);
                    if (!isRunning()) {
                        // Shutdown interrupted the poll (the SDK throws AbortedException): not a failure.
                        break;
                    }
                    boolean throttled = e instanceof AwsServiceException ase && ase.isThrottlingException();
                    settings.listener().pollFailed(e, throttled);
                    Duration wait = throttled ? settings.throttleBackoff().delay(++throttles, settings.random())
                            : settings.errorBackoff().delay(++errors, settings.random());
                    warnings.warn("poll", pollFailure(e, throttled, wait), e);
                    if (!settings.sleeper().sleep(wait)) {
                        break;
                    }
                    continue;
                }
                int taken = Math.min(jobs.size(), permits);
                settings.listener().polled(permits, jobs.size());
                if (!isRunning()) {
                    capacity.release(permits);
                    break;
                }
                capacity.release(permits - taken);
                for (PolledJob job : jobs.subList(0, taken)) {
                    dispatch(job);
                }
                if (taken == 0) {
                    if (!settings.sleeper().sleep(settings.idleBackoff().delay(++idlePolls, settings.random()))) {
                        break;
                    }
                } else {
                    idlePolls = 0;
                }
            }
        } finally {
            pollerExited = true;
            checkTerminated();
        }
    }

    private String pollFailure(RuntimeException e, boolean throttled, Duration wait) {
        String what = e instanceof ActionTypeNotFoundException
                ? "poll failed: CodePipeline does not know this action type; check its category, owner, provider and version"
                : throttled ? "poll throttled by CodePipeline" : "poll failed";
        return what + "; next poll in " + wait.toMillis() + " ms";
    }

    private void dispatch(PolledJob job) {
        RunningJob running = new RunningJob(job);
        if (inFlight.putIfAbsent(job.jobId(), running) != null) {
            capacity.release();
            return;
        }
        try {
            running.future = settings.jobExecutor().submit(() -> runJob(running));
        } catch (RejectedExecutionException e) {
            warnings.warn("rejected", "the job executor refused a job; it stays free for other workers", null);
            inFlight.remove(job.jobId());
            capacity.release();
            checkTerminated();
        }
    }

    private void runJob(RunningJob running) {
        String jobId = running.polled.jobId();
        try {
            if (!isRunning()) {
                return;
            }
            ClaimResult result;
            try {
                result = channel.claim(running.polled, this::isRunning);
            } catch (RuntimeException e) {
                warnings.warn("claim", "claiming job " + jobId + " failed; it stays free for other workers", e);
                return;
            }
            if (result instanceof ClaimResult.Lost lost) {
                LOG.debug("job {} taken elsewhere: {}", jobId, lost.reason());
                settings.listener().lostToOtherWorker(jobId);
                return;
            }
            if (result instanceof ClaimResult.Skipped skipped) {
                if (isRunning()) {
                    warnings.warn("skip:" + skipped.reason(), "job " + jobId + " skipped: " + skipped.reason(), null);
                } else {
                    LOG.debug("job {} left unclaimed: {}", jobId, skipped.reason());
                }
                return;
            }
            ClaimedJob job = ((ClaimResult.Claimed) result).job();
            Instant deadline = settings.clock().instant().plus(settings.jobTimeout());
            running.claim(job);
            settings.listener().claimed(jobId);
            putMdc(job);
            journal(job.jobId(), JournalEntry.claimed(job.jobId(), job.clientId()));
            if (job.malformed() != null) {
                LOG.warn("job {} cannot run: {}", jobId, job.malformed().getMessage());
                if (running.takeReport()) {
                    finish(running, job.malformed().toOutcome());
                }
                return;
            }
            running.timeout = settings.scheduler().schedule(() -> onTimeout(running),
                    settings.jobTimeout().toNanos(), TimeUnit.NANOSECONDS);
            JobOutcome outcome = runHandler(job, deadline);
            if (running.takeReport()) {
                running.timeout.cancel(false);
                finish(running, outcome);
            } else {
                LOG.warn("job {}: the handler returned after the job was already reported as {}; its outcome was dropped",
                        jobId, isRunning() ? "timed out" : "failed by the shutdown");
            }
        } finally {
            MDC.clear();
            capacity.release();
            if (!running.isClaimed()) {
                done(running);
            }
        }
    }

    private JobOutcome runHandler(ClaimedJob job, Instant deadline) {
        HandlerInvocation.Result result = new HandlerInvocation(settings.handler(), settings.validator(),
                settings.codec(), settings.clock(), scratch, LOG).run(job.data(), deadline, () -> openStore(job));
        settings.listener().handlerFinished(job.jobId(), result.duration());
        return result.outcome();
    }

    private ArtifactStore openStore(ClaimedJob job) {
        if (settings.artifactStores() == null) {
            throw new JobFailureException(FailureType.JOB_FAILED, "no artifact store is configured: add "
                    + "dev.pipelineworker:worker-s3 to the classpath or set JobWorker.Builder.artifactStoreFactory");
        }
        var data = job.data();
        return settings.artifactStores().open(new ArtifactAccess(job.jobId(), data.inputArtifacts(),
                data.outputArtifacts(), data.encryptionKey(), data.credentials(),
                () -> channel.refreshCredentials(job)));
    }

    private void onTimeout(RunningJob running) {
        if (!running.takeReport()) {
            return;
        }
        interrupt(running);
        reportAsync(running, JobOutcome.fail(FailureType.JOB_FAILED,
                "the job timed out: the handler did not finish within " + settings.jobTimeout()));
    }

    private void expireGrace() {
        for (RunningJob running : inFlight.values()) {
            if (running.isClaimed()) {
                if (running.takeReport()) {
                    if (running.timeout != null) {
                        running.timeout.cancel(false);
                    }
                    interrupt(running);
                    reportAsync(running, JobOutcome.fail(FailureType.SYSTEM_UNAVAILABLE, SHUTDOWN_MESSAGE));
                }
            } else if (running.future != null && running.future.cancel(false)) {
                capacity.release();
                done(running);
            }
        }
    }

    private static void interrupt(RunningJob running) {
        Future<?> future = running.future;
        if (future != null) {
            future.cancel(true);
        }
    }

    private void reportAsync(RunningJob running, JobOutcome outcome) {
        try {
            reportExecutor.execute(() -> {
                putMdc(running.claimed);
                try {
                    finish(running, outcome);
                } finally {
                    MDC.clear();
                }
            });
        } catch (RejectedExecutionException e) {
            finish(running, outcome);
        }
    }

    private void finish(RunningJob running, JobOutcome outcome) {
        ClaimedJob job = running.claimed;
        try {
            Report report = settings.validator().validate(outcome);
            journal(job.jobId(), JournalEntry.claimed(job.jobId(), job.clientId()).finished(report));
            deliver(job, report);
        } finally {
            try {
                scratch.delete(job.jobId());
            } catch (IOException e) {
                LOG.warn("job {}: deleting its scratch directory failed: {}", job.jobId(), RateLimitedLog.describe(e));
            }
            done(running);
        }
    }

    private void deliver(ClaimedJob job, Report report) {
        long started = System.nanoTime();
        ResultReporter.Delivery delivery = reporter.report(job, report);
        if (delivery == ResultReporter.Delivery.ACCEPTED) {
            announce(job.jobId(), report);
            LOG.info("job {} reported: {} ({} ms to report)", job.jobId(), describe(report),
                    (System.nanoTime() - started) / 1_000_000);
        }
        if (delivery != ResultReporter.Delivery.FAILED) {
            try {
                settings.journal().delete(job.jobId());
            } catch (IOException e) {
                LOG.error("job {}: removing its outcome journal entry failed: {}", job.jobId(),
                        RateLimitedLog.describe(e));
            }
        }
    }

    private void journal(String jobId, JournalEntry entry) {
        try {
            settings.journal().write(jobId, entry.toBytes());
        } catch (IOException | RuntimeException e) {
            warnings.warn("journal", "job " + jobId + ": writing the outcome journal failed; a crash now would "
                    + "lose this job's outcome", e);
        }
    }

    /**
     * Reports what an earlier run of this worker left unreported: finished outcomes as they were,
     * and jobs that were still running as failed, so their pipelines do not wait for the timeout.
     */
    private void recoverJournal() {
        Map<String, byte[]> entries;
        try {
            entries = settings.journal().readAll();
        } catch (IOException e) {
            LOG.error("reading the outcome journal failed; earlier outcomes cannot be recovered: {}",
                    RateLimitedLog.describe(e));
            return;
        }
        for (Map.Entry<String, byte[]> stored : entries.entrySet()) {
            String jobId = stored.getKey();
            MDC.put("jobId", jobId);
            try {
                JournalEntry entry = JournalEntry.fromBytes(stored.getValue());
                Report report = entry.report();
                if (report == null) {
                    LOG.warn("job {} was running when the worker stopped; reporting it as failed", jobId);
                    report = settings.validator().validate(JobOutcome.fail(FailureType.SYSTEM_UNAVAILABLE,
                            INTERRUPTED_MESSAGE));
                } else {
                    LOG.info("job {} finished before the worker stopped; reporting its {} now", jobId, report);
                }
                deliver(channel.restore(jobId, entry.clientId()), report);
            } catch (IOException | RuntimeException e) {
                LOG.error("job {}: its outcome journal entry cannot be reported and is dropped: {}", jobId,
                        RateLimitedLog.describe(e));
                try {
                    settings.journal().delete(jobId);
                } catch (IOException ignored) {
                    LOG.debug("dropping the journal entry failed too", ignored);
                }
            } finally {
                MDC.clear();
            }
        }
    }

    private void announce(String jobId, Report report) {
        if (report instanceof Report.Success s) {
            if (s.isContinuation()) {
                settings.listener().continued(jobId);
            } else {
                settings.listener().succeeded(jobId);
            }
        } else {
            settings.listener().failed(jobId, ((Report.Failure) report).type());
        }
    }

    private static String describe(Report report) {
        if (report instanceof Report.Failure f) {
            return "failure " + f.type().apiName() + ": " + f.message();
        }
        Report.Success s = (Report.Success) report;
        return (s.isContinuation() ? "continuation" : "success") + (s.summary() == null ? "" : ": " + s.summary());
    }

    private void done(RunningJob running) {
        if (running.markDone()) {
            inFlight.remove(running.polled.jobId(), running);
            checkTerminated();
        }
    }

    private void checkTerminated() {
        State current = state.get();
        if (current == State.SHUTTING_DOWN && pollerExited && inFlight.isEmpty()
                && state.compareAndSet(State.SHUTTING_DOWN, State.TERMINATED)) {
            // Often called on the thread of the last job to finish: the line is the worker's, not that job's.
            Map<String, String> jobMdc = MDC.getCopyOfContextMap();
            MDC.clear();
            LOG.info("worker stopped");
            if (jobMdc != null) {
                MDC.setContextMap(jobMdc);
            }
            terminated.complete(null);
        }
    }

    private static void putMdc(ClaimedJob job) {
        MDC.put("jobId", job.jobId());
        if (job.data() != null) {
            var pipeline = job.data().pipeline();
            putIfPresent("pipeline", pipeline.pipelineName());
            putIfPresent("stage", pipeline.stageName());
            putIfPresent("action", pipeline.actionName());
            putIfPresent("actionExecutionId", pipeline.actionExecutionId());
        }
    }

    private static void putIfPresent(String key, String value) {
        if (value != null) {
            MDC.put(key, value);
        }
    }

    /** One dispatched job: whether it was claimed, who reports it, and whether it is done. */
    private static final class RunningJob {
        private final PolledJob polled;
        private final AtomicBoolean reportTaken = new AtomicBoolean();
        private final AtomicBoolean finished = new AtomicBoolean();
        private volatile ClaimedJob claimed;
        private volatile Future<?> future;
        private volatile Future<?> timeout;

        RunningJob(PolledJob polled) {
            this.polled = polled;
        }

        void claim(ClaimedJob job) {
            claimed = job;
        }

        boolean isClaimed() {
            return claimed != null;
        }

        /** True for exactly one caller: the one that reports the job. */
        boolean takeReport() {
            return reportTaken.compareAndSet(false, true);
        }

        boolean markDone() {
            return finished.compareAndSet(false, true);
        }
    }
}

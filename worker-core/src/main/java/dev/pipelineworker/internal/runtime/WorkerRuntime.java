package dev.pipelineworker.internal.runtime;

import dev.pipelineworker.FailureType;
import dev.pipelineworker.internal.LeakyLoggers;
import dev.pipelineworker.internal.RateLimitedLog;
import dev.pipelineworker.internal.ResultReporter;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The runtime behind {@link dev.pipelineworker.JobWorker}: its lifecycle (new, running, shutting down,
 * terminated) around three parts: the {@link PollLoop} on its own thread, the {@link JobRun} of each job on the
 * job executor, and the {@link ReportPipeline} that validates, journals, delivers and recovers outcomes. Every
 * claimed job gets exactly one report sequence; {@link Job} holds the rules for that.
 */
public final class WorkerRuntime {

    private static final Logger LOG = LoggerFactory.getLogger("dev.pipelineworker.JobWorker");

    private enum State { NEW, RUNNING, SHUTTING_DOWN, TERMINATED }

    private final WorkerSettings settings;
    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private final JobRegistry registry = new JobRegistry(this::checkTerminated);
    private final ThreadPoolExecutor reportExecutor;
    private final JobJournal journal;
    private final JobRun runs;
    private final PollLoop pollLoop;
    private volatile Thread poller;
    private volatile boolean pollerExited;

    public WorkerRuntime(WorkerSettings settings) {
        this.settings = settings;
        RateLimitedLog warnings = new RateLimitedLog(LOG, settings.seams().clock(), Duration.ofMinutes(1));
        // At most one report a job runs here (a timed-out or cut-off job's), so the job budget bounds the pool.
        int reportThreads = settings.limits().maxConcurrentJobs();
        this.reportExecutor = new ThreadPoolExecutor(reportThreads, reportThreads, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), settings.threads().factory());
        reportExecutor.allowCoreThreadTimeOut(true);
        this.journal = new JobJournal(settings.journal(), settings.channel().queue(), warnings, LOG);
        ResultReporter reporter = new ResultReporter(settings.channel(), settings.reporting().maxAttempts(),
                settings.reporting().backoff(), settings.seams().random(), settings.listener());
        ReportPipeline reports = new ReportPipeline(settings.channel(), settings.handling(), journal,
                reporter, registry, settings.listener(), reportExecutor, LOG);
        this.runs = new JobRun(settings, registry, journal, reports, this::isRunning, warnings, LOG);
        this.pollLoop = new PollLoop(settings, new Capacity(settings.limits().maxConcurrentJobs()), runs, reports,
                this::isRunning, warnings, this::pollerExited);
    }

    /** Starts polling. */
    public void start() {
        if (!state.compareAndSet(State.NEW, State.RUNNING)) {
            throw new IllegalStateException("the worker was already started");
        }
        Thread thread = settings.threads().factory().newThread(pollLoop);
        thread.setName("pipeline-worker-poller");
        poller = thread;
        thread.start();
        LOG.info("worker started: {}, up to {} concurrent jobs", settings.channel().queue(),
                settings.limits().maxConcurrentJobs());
        LeakyLoggers.warnIfEnabled(LOG);
    }

    /** Whether the worker polls for new jobs. */
    public boolean isRunning() {
        return state.get() == State.RUNNING;
    }

    /** The jobs claimed or being claimed and not yet reported. */
    public int inFlightJobs() {
        return registry.size();
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
        LOG.info("worker shutting down: {} jobs in flight, grace period {}", registry.size(),
                settings.limits().shutdownGrace());
        Thread thread = poller;
        if (thread != null) {
            thread.interrupt();
        }
        settings.threads().scheduler().schedule(runs::expireGrace, settings.limits().shutdownGrace().toNanos(),
                TimeUnit.NANOSECONDS);
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

    private void pollerExited() {
        pollerExited = true;
        checkTerminated();
    }

    private void checkTerminated() {
        if (state.get() == State.SHUTTING_DOWN && pollerExited && registry.isEmpty()
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
}

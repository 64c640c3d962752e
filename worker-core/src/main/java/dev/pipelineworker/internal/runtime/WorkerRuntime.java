package dev.pipelineworker.internal.runtime;

import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobQueue;
import dev.pipelineworker.WorkerControl;
import dev.pipelineworker.WorkerHealth;
import dev.pipelineworker.internal.LeakyLoggers;
import dev.pipelineworker.internal.RateLimitedLog;
import dev.pipelineworker.internal.ResultReporter;
import java.io.IOException;
import java.time.Duration;
import dev.pipelineworker.internal.channel.JobChannel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The runtime behind {@link dev.pipelineworker.JobWorker}: its lifecycle (new, running, shutting down,
 * terminated) around three parts: a {@link PollLoop} per queue, each on its own thread, the {@link JobRun} of each
 * job on the job executor, and the {@link ReportPipeline} that validates, journals, delivers and recovers
 * outcomes. The queues share the handler, the executor and the concurrency budget. Every claimed job gets exactly
 * one report sequence; {@link Job} holds the rules for that.
 */
public final class WorkerRuntime {

    private static final Logger LOG = LoggerFactory.getLogger("dev.pipelineworker.JobWorker");

    private enum State { NEW, RUNNING, SHUTTING_DOWN, TERMINATED }

    private final WorkerSettings settings;
    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private final JobRegistry registry = new JobRegistry(this::checkTerminated);
    private final ThreadPoolExecutor reportExecutor;
    private final JobRun runs;
    private final JobJournal journal;
    private final Capacity capacity;
    private final ReportPipeline reports;
    private final List<PollLoop> pollLoops = new ArrayList<>();
    private final List<Thread> pollers = new CopyOnWriteArrayList<>();
    private final AtomicInteger livePollers = new AtomicInteger();
    /** Job threads polling count as live pollers, so that termination waits for their polls. */
    private final PollLoop.LivePollers jobThreadPollers = new PollLoop.LivePollers() {
        @Override
        public boolean enter() {
            livePollers.incrementAndGet();
            if (isRunning()) {
                return true;
            }
            leave();
            return false;
        }

        @Override
        public void leave() {
            if (livePollers.decrementAndGet() == 0) {
                checkTerminated();
            }
        }
    };
    private final RuntimeControl control;

    public WorkerRuntime(WorkerSettings settings) {
        this.settings = settings;
        RateLimitedLog warnings = new RateLimitedLog(LOG, settings.seams().clock(), Duration.ofMinutes(1));
        // At most one report a job runs here (a timed-out or cut-off job's), so the job budget bounds the pool.
        int reportThreads = settings.limits().maxConcurrentJobs();
        this.reportExecutor = new ThreadPoolExecutor(reportThreads, reportThreads, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), settings.threads().factory());
        reportExecutor.allowCoreThreadTimeOut(true);
        this.journal = new JobJournal(settings.journal(), warnings, LOG);
        ResultReporter reporter = new ResultReporter(settings.reporting().maxAttempts(),
                settings.reporting().backoff(), settings.seams().random(), settings.listener());
        this.reports = new ReportPipeline(settings.channels(), settings.handling(), journal, reporter, registry,
                settings.listener(), reportExecutor, LOG);
        this.runs = new JobRun(settings, registry, journal, reports, this::isRunning, warnings, LOG);
        this.capacity = new Capacity(settings.limits().maxConcurrentJobs());
        Map<JobQueue, PollTrigger> triggers = new LinkedHashMap<>();
        for (JobChannel channel : settings.channels()) {
            PollTrigger trigger = new PollTrigger(settings.polling().idle());
            triggers.put(channel.queue(), trigger);
            pollLoops.add(new PollLoop(channel, settings, capacity, runs, this::isRunning, jobThreadPollers, warnings,
                    trigger));
        }
        this.control = new RuntimeControl(triggers, settings.polling().idle(), registry, reports,
                settings.seams().clock(), LOG);
    }

    /**
     * Starts: the first poller thread settles what an earlier run left in the journal, then starts the other
     * queues' pollers and becomes the first queue's, so that no queue polls before the recovery is done.
     */
    public void start() {
        if (!state.compareAndSet(State.NEW, State.RUNNING)) {
            throw new IllegalStateException("the worker was already started");
        }
        for (PollLoop loop : pollLoops) {
            LOG.info("worker serves {}", loop.queue());
        }
        LOG.info("worker started: {} queue(s), up to {} concurrent jobs", pollLoops.size(),
                settings.limits().maxConcurrentJobs());
        LeakyLoggers.warnIfEnabled(LOG);
        startPoller(this::recoverThenPoll, "pipeline-worker-poller");
    }

    private void recoverThenPoll() {
        reports.recover();
        for (int i = 1; i < pollLoops.size() && isRunning(); i++) {
            PollLoop loop = pollLoops.get(i);
            startPoller(loop, "pipeline-worker-poller-" + loop.queue().region().id() + "-"
                    + loop.queue().actionType().version());
        }
        if (isRunning()) {
            pollLoops.get(0).run();
        }
    }

    private void startPoller(Runnable loop, String name) {
        livePollers.incrementAndGet();
        Thread thread = settings.threads().factory().newThread(() -> {
            try {
                loop.run();
            } finally {
                if (livePollers.decrementAndGet() == 0) {
                    checkTerminated();
                }
            }
        });
        thread.setName(name);
        pollers.add(thread);
        thread.start();
        if (!isRunning()) {
            // Shutdown began while this poller was being started: it must not wait for its first poll to see it.
            thread.interrupt();
        }
    }

    /** What the worker's extensions may do to it. */
    public WorkerControl control() {
        return control;
    }

    /** Whether the worker polls for new jobs. */
    public boolean isRunning() {
        return state.get() == State.RUNNING;
    }

    /** A snapshot of the worker's state, its queues' polls, its slots and its journal; never calls AWS. */
    public WorkerHealth health() {
        WorkerHealth.State now = switch (state.get()) {
            case NEW -> WorkerHealth.State.STARTING;
            case RUNNING -> pollLoops.stream().anyMatch(PollLoop::hasPolled) ? WorkerHealth.State.READY
                    : WorkerHealth.State.STARTING;
            case SHUTTING_DOWN -> WorkerHealth.State.DRAINING;
            case TERMINATED -> WorkerHealth.State.STOPPED;
        };
        return new WorkerHealth(now, pollLoops.stream().map(PollLoop::health).toList(), capacity.inUse(),
                capacity.free(), registry.size(), journal.pending(), control.extensionHealth());
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
            terminated.complete(null);
            return;
        }
        if (!state.compareAndSet(State.RUNNING, State.SHUTTING_DOWN)) {
            return;
        }
        LOG.info("worker shutting down: {} jobs in flight, grace period {}", registry.size(),
                settings.limits().shutdownGrace());
        pollers.forEach(Thread::interrupt);
        pollLoops.forEach(PollLoop::interruptJobThreadPoll);
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

    private void checkTerminated() {
        if (state.get() == State.SHUTTING_DOWN && livePollers.get() == 0 && registry.isEmpty()
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

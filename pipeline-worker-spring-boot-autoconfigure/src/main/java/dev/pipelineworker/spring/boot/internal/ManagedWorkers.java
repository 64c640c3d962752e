package dev.pipelineworker.spring.boot.internal;

import dev.pipelineworker.JobWorker;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;

/**
 * The application's workers through its life: started once the application is ready (after the command-line and
 * application runners, never while the context is still starting), drained first when the context closes, within
 * {@code spring.lifecycle.timeout-per-shutdown-phase}: polling stops, the running jobs finish or, after each
 * worker's shutdown grace, are reported as failed, and only then does Spring go on stopping what the handlers use.
 */
public final class ManagedWorkers implements SmartLifecycle, ApplicationListener<ApplicationReadyEvent>,
        DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(ManagedWorkers.class);
    /** How long the blocking {@link #stop()} waits; Spring's own shutdown calls {@link #stop(Runnable)}. */
    private static final Duration BLOCKING_STOP_LIMIT = Duration.ofMinutes(5);

    private final ApplicationContext context;
    private final List<NamedWorker> workers;
    private boolean started;
    private boolean running;

    /** Runs {@code workers} for {@code context}; closes them when the context is destroyed. */
    public ManagedWorkers(ApplicationContext context, List<NamedWorker> workers) {
        this.context = Objects.requireNonNull(context, "context");
        this.workers = List.copyOf(workers);
    }

    /** The workers by name, in the order configured. */
    public Map<String, JobWorker> workers() {
        return workers.stream().collect(Collectors.toMap(NamedWorker::name, NamedWorker::worker, (a, b) -> a,
                LinkedHashMap::new));
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        if (event.getApplicationContext() == context) {
            start();
        }
    }

    /** Starts every worker, once: a worker does not restart after a stop. */
    @Override
    public synchronized void start() {
        if (started) {
            return;
        }
        started = true;
        running = true;
        for (NamedWorker named : workers) {
            named.worker().start();
            LOG.info("pipeline worker '{}' started, serving {}", named.name(), named.worker().queues());
        }
    }

    /** Not started with the context's refresh but on {@link ApplicationReadyEvent}. */
    @Override
    public boolean isAutoStartup() {
        return false;
    }

    /** The latest phase: stopped first on close, while everything the handlers use still runs. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE;
    }

    @Override
    public synchronized boolean isRunning() {
        return running;
    }

    /**
     * Stops every worker's polling at once and drains them on a thread of its own, so that Spring's shutdown phase
     * timeout bounds the wait; {@code callback} runs once every claimed job has been reported.
     */
    @Override
    public void stop(Runnable callback) {
        if (!beginStop()) {
            callback.run();
            return;
        }
        Thread drain = new Thread(() -> {
            try {
                awaitDrained(null);
            } finally {
                callback.run();
            }
        }, "pipeline-worker-drain");
        drain.setDaemon(true);
        drain.start();
    }

    @Override
    public void stop() {
        if (beginStop()) {
            awaitDrained(BLOCKING_STOP_LIMIT);
        }
    }

    /** Shuts every worker down; false when they were not running. */
    private synchronized boolean beginStop() {
        if (!running) {
            return false;
        }
        running = false;
        workers.forEach(named -> named.worker().shutdown());
        return true;
    }

    /** Waits for every worker to have reported its jobs; {@code limit} null waits as long as that takes. */
    private void awaitDrained(Duration limit) {
        for (NamedWorker named : workers) {
            try {
                boolean drained;
                do {
                    drained = named.worker().awaitTermination(limit != null ? limit : Duration.ofMinutes(1));
                } while (!drained && limit == null);
                if (drained) {
                    LOG.info("pipeline worker '{}' drained", named.name());
                } else {
                    LOG.warn("pipeline worker '{}' still has {} jobs in flight after {}", named.name(),
                            named.worker().inFlightJobs(), limit);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Closes every worker (which waits for jobs a timed-out shutdown phase left running) and its instrumentation. */
    @Override
    public void destroy() {
        workers.forEach(ManagedWorkers::close);
    }

    static void close(NamedWorker named) {
        try {
            named.worker().close();
        } finally {
            named.bindings().forEach(WorkerInstrumentation.Binding::close);
        }
    }
}

package dev.pipelineworker.micrometer;

import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.JobObserver;
import dev.pipelineworker.JobQueue;
import dev.pipelineworker.JobWorker;
import dev.pipelineworker.JobWorkerListener;
import dev.pipelineworker.PipelineContext;
import dev.pipelineworker.micrometer.internal.HealthGauges;
import dev.pipelineworker.micrometer.internal.MetricsListener;
import dev.pipelineworker.micrometer.internal.RegistryGuard;
import dev.pipelineworker.micrometer.internal.WorkerMeters;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Micrometer meters for one {@link JobWorker}: counters and timers fed by a {@link JobWorkerListener} on the job
 * path, gauges read from {@link JobWorker#health()} when the registry is scraped. Meter names are in
 * {@link MeterNames}; every meter is tagged with the queue (action owner, category, provider, version and
 * region) and, where it applies, the outcome and failure type. Nothing else is a tag unless asked for:
 * {@link Builder#includePipelineTags(boolean)} adds pipeline, stage and action names to the job meters.
 *
 * <p>Use it in the order a worker is built:
 * <pre>{@code
 * PipelineWorkerMetrics metrics = PipelineWorkerMetrics.builder(registry).tag("service", "deployer").build();
 * JobWorker worker = metrics.instrument(JobWorker.builder(type, handler).clientTokens(tokens)).build();
 * metrics.bindTo(worker);   // the gauges; before or after start()
 * worker.start();
 * }</pre>
 * Counters and timers count from the first event, whether or not the gauges are bound yet. {@link #close()}
 * removes the gauges (which hold the worker) from the registry.
 *
 * <p>Whatever the registry throws is caught here: a broken registry costs metrics, never a job, and never fails
 * {@link #bindTo(JobWorker)}. The listener holds no lock across calls and, once a queue's meters exist, does a
 * map lookup and an increment per event. One instance serves one worker: two workers in one registry need their
 * own instances with a {@linkplain Builder#tag(String, String) tag} that tells them apart.
 */
public final class PipelineWorkerMetrics implements AutoCloseable {

    /** Tag keys the meters set themselves, which extra tags may not use. */
    private static final Set<String> OWN_TAGS = Set.of(MeterNames.ACTION_OWNER, MeterNames.ACTION_CATEGORY,
            MeterNames.ACTION_PROVIDER, MeterNames.ACTION_VERSION, MeterNames.REGION, MeterNames.RESULT,
            MeterNames.OUTCOME, MeterNames.FAILURE_TYPE, MeterNames.STATE, MeterNames.PIPELINE, MeterNames.STAGE,
            MeterNames.ACTION);

    private final MeterRegistry registry;
    private final Tags extraTags;
    private final Clock clock;
    private final RegistryGuard guard = new RegistryGuard();
    private final WorkerMeters meters;
    private final MetricsListener listener;
    private final List<Meter> gauges = new ArrayList<>();
    private boolean bound;

    private PipelineWorkerMetrics(Builder b) {
        this.registry = b.registry;
        this.extraTags = b.tags;
        this.clock = b.clock;
        this.meters = new WorkerMeters(registry, extraTags, b.pipelineTags);
        this.listener = new MetricsListener(meters, guard);
    }

    /** Options for meters in {@code registry}. */
    public static Builder builder(MeterRegistry registry) {
        return new Builder(registry);
    }

    /** Meters in {@code registry} with the default options: no extra tags, no pipeline tags. */
    public static PipelineWorkerMetrics of(MeterRegistry registry) {
        return builder(registry).build();
    }

    /** The listener that feeds the counters and timers; add it with {@link JobWorker.Builder#listener}. */
    public JobWorkerListener listener() {
        return listener;
    }

    /**
     * The observer that tells the job meters each job's pipeline, stage and action; it observes nothing unless
     * {@link Builder#includePipelineTags(boolean) pipeline tags} are on. A worker takes several observers (a
     * tracer too): add it with {@link JobWorker.Builder#observer}.
     */
    public JobObserver observer() {
        if (!meters.pipelineTags()) {
            return JobObserver.NONE;
        }
        return (queue, jobId) -> new PipelineNames(queue, jobId);
    }

    /**
     * Adds {@link #listener()} to {@code builder} and, with pipeline tags, {@link #observer()} as one of its
     * observers; returns {@code builder}.
     */
    public JobWorker.Builder instrument(JobWorker.Builder builder) {
        builder.listener(listener);
        if (meters.pipelineTags()) {
            builder.observer(observer());
        }
        return builder;
    }

    /**
     * Registers the gauges of {@code worker} (slots, jobs in flight, journal backlog, state, each queue's poll
     * health) and the counters and timers of each of its queues, so that their series exist before the first
     * event. Call it once, before or after {@link JobWorker#start()}; returns this.
     *
     * @throws IllegalStateException if this instance is bound to a worker already
     */
    public synchronized PipelineWorkerMetrics bindTo(JobWorker worker) {
        Objects.requireNonNull(worker, "worker");
        if (bound) {
            throw new IllegalStateException("these metrics are bound to a worker already; each worker needs its own "
                    + "PipelineWorkerMetrics, with a tag that tells them apart");
        }
        bound = true;
        for (JobQueue queue : worker.queues()) {
            try {
                meters.register(queue);
            } catch (RuntimeException | LinkageError e) {
                guard.failed(e);
            }
        }
        gauges.addAll(new HealthGauges(registry, extraTags, worker::health, clock, guard).register(worker.queues()));
        return this;
    }

    /** Removes the gauges from the registry; the counters and timers stay, as Micrometer's meters do. */
    @Override
    public synchronized void close() {
        for (Meter gauge : gauges) {
            try {
                registry.remove(gauge);
            } catch (RuntimeException | LinkageError e) {
                guard.failed(e);
            }
        }
        gauges.clear();
    }

    /**
     * One job's observation: it names the job's pipeline action to the meters when the claim reveals it, and
     * forgets it when the job ends (after its last listener event: the accepted or abandoned result).
     */
    private final class PipelineNames implements JobObserver.JobObservation {
        private final JobQueue queue;
        private final String jobId;

        PipelineNames(JobQueue queue, String jobId) {
            this.queue = queue;
            this.jobId = jobId;
        }

        @Override
        public void claimed(ActionTypeId actionType, PipelineContext pipeline) {
            try {
                meters.pipelineOf(queue, jobId, pipeline);
            } catch (RuntimeException | LinkageError e) {
                guard.failed(e);
            }
        }

        @Override
        public void ended(JobObserver.JobEnding ending) {
            meters.forget(jobId);
        }
    }

    /** Options of {@link PipelineWorkerMetrics}; not thread-safe. */
    public static final class Builder {
        private final MeterRegistry registry;
        private Tags tags = Tags.empty();
        private boolean pipelineTags;
        private Clock clock = Clock.systemUTC();

        private Builder(MeterRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
        }

        /**
         * Adds a tag to every meter, for example to tell two workers in one process apart. Keys the meters set
         * themselves ({@code region}, {@code outcome}, ...; see {@link MeterNames}) are refused. For tags every meter
         * of the application carries, prefer the registry's {@code config().commonTags(...)}. Default: none.
         */
        public Builder tag(String key, String value) {
            return tags(Tags.of(key, value));
        }

        /** Adds these tags to every meter, as {@link #tag(String, String)} does. Default: none. */
        public Builder tags(Iterable<Tag> more) {
            for (Tag tag : more) {
                if (OWN_TAGS.contains(tag.getKey())) {
                    throw new IllegalArgumentException("the tag key '" + tag.getKey() + "' is one the worker's meters "
                            + "set themselves; choose another");
                }
            }
            this.tags = tags.and(more);
            return this;
        }

        /**
         * Whether the job meters (handler, completed, report and job times, retries, abandoned reports, cancelled
         * jobs) also carry the pipeline's, stage's and action's names as tags {@code pipeline}, {@code stage} and
         * {@code action}. That multiplies their series by the pipeline actions the worker serves: turn it on only
         * when those are few. Default: false.
         */
        public Builder includePipelineTags(boolean include) {
            this.pipelineTags = include;
            return this;
        }

        /** The clock the time since a queue's last successful poll is measured on. Default: the UTC system clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The metrics, registering nothing until the worker's first event or {@link #bindTo(JobWorker)}. */
        public PipelineWorkerMetrics build() {
            return new PipelineWorkerMetrics(this);
        }
    }
}

package dev.pipelineworker.micrometer.internal;

import dev.pipelineworker.JobQueue;
import dev.pipelineworker.QueueHealth;
import dev.pipelineworker.WorkerHealth;
import dev.pipelineworker.micrometer.MeterNames;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The gauges read from a worker's {@link WorkerHealth} snapshots when the registry is scraped: slots, jobs in
 * flight, journal backlog, the worker's state and each queue's poll health. They are off the job path: a
 * snapshot never calls AWS. A gauge whose snapshot cannot be taken reads NaN.
 */
public final class HealthGauges {

    private final MeterRegistry registry;
    private final Tags extraTags;
    private final Supplier<WorkerHealth> health;
    private final Clock clock;
    private final RegistryGuard guard;
    private final List<Meter> registered = new ArrayList<>();

    /** Gauges in {@code registry} tagged with {@code extraTags}, reading {@code health}; ages measured on {@code clock}. */
    public HealthGauges(MeterRegistry registry, Tags extraTags, Supplier<WorkerHealth> health, Clock clock,
                        RegistryGuard guard) {
        this.registry = registry;
        this.extraTags = extraTags;
        this.health = health;
        this.clock = clock;
        this.guard = guard;
    }

    /** Registers the worker's gauges and those of each of {@code queues}; returns what was registered. */
    public List<Meter> register(List<JobQueue> queues) {
        gauge(MeterNames.SLOTS_USED, "Slots held by a job (claiming, running or reporting)", extraTags,
                WorkerHealth::slotsInUse);
        gauge(MeterNames.SLOTS_FREE, "Slots free for the next poll", extraTags, WorkerHealth::slotsFree);
        gauge(MeterNames.JOBS_IN_FLIGHT, "Jobs claimed or being claimed and not yet reported", extraTags,
                WorkerHealth::jobsInFlight);
        gauge(MeterNames.JOURNAL_BACKLOG, "Outcome journal entries waiting for CodePipeline", extraTags,
                WorkerHealth::journalBacklog);
        for (WorkerHealth.State state : WorkerHealth.State.values()) {
            gauge(MeterNames.STATE_GAUGE, "1 for the state the worker is in, 0 for the others",
                    extraTags.and(MeterNames.STATE, state.name().toLowerCase(Locale.ROOT)),
                    h -> h.state() == state ? 1 : 0);
        }
        for (JobQueue queue : queues) {
            Tags tags = extraTags.and(QueueTags.of(queue));
            gauge(MeterNames.POLL_CONSECUTIVE_FAILURES, "Polls of the queue failed since its last successful one",
                    tags, h -> queueHealth(h, queue).map(q -> (double) q.consecutiveFailures()).orElse(Double.NaN));
            timeGauge(queue, tags);
        }
        return List.copyOf(registered);
    }

    private void gauge(String name, String description, Tags tags, ToDoubleFunction<WorkerHealth> value) {
        try {
            registered.add(Gauge.builder(name, health, h -> read(h, value)).tags(tags).description(description)
                    .strongReference(true).register(registry));
        } catch (RuntimeException | LinkageError e) {
            guard.failed(e);
        }
    }

    private void timeGauge(JobQueue queue, Tags tags) {
        try {
            registered.add(TimeGauge.builder(MeterNames.POLL_LAST_SUCCESS_AGE, health, TimeUnit.MILLISECONDS,
                            h -> read(h, snapshot -> millisSince(queueHealth(snapshot, queue)
                                    .flatMap(QueueHealth::lastSuccessfulPoll))))
                    .tags(tags).description("Time since the queue's last successful poll; NaN until the first")
                    .strongReference(true).register(registry));
        } catch (RuntimeException | LinkageError e) {
            guard.failed(e);
        }
    }

    private double millisSince(Optional<Instant> when) {
        return when.map(instant -> (double) Math.max(0, Duration.between(instant, clock.instant()).toMillis()))
                .orElse(Double.NaN);
    }

    private static Optional<QueueHealth> queueHealth(WorkerHealth health, JobQueue queue) {
        for (QueueHealth q : health.queues()) {
            if (q.queue().equals(queue)) {
                return Optional.of(q);
            }
        }
        return Optional.empty();
    }

    private double read(Supplier<WorkerHealth> source, ToDoubleFunction<WorkerHealth> value) {
        try {
            return value.applyAsDouble(source.get());
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }
}

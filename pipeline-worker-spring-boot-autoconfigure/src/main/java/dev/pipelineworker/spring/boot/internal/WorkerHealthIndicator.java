package dev.pipelineworker.spring.boot.internal;

import dev.pipelineworker.JobWorker;
import dev.pipelineworker.QueueHealth;
import dev.pipelineworker.WorkerHealth;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;

/**
 * One worker's readiness for the actuator, from {@link JobWorker#health()}: UP once a queue has polled
 * successfully, OUT_OF_SERVICE while it starts or drains, never DOWN, so that a worker waiting out an outage takes
 * the application out of the readiness group's traffic but never gets it restarted. Cheap: it never calls AWS.
 */
public final class WorkerHealthIndicator implements HealthIndicator {

    private final JobWorker worker;

    public WorkerHealthIndicator(JobWorker worker) {
        this.worker = Objects.requireNonNull(worker, "worker");
    }

    @Override
    public Health health() {
        WorkerHealth health = worker.health();
        Map<String, Object> queues = new LinkedHashMap<>();
        for (QueueHealth queue : health.queues()) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("lastSuccessfulPoll", queue.lastSuccessfulPoll().map(Object::toString).orElse("never"));
            details.put("consecutiveFailures", queue.consecutiveFailures());
            queue.lastFailure().ifPresent(failure -> details.put("lastFailure", failure.name()));
            queues.put(queue.queue().id(), details);
        }
        return Health.status(health.isReady() ? Status.UP : Status.OUT_OF_SERVICE)
                .withDetail("state", health.state().name())
                .withDetail("slotsInUse", health.slotsInUse())
                .withDetail("slotsFree", health.slotsFree())
                .withDetail("jobsInFlight", health.jobsInFlight())
                .withDetail("journalBacklog", health.journalBacklog())
                .withDetail("queues", queues)
                .build();
    }
}

package dev.pipelineworker.internal.runtime;

import dev.pipelineworker.Backoff;
import dev.pipelineworker.ExtensionHealth;
import dev.pipelineworker.JobQueue;
import dev.pipelineworker.PipelineContext;
import dev.pipelineworker.RunningJob;
import dev.pipelineworker.WorkerControl;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;

/**
 * The {@link WorkerControl} the runtime gives its extensions: each queue's {@link PollTrigger}, the jobs in the
 * registry, and cancellation, which takes a running job's report the way its deadline would, so that a job is
 * either reported or cancelled, never both.
 */
final class RuntimeControl implements WorkerControl {

    private final Map<JobQueue, PollTrigger> triggers;
    private final Backoff configuredIdle;
    private final JobRegistry registry;
    private final ReportPipeline reports;
    private final Clock clock;
    private final Logger log;
    private final Map<String, ExtensionHealth> health = new ConcurrentHashMap<>();

    RuntimeControl(Map<JobQueue, PollTrigger> triggers, Backoff configuredIdle, JobRegistry registry,
                   ReportPipeline reports, Clock clock, Logger log) {
        this.triggers = Map.copyOf(triggers);
        this.configuredIdle = configuredIdle;
        this.registry = registry;
        this.reports = reports;
        this.clock = clock;
        this.log = log;
    }

    @Override
    public List<JobQueue> queues() {
        return List.copyOf(triggers.keySet());
    }

    @Override
    public void wakeUp(JobQueue queue) {
        PollTrigger trigger = triggers.get(queue);
        if (trigger != null) {
            trigger.wakeUp().signal();
        }
    }

    @Override
    public Backoff configuredIdleBackoff() {
        return configuredIdle;
    }

    @Override
    public void idleBackoff(JobQueue queue, Backoff backoff) {
        Objects.requireNonNull(backoff, "backoff");
        PollTrigger trigger = triggers.get(queue);
        if (trigger != null) {
            trigger.idle(backoff);
        }
    }

    @Override
    public List<RunningJob> runningJobs() {
        long nowNanos = System.nanoTime();
        List<RunningJob> running = new ArrayList<>();
        for (Job job : registry.snapshot()) {
            if (job.state() == Job.State.RUNNING && job.claimed() != null) {
                var data = job.claimed().data();
                PipelineContext pipeline = data == null || data.pipeline() == null
                        ? PipelineContext.builder().build() : data.pipeline();
                running.add(new RunningJob(job.id(), job.queue(), pipeline,
                        clock.instant().minus(Duration.ofNanos(nowNanos - job.claimedAtNanos()))));
            }
        }
        return running;
    }

    @Override
    public boolean cancel(String jobId, String reason) {
        Job job = registry.find(jobId);
        if (job == null || !job.takeReport()) {
            return false;
        }
        job.cancelDeadline();
        job.cancellation().cancel();
        job.interrupt();
        reports.dropCancelled(job);
        log.info("job {} cancelled in CodePipeline ({}); its handler was interrupted and nothing is reported",
                jobId, reason);
        return true;
    }

    @Override
    public void health(ExtensionHealth extensionHealth) {
        health.put(extensionHealth.name(), extensionHealth);
    }

    /** The latest health of each extension that reported one. */
    List<ExtensionHealth> extensionHealth() {
        return List.copyOf(health.values());
    }
}

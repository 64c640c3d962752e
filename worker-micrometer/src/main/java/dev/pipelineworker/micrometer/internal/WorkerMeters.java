package dev.pipelineworker.micrometer.internal;

import dev.pipelineworker.JobQueue;
import dev.pipelineworker.PipelineContext;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every meter of the job path, registered once per queue (and per pipeline action when opted in) and then read
 * from maps without locks, so that an event costs a map lookup and an increment. Registration happens outside any
 * lock; a registration that throws caches nothing, and the next event tries again.
 */
public final class WorkerMeters {

    private final MeterRegistry registry;
    private final Tags extraTags;
    private final boolean pipelineTags;
    private final Map<JobQueue, QueueMeters> queues = new ConcurrentHashMap<>();
    private final Map<ActionKey, JobMeters> actions = new ConcurrentHashMap<>();
    private final Map<String, JobMeters> jobs = new ConcurrentHashMap<>();

    /**
     * Meters in {@code registry}, each tagged with {@code extraTags} and its queue; with {@code pipelineTags} the
     * job meters also name the pipeline, stage and action.
     */
    public WorkerMeters(MeterRegistry registry, Tags extraTags, boolean pipelineTags) {
        this.registry = registry;
        this.extraTags = extraTags;
        this.pipelineTags = pipelineTags;
    }

    /** Whether job meters name the pipeline, stage and action. */
    public boolean pipelineTags() {
        return pipelineTags;
    }

    /** The queue's poll and claim meters, registered on first use. */
    QueueMeters queue(JobQueue queue) {
        QueueMeters meters = queues.get(queue);
        if (meters == null) {
            Tags tags = extraTags.and(QueueTags.of(queue));
            QueueMeters made = new QueueMeters(registry, tags, pipelineTags ? tags.and(QueueTags.ofPipeline(null)) : tags);
            meters = queues.putIfAbsent(queue, made);
            if (meters == null) {
                meters = made;
            }
        }
        return meters;
    }

    /** Registers the queue's meters now, so that their series exist before the first event. */
    public void register(JobQueue queue) {
        queue(queue);
    }

    /** The job meters for this job: its pipeline action's when known, else its queue's. */
    JobMeters job(JobQueue queue, String jobId) {
        if (pipelineTags) {
            JobMeters meters = jobs.get(jobId);
            if (meters != null) {
                return meters;
            }
        }
        return queue(queue).jobs();
    }

    /** Remembers where the job comes from, so that its job meters name its pipeline action (when opted in). */
    public void pipelineOf(JobQueue queue, String jobId, PipelineContext pipeline) {
        if (!pipelineTags) {
            return;
        }
        Tags names = QueueTags.ofPipeline(pipeline);
        ActionKey key = new ActionKey(queue, names);
        JobMeters meters = actions.get(key);
        if (meters == null) {
            JobMeters made = new JobMeters(registry, extraTags.and(QueueTags.of(queue)).and(names));
            meters = actions.putIfAbsent(key, made);
            if (meters == null) {
                meters = made;
            }
        }
        jobs.put(jobId, meters);
    }

    /** Forgets the job's pipeline action: nothing more will be measured of it. */
    public void forget(String jobId) {
        if (pipelineTags) {
            jobs.remove(jobId);
        }
    }

    private record ActionKey(JobQueue queue, Tags names) {
    }
}

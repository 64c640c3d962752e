package dev.pipelineworker.internal.runtime;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The jobs dispatched and not yet done, by job id: a job polled again while it is still here is not dispatched
 * twice, and the worker has terminated only once this is empty.
 */
final class JobRegistry {

    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private final Runnable onDone;

    /** {@code onDone} runs after every job that ends, on the thread that ended it. */
    JobRegistry(Runnable onDone) {
        this.onDone = onDone;
    }

    /** Registers {@code job}; false when a job with its id is already in flight. */
    boolean add(Job job) {
        return jobs.putIfAbsent(job.id(), job) == null;
    }

    /** Ends {@code job} and forgets it; only the first call for a job has an effect. */
    void done(Job job) {
        if (job.finish()) {
            jobs.remove(job.id(), job);
            onDone.run();
        }
    }

    /** The job with this id in flight, or null. */
    Job find(String jobId) {
        return jobs.get(jobId);
    }

    int size() {
        return jobs.size();
    }

    boolean isEmpty() {
        return jobs.isEmpty();
    }

    Collection<Job> snapshot() {
        return List.copyOf(jobs.values());
    }
}

package dev.pipelineworker;

import java.time.Instant;
import java.util.Objects;

/**
 * A job whose handler runs, as a {@link WorkerExtension} sees it.
 *
 * @param jobId        the job's id
 * @param queue        the queue it came from
 * @param pipeline     its pipeline, stage, action and executions, as CodePipeline sent them (members may be null)
 * @param runningSince when the worker claimed it
 */
public record RunningJob(String jobId, JobQueue queue, PipelineContext pipeline, Instant runningSince) {

    public RunningJob {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(pipeline, "pipeline");
        Objects.requireNonNull(runningSince, "runningSince");
    }
}

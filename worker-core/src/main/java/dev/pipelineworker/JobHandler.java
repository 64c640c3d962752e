package dev.pipelineworker;

/**
 * The integrator's code: does the work of one job and says how it ended. It may throw: a
 * {@link JobFailureException} fails the job with its type, anything else fails it as
 * {@link FailureType#JOB_FAILED}. It runs on the worker's executor, under the job's deadline,
 * and is interrupted when the deadline passes or the worker shuts down.
 */
@FunctionalInterface
public interface JobHandler {
    /** Runs one job. */
    JobOutcome handle(JobContext context) throws Exception;
}

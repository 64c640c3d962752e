package dev.pipelineworker;

import java.time.Duration;

/**
 * Hears what a {@link JobWorker} does, for metrics and tests. Every method has a no-op default and
 * names the {@link JobQueue} (action type and region) it concerns. Methods are called on worker
 * threads and must return quickly; an exception they throw is logged and ignored. Arguments never
 * carry secrets.
 */
public interface JobWorkerListener {

    /** A poll asked for {@code requested} jobs and got {@code received}. */
    default void polled(JobQueue queue, int requested, int received) {
    }

    /** A poll failed; {@code throttled} tells whether CodePipeline throttled it. */
    default void pollFailed(JobQueue queue, Throwable error, boolean throttled) {
    }

    /** This worker acknowledged the job and owns it now. */
    default void claimed(JobQueue queue, String jobId) {
    }

    /** Another worker claimed the job first (the nonce was already used), or its status was not InProgress. */
    default void lostToOtherWorker(JobQueue queue, String jobId) {
    }

    /**
     * The handler returned or threw after running for {@code duration}; {@code outcome} is what the worker
     * reports for it (validated, so a handler's exception is a {@link JobOutcome.Fail} here).
     */
    default void handlerFinished(JobQueue queue, String jobId, Duration duration, JobOutcome outcome) {
    }

    /** A success result was accepted. */
    default void succeeded(JobQueue queue, String jobId) {
    }

    /** A continuation was accepted: CodePipeline will create a new job. */
    default void continued(JobQueue queue, String jobId) {
    }

    /**
     * CodePipeline accepted the job's result (after {@link #succeeded}, {@link #continued} or {@link #failed}):
     * sending it took {@code reportDuration}, retries included, and {@code sinceClaim} has passed since the
     * acknowledgement was accepted. For a job recovered from the journal {@code sinceClaim} is {@code null}.
     */
    default void resultAccepted(JobQueue queue, String jobId, Duration reportDuration, Duration sinceClaim) {
    }

    /** A failure result of this type was accepted. */
    default void failed(JobQueue queue, String jobId, FailureType type) {
    }

    /** Reporting the job's result failed and is tried again, as attempt {@code attempt}. */
    default void reportRetried(JobQueue queue, String jobId, int attempt, Throwable error) {
    }

    /** The result could not be reported: the job is gone, or every attempt failed. */
    default void reportAbandoned(JobQueue queue, String jobId, Throwable error) {
    }

    /**
     * The job was cancelled in CodePipeline while its handler ran (its action execution abandoned, or its
     * pipeline execution stopped or cancelled), as a {@link WorkerExtension} found out: nothing is reported.
     */
    default void cancelled(JobQueue queue, String jobId) {
    }
}

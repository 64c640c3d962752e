package dev.pipelineworker;

/**
 * Observes each job's way through the worker in scopes, for tracing: unlike a {@link JobWorkerListener}, which
 * hears events, an observer wraps the claim, the handler and the report, so it can make a span current while each
 * runs (and the handler's own instrumented calls nest under the job's span). Every method has a default that
 * observes nothing. An observer, and what it returns, must not throw: whatever it throws is logged and ignored,
 * and the job goes on unobserved. Arguments never carry secrets.
 */
@FunctionalInterface
public interface JobObserver {

    /** A polled job of {@code queue} is about to be claimed; returns how this job is observed, never {@code null}. */
    JobObservation jobStarted(JobQueue queue, String jobId);

    /** Observes nothing. */
    JobObserver NONE = (queue, jobId) -> JobObservation.NONE;

    /** The observation of one job, called on the threads that work on it, in the order of the job's phases. */
    interface JobObservation {

        /** Observes nothing. */
        JobObservation NONE = new JobObservation() {
        };

        /**
         * Runs one phase of the job on the calling thread; an implementation wraps it (in a span, a timer) and must
         * run it exactly once. {@code work} never throws.
         */
        default void phase(JobPhase phase, Runnable work) {
            work.run();
        }

        /** The claim made the job this worker's: what it is. */
        default void claimed(ActionTypeId actionType, PipelineContext pipeline) {
        }

        /** The job ended, reported or not; the last call of an observation. */
        default void ended(JobEnding ending) {
        }
    }

    /** A phase of a job. */
    enum JobPhase {
        /** Reading the job's details and acknowledging it. */
        CLAIM,
        /** The handler's run. */
        HANDLER,
        /** Journaling and sending the result. */
        REPORT
    }

    /**
     * How a job ended.
     *
     * @param result      what became of it
     * @param failureType the failure's type when a failure was accepted ({@link #isFailure()}), else {@code null}
     */
    record JobEnding(Result result, FailureType failureType) {

        /** An ending that is not a failure. */
        public static JobEnding of(Result result) {
            return new JobEnding(result, null);
        }

        /** A failure of {@code type}, accepted. */
        public static JobEnding failed(FailureType type) {
            return new JobEnding(Result.FAILED, type);
        }

        /** Whether a failure was accepted: the handler's, its timeout, or the shutdown's. */
        public boolean isFailure() {
            return result == Result.FAILED || result == Result.TIMED_OUT || result == Result.CUT_OFF;
        }

        /** What became of a job. */
        public enum Result {
            /** A success was accepted. */
            SUCCEEDED,
            /** A continuation was accepted. */
            CONTINUED,
            /** A failure the handler returned or threw (or the worker made of its outcome) was accepted. */
            FAILED,
            /** The handler was still running at the job's deadline; the worker's timeout failure was accepted. */
            TIMED_OUT,
            /** The shutdown grace ran out while the handler ran; the worker's failure was accepted. */
            CUT_OFF,
            /** Another worker had it, or it was gone before it could be claimed. */
            LOST,
            /** This worker could not take it (shutting down, no client token); it stays for others. */
            SKIPPED,
            /** Its result could not be delivered: CodePipeline no longer wanted it, or every attempt failed. */
            UNREPORTED,
            /** CodePipeline cancelled it while the handler ran (abandoned, stopped, superseded by an update). */
            CANCELLED
        }
    }
}

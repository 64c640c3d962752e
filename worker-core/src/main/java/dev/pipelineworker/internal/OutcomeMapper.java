package dev.pipelineworker.internal;

import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobFailureException;
import dev.pipelineworker.JobOutcome;

/** Turns what a handler threw or returned into the outcome the worker reports, in one place. */
public final class OutcomeMapper {

    private OutcomeMapper() {
    }

    /** The outcome for a handler that threw {@code error}. */
    public static JobOutcome fromThrowable(Throwable error) {
        if (error instanceof JobFailureException failure) {
            return failure.toOutcome();
        }
        String message = error.getMessage();
        return JobOutcome.fail(FailureType.JOB_FAILED, "handler failed: " + error.getClass().getSimpleName()
                + (message == null || message.isBlank() ? "" : ": " + message));
    }

    /** The outcome itself, or a failure saying the handler returned none. */
    public static JobOutcome orFailure(JobOutcome outcome) {
        return outcome != null ? outcome : JobOutcome.fail(FailureType.JOB_FAILED, "handler returned no outcome");
    }
}

package dev.pipelineworker.internal;

import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobFailureException;
import dev.pipelineworker.JobOutcome;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Turns what a handler threw, or a missing outcome, into the failure CodePipeline sees. The worker
 * and the testkit both use it, so a handler fails the same way in a unit test and in production.
 */
@SharedInternal
public final class OutcomeMapper {

    /** The message of the failure reported when a handler returns {@code null}. */
    public static final String NO_OUTCOME_MESSAGE = "handler returned no outcome";

    private OutcomeMapper() {
    }

    /**
     * A {@link JobFailureException} becomes a failure with its type and message; anything else a
     * JobFailed failure reading {@code handler failed: <SimpleName>: <message>}. The exception's
     * message is the only text taken from it: a stack trace or cause chain never reaches the console.
     */
    public static JobOutcome fromThrowable(Throwable thrown) {
        Throwable cause = unwrap(thrown);
        if (cause instanceof JobFailureException failure) {
            return failure.toOutcome();
        }
        String message = cause.getMessage();
        return JobOutcome.fail(FailureType.JOB_FAILED, "handler failed: " + cause.getClass().getSimpleName()
                + (message == null || message.isBlank() ? "" : ": " + message));
    }

    /** {@code outcome} itself, or a JobFailed failure saying the handler returned none. */
    public static JobOutcome orFailure(JobOutcome outcome) {
        return outcome != null ? outcome : JobOutcome.fail(FailureType.JOB_FAILED, NO_OUTCOME_MESSAGE);
    }

    // A handler run on an executor surfaces its exception wrapped; the wrapper says nothing to the user.
    private static Throwable unwrap(Throwable thrown) {
        Throwable current = thrown;
        while ((current instanceof ExecutionException || current instanceof CompletionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }
}

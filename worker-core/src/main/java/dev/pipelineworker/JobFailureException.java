package dev.pipelineworker;

import java.util.Objects;

/**
 * Thrown by a handler (or by the SDK on its behalf, for example for a missing configuration value
 * or an unreadable artifact) to fail the job with a specific {@link FailureType}. The worker turns
 * it into a {@link JobOutcome.Fail} with this type and message. Messages must never carry secrets.
 */
public class JobFailureException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final FailureType type;

    /** Fails the job with the given type and message. */
    public JobFailureException(FailureType type, String message) {
        super(message);
        this.type = Objects.requireNonNull(type, "type");
    }

    /** Fails the job with the given type and message, keeping the cause for logs. */
    public JobFailureException(FailureType type, String message, Throwable cause) {
        super(message, cause);
        this.type = Objects.requireNonNull(type, "type");
    }

    /** The failure type reported to CodePipeline. */
    public FailureType type() {
        return type;
    }

    /** The outcome this exception stands for. */
    public JobOutcome.Fail toOutcome() {
        return JobOutcome.fail(type, getMessage());
    }
}

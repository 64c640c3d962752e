package dev.pipelineworker.spring.boot.internal;

/**
 * A worker's configuration that cannot run, found while the workers are built, so that the application fails to
 * start with one message naming the property to fix.
 */
public final class InvalidWorkerProperty extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String property;
    private final String reason;

    InvalidWorkerProperty(String property, String reason) {
        super(property + ": " + reason);
        this.property = property;
        this.reason = reason;
    }

    /** The property to fix, such as {@code pipeline-worker.workers.manifest.provider}. */
    public String property() {
        return property;
    }

    /** What is wrong with it. */
    public String reason() {
        return reason;
    }
}

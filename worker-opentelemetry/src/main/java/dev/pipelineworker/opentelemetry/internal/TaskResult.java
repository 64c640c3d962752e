package dev.pipelineworker.opentelemetry.internal;

import dev.pipelineworker.JobObserver.JobEnding;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import java.util.Locale;

/**
 * A job's ending in the CI/CD conventions' terms: the {@code cicd.pipeline.task.run.result} value, whether the span
 * is an error, and the span status's description, a fixed phrase (never the failure's message, which is the
 * handler's text for the console).
 */
enum TaskResult {
    /** A success was accepted. */
    SUCCESS("success", null),
    /**
     * A continuation was accepted: this job ended, its action execution goes on in the next one. The convention
     * has no value for it; {@code continuation} is this module's.
     */
    CONTINUATION("continuation", null),
    /** A failure the handler returned or threw was accepted. */
    FAILURE("failure", "the job failed"),
    /** The handler was still running at the job's deadline; its timeout failure was accepted. */
    TIMEOUT("timeout", "the job timed out"),
    /** The worker's shutdown cut the handler off. */
    CUT_OFF("error", "the worker shut down before the handler finished"),
    /** The result never reached CodePipeline. */
    UNREPORTED("error", "the job's result could not be delivered"),
    /** Another worker had the job, or this one could not take it. */
    SKIP("skip", null);

    private final String value;
    private final String errorDescription;

    TaskResult(String value, String errorDescription) {
        this.value = value;
        this.errorDescription = errorDescription;
    }

    /** The result of {@code ending}. */
    static TaskResult of(JobEnding ending) {
        return switch (ending.result()) {
            case SUCCEEDED -> SUCCESS;
            case CONTINUED -> CONTINUATION;
            case FAILED -> FAILURE;
            case TIMED_OUT -> TIMEOUT;
            case CUT_OFF -> CUT_OFF;
            case UNREPORTED -> UNREPORTED;
            case LOST, SKIPPED, CANCELLED -> SKIP;
        };
    }

    /** Whether the span's status is an error. */
    boolean isError() {
        return errorDescription != null;
    }

    /** The span status's description when {@link #isError()}. */
    String errorDescription() {
        return errorDescription;
    }

    /**
     * The attributes that say how {@code ending} went: the convention's result, {@code error.type} for an error
     * (the failure type's API name, e.g. {@code JobFailed}, or {@code unreported}), and the worker's precise result.
     */
    Attributes attributes(JobEnding ending) {
        AttributesBuilder attributes = Attributes.builder()
                .put(SpanAttributes.TASK_RUN_RESULT, value)
                .put(SpanAttributes.JOB_RESULT, ending.result().name().toLowerCase(Locale.ROOT));
        if (isError()) {
            attributes.put(SpanAttributes.ERROR_TYPE, errorType(ending));
        }
        return attributes.build();
    }

    private String errorType(JobEnding ending) {
        if (this == UNREPORTED) {
            return "unreported";
        }
        return ending.failureType() == null ? "_OTHER" : ending.failureType().apiName();
    }
}

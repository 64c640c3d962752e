package dev.pipelineworker.opentelemetry;

import dev.pipelineworker.JobObserver;
import dev.pipelineworker.opentelemetry.internal.TracingFailures;
import dev.pipelineworker.opentelemetry.internal.TracingObserver;
import io.opentelemetry.api.OpenTelemetry;
import java.util.Objects;

/**
 * Traces the jobs a {@link dev.pipelineworker.JobWorker} runs: one span per job after the OpenTelemetry CI/CD
 * conventions, with child spans for its claim, its handler and its report, and the handler's span current while the
 * handler runs, so that the handler's own instrumented calls nest under its job.
 *
 * <pre>{@code
 * JobWorker worker = JobWorker.builder(actionType, handler)
 *         .observer(PipelineWorkerTracing.create(openTelemetry))
 *         .build();
 * }</pre>
 *
 * <p>A tracer that fails never affects a job: the job goes on and its span is left as far as it got. The spans
 * carry names and identifiers only, never a credential, a client token or a configuration value. The module's
 * README lists the spans and their attributes.
 */
public final class PipelineWorkerTracing {

    /** The instrumentation scope the spans are recorded under: {@value}. */
    public static final String INSTRUMENTATION_SCOPE = "dev.pipelineworker.opentelemetry";

    private PipelineWorkerTracing() {
    }

    /**
     * The observer to hand to {@link dev.pipelineworker.JobWorker.Builder#observer(JobObserver)}, tracing through
     * {@code openTelemetry}: the application's SDK, or {@code GlobalOpenTelemetry.get()} under the Java agent.
     */
    public static JobObserver create(OpenTelemetry openTelemetry) {
        Objects.requireNonNull(openTelemetry, "openTelemetry");
        return new TracingObserver(openTelemetry.getTracer(INSTRUMENTATION_SCOPE), TracingFailures.logging());
    }
}

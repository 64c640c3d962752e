package dev.pipelineworker.opentelemetry.internal;

import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.JobObserver.JobEnding;
import dev.pipelineworker.JobObserver.JobObservation;
import dev.pipelineworker.JobObserver.JobPhase;
import dev.pipelineworker.PipelineContext;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.Locale;

/**
 * One job's trace: its span, and a child span for each phase, current on the thread that runs the phase. The job's
 * context is kept here rather than taken from the thread, because the report of a job cut off by its deadline or
 * the shutdown runs on a report thread, not the job's.
 *
 * <p>Every call into OpenTelemetry is guarded: what it throws goes to {@link TracingFailures}, the phase's work
 * runs exactly once regardless, and the job's span is ended even if setting its attributes failed.
 */
final class JobTrace implements JobObservation {

    private final Tracer tracer;
    private final Span job;
    private final Context jobContext;
    private final TracingFailures failures;

    JobTrace(Tracer tracer, Span job, TracingFailures failures) {
        this.tracer = tracer;
        this.job = job;
        this.jobContext = Context.root().with(job);
        this.failures = failures;
    }

    @Override
    public void phase(JobPhase phase, Runnable work) {
        Span span = startPhase(phase);
        Scope scope = enter(span == null ? jobContext : jobContext.with(span));
        try {
            work.run();
        } finally {
            guarded("leaving the phase's scope", scope::close);
            if (span != null) {
                guarded("ending the phase's span", span::end);
            }
        }
    }

    @Override
    public void claimed(ActionTypeId actionType, PipelineContext pipeline) {
        guarded("recording the claimed job", () -> job.setAllAttributes(SpanAttributes.ofPipeline(pipeline)));
    }

    @Override
    public void ended(JobEnding ending) {
        try {
            guarded("recording the job's result", () -> {
                TaskResult result = TaskResult.of(ending);
                job.setAllAttributes(result.attributes(ending));
                if (result.isError()) {
                    job.setStatus(StatusCode.ERROR, result.errorDescription());
                }
            });
        } finally {
            guarded("ending the job's span", job::end);
        }
    }

    /** The phase's span, or {@code null} if the tracer failed to start one. */
    private Span startPhase(JobPhase phase) {
        try {
            return tracer.spanBuilder(phase.name().toLowerCase(Locale.ROOT))
                    .setParent(jobContext)
                    .setSpanKind(SpanKind.INTERNAL)
                    .startSpan();
        } catch (RuntimeException e) {
            failures.failed("starting the " + phase + " span", e);
            return null;
        }
    }

    private Scope enter(Context context) {
        try {
            return context.makeCurrent();
        } catch (RuntimeException e) {
            failures.failed("entering the phase's scope", e);
            return Scope.noop();
        }
    }

    private void guarded(String what, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            failures.failed(what, e);
        }
    }
}

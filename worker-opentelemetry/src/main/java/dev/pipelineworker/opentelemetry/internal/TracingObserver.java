package dev.pipelineworker.opentelemetry.internal;

import dev.pipelineworker.JobObserver;
import dev.pipelineworker.JobQueue;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import java.util.Objects;

/**
 * Starts a span for each job a worker polls and hands it to the job's {@link JobTrace}. Each job's span is the root
 * of its own trace: jobs are independent units of work, whatever the polling thread's context holds.
 */
public final class TracingObserver implements JobObserver {

    private final Tracer tracer;
    private final TracingFailures failures;

    public TracingObserver(Tracer tracer, TracingFailures failures) {
        this.tracer = Objects.requireNonNull(tracer, "tracer");
        this.failures = Objects.requireNonNull(failures, "failures");
    }

    @Override
    public JobObservation jobStarted(JobQueue queue, String jobId) {
        Span job = null;
        try {
            job = tracer.spanBuilder(SpanAttributes.jobSpanName(queue.actionType()))
                    .setNoParent()
                    .setSpanKind(SpanKind.INTERNAL)
                    .setAllAttributes(SpanAttributes.ofPolledJob(queue, jobId))
                    .startSpan();
            return new JobTrace(tracer, job, failures);
        } catch (RuntimeException e) {
            failures.failed("starting the job's span", e);
            if (job != null) {
                end(job);
            }
            return JobObservation.NONE;
        }
    }

    private void end(Span abandoned) {
        try {
            abandoned.end();
        } catch (RuntimeException e) {
            failures.failed("ending the job's span", e);
        }
    }
}

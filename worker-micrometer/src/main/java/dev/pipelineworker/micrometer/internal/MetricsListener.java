package dev.pipelineworker.micrometer.internal;

import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.JobQueue;
import dev.pipelineworker.JobWorkerListener;
import java.time.Duration;

/**
 * Turns the worker's events into meter updates. Each method catches what the registry throws (so does the worker,
 * but a meter must not cost it a warning per job), holds no lock and allocates nothing once the meters exist.
 * Secrets cannot reach a meter: no argument that could carry one (the errors) is read.
 */
public final class MetricsListener implements JobWorkerListener {

    private final WorkerMeters meters;
    private final RegistryGuard guard;

    /** A listener updating {@code meters}, reporting registry failures to {@code guard}. */
    public MetricsListener(WorkerMeters meters, RegistryGuard guard) {
        this.meters = meters;
        this.guard = guard;
    }

    @Override
    public void polled(JobQueue queue, int requested, int received) {
        try {
            QueueMeters queueMeters = meters.queue(queue);
            queueMeters.polled(received).increment();
            if (received > 0) {
                queueMeters.received().increment(received);
            }
        } catch (RuntimeException | LinkageError e) {
            guard.failed(e);
        }
    }

    @Override
    public void pollFailed(JobQueue queue, Throwable error, boolean throttled) {
        try {
            meters.queue(queue).pollFailed(throttled).increment();
        } catch (RuntimeException | LinkageError e) {
            guard.failed(e);
        }
    }

    @Override
    public void claimed(JobQueue queue, String jobId) {
        try {
            meters.queue(queue).claimed().increment();
        } catch (RuntimeException | LinkageError e) {
            guard.failed(e);
        }
    }

    @Override
    public void lostToOtherWorker(JobQueue queue, String jobId) {
        try {
            meters.queue(queue).lost().increment();
        } catch (RuntimeException | LinkageError e) {
            guard.failed(e);
        }
    }

    @Override
    public void handlerFinished(JobQueue queue, String jobId, Duration duration, JobOutcome outcome) {
        try {
            meters.job(queue, jobId).handler(outcome).record(duration);
        } catch (RuntimeException | LinkageError e) {
            guard.failed(e);
        }
    }

    @Override
    public void succeeded(JobQueue queue, String jobId) {
        try {
            meters.job(queue, jobId).succeeded().increment();
        } catch (RuntimeException | LinkageError e) {
            guard.failed(e);
        }
    }

    @Override
    public void continued(JobQueue queue, String jobId) {
        try {
            meters.job(queue, jobId).continued().increment();
        } catch (RuntimeException | LinkageError e) {
            guard.failed(e);
        }
    }

    @Override
    public void failed(JobQueue queue, String jobId, FailureType type) {
        try {
            meters.job(queue, jobId).failed(type).increment();
        } catch (RuntimeException | LinkageError e) {
            guard.failed(e);
        }
    }

    @Override
    public void resultAccepted(JobQueue queue, String jobId, Duration reportDuration, Duration sinceClaim) {
        try {
            JobMeters jobMeters = meters.job(queue, jobId);
            jobMeters.report().record(reportDuration);
            if (sinceClaim != null) {
                jobMeters.job().record(sinceClaim);
            }
        } catch (RuntimeException | LinkageError e) {
            guard.failed(e);
        }
    }

    @Override
    public void reportRetried(JobQueue queue, String jobId, int attempt, Throwable error) {
        try {
            meters.job(queue, jobId).retries().increment();
        } catch (RuntimeException | LinkageError e) {
            guard.failed(e);
        }
    }

    @Override
    public void reportAbandoned(JobQueue queue, String jobId, Throwable error) {
        try {
            meters.job(queue, jobId).abandoned().increment();
        } catch (RuntimeException | LinkageError e) {
            guard.failed(e);
        }
    }

    @Override
    public void cancelled(JobQueue queue, String jobId) {
        try {
            meters.job(queue, jobId).cancelled().increment();
        } catch (RuntimeException | LinkageError e) {
            guard.failed(e);
        }
    }
}

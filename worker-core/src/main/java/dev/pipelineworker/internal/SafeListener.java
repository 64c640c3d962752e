package dev.pipelineworker.internal;

import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.JobQueue;
import dev.pipelineworker.JobWorkerListener;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Fans events out to the configured listeners; a listener that throws is logged and skipped. */
public final class SafeListener implements JobWorkerListener {

    private static final Logger LOG = LoggerFactory.getLogger(SafeListener.class);

    private final List<JobWorkerListener> listeners;

    public SafeListener(List<JobWorkerListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    private void each(Consumer<JobWorkerListener> call) {
        for (JobWorkerListener listener : listeners) {
            try {
                call.accept(listener);
            } catch (RuntimeException e) {
                LOG.warn("listener {} threw {}; ignored", listener.getClass().getName(), e.getClass().getSimpleName());
            }
        }
    }

    @Override
    public void polled(JobQueue queue, int requested, int received) {
        each(l -> l.polled(queue, requested, received));
    }

    @Override
    public void pollFailed(JobQueue queue, Throwable error, boolean throttled) {
        each(l -> l.pollFailed(queue, error, throttled));
    }

    @Override
    public void claimed(JobQueue queue, String jobId) {
        each(l -> l.claimed(queue, jobId));
    }

    @Override
    public void lostToOtherWorker(JobQueue queue, String jobId) {
        each(l -> l.lostToOtherWorker(queue, jobId));
    }

    @Override
    public void handlerFinished(JobQueue queue, String jobId, Duration duration, JobOutcome outcome) {
        each(l -> l.handlerFinished(queue, jobId, duration, outcome));
    }

    @Override
    public void resultAccepted(JobQueue queue, String jobId, Duration reportDuration, Duration sinceClaim) {
        each(l -> l.resultAccepted(queue, jobId, reportDuration, sinceClaim));
    }

    @Override
    public void succeeded(JobQueue queue, String jobId) {
        each(l -> l.succeeded(queue, jobId));
    }

    @Override
    public void continued(JobQueue queue, String jobId) {
        each(l -> l.continued(queue, jobId));
    }

    @Override
    public void failed(JobQueue queue, String jobId, FailureType type) {
        each(l -> l.failed(queue, jobId, type));
    }

    @Override
    public void reportRetried(JobQueue queue, String jobId, int attempt, Throwable error) {
        each(l -> l.reportRetried(queue, jobId, attempt, error));
    }

    @Override
    public void reportAbandoned(JobQueue queue, String jobId, Throwable error) {
        each(l -> l.reportAbandoned(queue, jobId, error));
    }

    @Override
    public void cancelled(JobQueue queue, String jobId) {
        each(l -> l.cancelled(queue, jobId));
    }
}

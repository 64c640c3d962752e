package dev.pipelineworker.internal;

import dev.pipelineworker.FailureType;
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
    public void polled(int requested, int received) {
        each(l -> l.polled(requested, received));
    }

    @Override
    public void pollFailed(Throwable error, boolean throttled) {
        each(l -> l.pollFailed(error, throttled));
    }

    @Override
    public void claimed(String jobId) {
        each(l -> l.claimed(jobId));
    }

    @Override
    public void lostToOtherWorker(String jobId) {
        each(l -> l.lostToOtherWorker(jobId));
    }

    @Override
    public void handlerFinished(String jobId, Duration duration) {
        each(l -> l.handlerFinished(jobId, duration));
    }

    @Override
    public void succeeded(String jobId) {
        each(l -> l.succeeded(jobId));
    }

    @Override
    public void continued(String jobId) {
        each(l -> l.continued(jobId));
    }

    @Override
    public void failed(String jobId, FailureType type) {
        each(l -> l.failed(jobId, type));
    }

    @Override
    public void reportRetried(String jobId, int attempt, Throwable error) {
        each(l -> l.reportRetried(jobId, attempt, error));
    }

    @Override
    public void reportAbandoned(String jobId, Throwable error) {
        each(l -> l.reportAbandoned(jobId, error));
    }
}

package dev.pipelineworker.integration;

import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobQueue;
import dev.pipelineworker.JobWorkerListener;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records listener calls as short strings, such as {@code claimed:<jobId>} or {@code retried:<jobId>:2}. */
final class RecordingListener implements JobWorkerListener {

    private final List<String> events = new CopyOnWriteArrayList<>();
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();

    List<String> events() {
        return List.copyOf(events);
    }

    boolean has(String event) {
        return events.contains(event);
    }

    long count(String prefix) {
        return events.stream().filter(e -> e.startsWith(prefix)).count();
    }

    List<Throwable> errors() {
        return List.copyOf(errors);
    }

    @Override
    public void polled(JobQueue queue, int requested, int received) {
        events.add("polled:" + requested + ":" + received);
    }

    @Override
    public void pollFailed(JobQueue queue, Throwable error, boolean throttled) {
        errors.add(error);
        events.add("pollFailed:" + (throttled ? "throttled" : "error"));
    }

    @Override
    public void claimed(JobQueue queue, String jobId) {
        events.add("claimed:" + jobId);
    }

    @Override
    public void lostToOtherWorker(JobQueue queue, String jobId) {
        events.add("lost:" + jobId);
    }

    @Override
    public void handlerFinished(JobQueue queue, String jobId, Duration duration) {
        events.add("handlerFinished:" + jobId);
    }

    @Override
    public void succeeded(JobQueue queue, String jobId) {
        events.add("succeeded:" + jobId);
    }

    @Override
    public void continued(JobQueue queue, String jobId) {
        events.add("continued:" + jobId);
    }

    @Override
    public void failed(JobQueue queue, String jobId, FailureType type) {
        events.add("failed:" + jobId + ":" + type.apiName());
    }

    @Override
    public void reportRetried(JobQueue queue, String jobId, int attempt, Throwable error) {
        errors.add(error);
        events.add("retried:" + jobId + ":" + attempt);
    }

    @Override
    public void reportAbandoned(JobQueue queue, String jobId, Throwable error) {
        errors.add(error);
        events.add("abandoned:" + jobId + ":" + error.getClass().getSimpleName());
    }
}

package dev.pipelineworker.integration;

import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.JobQueue;
import dev.pipelineworker.JobWorkerListener;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records listener calls as short strings, such as {@code claimed:<jobId>} or {@code retried:<jobId>:2}. */
final class RecordingListener implements JobWorkerListener {

    private final List<String> events = new CopyOnWriteArrayList<>();
    private final List<String> queueEvents = new CopyOnWriteArrayList<>();
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();

    List<String> events() {
        return List.copyOf(events);
    }

    /** The events of one queue, as {@link #events()} spells them. */
    List<String> events(JobQueue queue) {
        String prefix = queue.id() + " ";
        return queueEvents.stream().filter(e -> e.startsWith(prefix)).map(e -> e.substring(prefix.length())).toList();
    }

    private void add(JobQueue queue, String event) {
        events.add(event);
        queueEvents.add(queue.id() + " " + event);
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
        add(queue, "polled:" + requested + ":" + received);
    }

    @Override
    public void pollFailed(JobQueue queue, Throwable error, boolean throttled) {
        errors.add(error);
        add(queue, "pollFailed:" + (throttled ? "throttled" : "error"));
    }

    @Override
    public void claimed(JobQueue queue, String jobId) {
        add(queue, "claimed:" + jobId);
    }

    @Override
    public void lostToOtherWorker(JobQueue queue, String jobId) {
        add(queue, "lost:" + jobId);
    }

    @Override
    public void handlerFinished(JobQueue queue, String jobId, Duration duration, JobOutcome outcome) {
        add(queue, "handlerFinished:" + jobId);
    }

    @Override
    public void succeeded(JobQueue queue, String jobId) {
        add(queue, "succeeded:" + jobId);
    }

    @Override
    public void continued(JobQueue queue, String jobId) {
        add(queue, "continued:" + jobId);
    }

    @Override
    public void failed(JobQueue queue, String jobId, FailureType type) {
        add(queue, "failed:" + jobId + ":" + type.apiName());
    }

    @Override
    public void reportRetried(JobQueue queue, String jobId, int attempt, Throwable error) {
        errors.add(error);
        add(queue, "retried:" + jobId + ":" + attempt);
    }

    @Override
    public void reportAbandoned(JobQueue queue, String jobId, Throwable error) {
        errors.add(error);
        add(queue, "abandoned:" + jobId + ":" + error.getClass().getSimpleName());
    }
}

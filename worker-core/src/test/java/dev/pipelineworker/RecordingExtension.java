package dev.pipelineworker;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link WorkerExtension} that writes its starts and closes to a shared list, so that a test sees their order
 * across extensions, and keeps the {@link WorkerControl} it was started with.
 */
final class RecordingExtension implements WorkerExtension {

    private final String name;
    private final List<String> events;
    private final boolean failsToClose;
    volatile WorkerControl control;

    RecordingExtension(String name, List<String> events, boolean failsToClose) {
        this.name = name;
        this.events = events;
        this.failsToClose = failsToClose;
    }

    RecordingExtension(String name) {
        this(name, new CopyOnWriteArrayList<>(), false);
    }

    @Override
    public void start(WorkerControl control) {
        this.control = control;
        events.add("start " + name);
    }

    @Override
    public void close() {
        events.add("close " + name);
        if (failsToClose) {
            throw new IllegalStateException("close of " + name + " fails");
        }
    }

    @Override
    public String toString() {
        return name;
    }
}

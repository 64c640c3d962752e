package dev.pipelineworker.spring.boot.internal;

import dev.pipelineworker.JobWorker;
import java.util.List;
import java.util.Objects;

/**
 * A built worker, its name under {@code pipeline-worker.workers}, and the instrumentation to close after it.
 *
 * @param name     the worker's name, the key of its properties
 * @param worker   the worker, not yet started
 * @param bindings its instrumentation, closed after the worker
 */
public record NamedWorker(String name, JobWorker worker, List<WorkerInstrumentation.Binding> bindings) {

    public NamedWorker {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(worker, "worker");
        bindings = List.copyOf(bindings);
    }
}

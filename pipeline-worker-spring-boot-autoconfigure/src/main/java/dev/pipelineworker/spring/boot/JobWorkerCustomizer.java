package dev.pipelineworker.spring.boot;

import dev.pipelineworker.JobWorker;

/**
 * Adjusts a worker's builder after the starter applied its properties and the application's beans, for what the
 * properties do not cover (backoffs, a query parameter, more action types, listeners). Every customizer bean is
 * called for every worker, in {@link org.springframework.core.annotation.Order @Order}; the worker's name tells
 * them apart.
 */
@FunctionalInterface
public interface JobWorkerCustomizer {

    /** Adjusts {@code builder}, the worker named {@code workerName} under {@code pipeline-worker.workers}. */
    void customize(String workerName, JobWorker.Builder builder);
}

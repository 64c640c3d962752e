package dev.pipelineworker.spring.boot.internal;

import dev.pipelineworker.JobWorker;
import dev.pipelineworker.micrometer.PipelineWorkerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;

/**
 * The worker-micrometer meters of every worker in the application's registry, each tagged {@code worker} with its
 * name so that two workers' series stay apart.
 */
public final class MicrometerInstrumentation implements WorkerInstrumentation {

    /** The tag that names the worker on each of its meters. */
    public static final String WORKER_TAG = "worker";

    private final MeterRegistry registry;

    public MicrometerInstrumentation(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public Binding instrument(String workerName, JobWorker.Builder builder) {
        PipelineWorkerMetrics metrics = PipelineWorkerMetrics.builder(registry).tag(WORKER_TAG, workerName).build();
        metrics.instrument(builder);
        return new Binding() {
            @Override
            public void bindTo(JobWorker worker) {
                metrics.bindTo(worker);
            }

            @Override
            public void close() {
                metrics.close();
            }
        };
    }
}

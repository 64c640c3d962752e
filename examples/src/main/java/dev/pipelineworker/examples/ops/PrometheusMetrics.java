package dev.pipelineworker.examples.ops;

import dev.pipelineworker.JobWorker;
import dev.pipelineworker.micrometer.PipelineWorkerMetrics;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The example worker's metrics in a Prometheus registry: the worker's own ({@code pipeline_worker_*}, through
 * worker-micrometer) and the JVM's (memory, garbage collection, threads, class loading, CPU, uptime). In the order a
 * worker is built: {@link #instrument(JobWorker.Builder)} the builder, {@link #bindTo(JobWorker)} the built worker,
 * {@link #close()} after the worker has stopped.
 */
public final class PrometheusMetrics implements AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final PipelineWorkerMetrics workerMetrics = PipelineWorkerMetrics.of(registry);
    private final JvmGcMetrics gc = new JvmGcMetrics();

    /** A registry with the JVM's meters bound; the worker's follow with {@link #instrument} and {@link #bindTo}. */
    public PrometheusMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /** Adds the worker meters' listener to {@code builder}; returns it. */
    public JobWorker.Builder instrument(JobWorker.Builder builder) {
        return workerMetrics.instrument(builder);
    }

    /** Registers the gauges read from {@code worker}'s health and the series of each of its queues. */
    public void bindTo(JobWorker worker) {
        workerMetrics.bindTo(worker);
    }

    /** Every meter in the Prometheus text format (version 0.0.4), as {@code /metrics} serves it. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        workerMetrics.close();
        gc.close();
        registry.close();
    }
}

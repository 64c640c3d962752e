package dev.pipelineworker.spring.boot;

import dev.pipelineworker.micrometer.PipelineWorkerMetrics;
import dev.pipelineworker.spring.boot.internal.MicrometerInstrumentation;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * The workers' meters (see worker-micrometer's {@code MeterNames}) in the application's {@link MeterRegistry}, as
 * soon as worker-micrometer is on the class path and the application has a registry: no other setting needed. Each
 * meter carries the tag {@code worker} with the worker's name.
 */
@AutoConfiguration(before = PipelineWorkerAutoConfiguration.class, afterName = {
        "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnClass({PipelineWorkerMetrics.class, MeterRegistry.class})
@ConditionalOnBean(MeterRegistry.class)
public class PipelineWorkerMetricsAutoConfiguration {

    @Bean
    MicrometerInstrumentation pipelineWorkerMetrics(MeterRegistry registry) {
        return new MicrometerInstrumentation(registry);
    }
}

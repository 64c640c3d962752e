package dev.pipelineworker.spring.boot;

import dev.pipelineworker.JobObserver;
import dev.pipelineworker.opentelemetry.PipelineWorkerTracing;
import io.opentelemetry.api.OpenTelemetry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * A span per job (see worker-opentelemetry) through the application's {@link OpenTelemetry} bean, when
 * worker-opentelemetry is on the class path and the application has one.
 */
@AutoConfiguration(before = PipelineWorkerAutoConfiguration.class,
        afterName = "org.springframework.boot.actuate.autoconfigure.opentelemetry.OpenTelemetryAutoConfiguration")
@ConditionalOnClass({PipelineWorkerTracing.class, OpenTelemetry.class})
@ConditionalOnBean(OpenTelemetry.class)
public class PipelineWorkerTracingAutoConfiguration {

    @Bean
    JobWorkerCustomizer pipelineWorkerTracing(OpenTelemetry openTelemetry) {
        JobObserver tracing = PipelineWorkerTracing.create(openTelemetry);
        return (workerName, builder) -> builder.observer(tracing);
    }
}

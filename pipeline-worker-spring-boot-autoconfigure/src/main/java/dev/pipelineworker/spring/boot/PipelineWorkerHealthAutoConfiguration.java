package dev.pipelineworker.spring.boot;

import dev.pipelineworker.spring.boot.internal.ManagedWorkers;
import dev.pipelineworker.spring.boot.internal.WorkerHealthIndicator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.health.CompositeHealthContributor;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * The health contributor {@code pipelineWorkers}, one component per worker, for the readiness group only:
 * {@code management.endpoint.health.group.readiness.include=readinessState,pipelineWorkers}. A worker that has not
 * polled successfully yet, or is draining, is OUT_OF_SERVICE, never DOWN; keep it out of the liveness group, where
 * an AWS outage would get the application restarted. Off with {@code management.health.pipeline-workers.enabled=false}.
 */
@AutoConfiguration(after = PipelineWorkerAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(ManagedWorkers.class)
@ConditionalOnEnabledHealthIndicator("pipeline-workers")
public class PipelineWorkerHealthAutoConfiguration {

    /** The contributor; its name, {@code pipelineWorkers}, is what the readiness group includes. */
    @Bean
    HealthContributor pipelineWorkersHealthContributor(ManagedWorkers workers) {
        Map<String, HealthIndicator> indicators = new LinkedHashMap<>();
        workers.workers().forEach((name, worker) -> indicators.put(name, new WorkerHealthIndicator(worker)));
        return CompositeHealthContributor.fromMap(indicators);
    }
}

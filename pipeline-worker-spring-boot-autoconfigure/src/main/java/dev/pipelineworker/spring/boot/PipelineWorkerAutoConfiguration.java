package dev.pipelineworker.spring.boot;

import dev.pipelineworker.ArtifactStoreFactory;
import dev.pipelineworker.ClientTokenProvider;
import dev.pipelineworker.JobHandler;
import dev.pipelineworker.spring.boot.internal.ManagedWorkers;
import dev.pipelineworker.spring.boot.internal.VirtualThreadExecutors;
import dev.pipelineworker.spring.boot.internal.WorkerBuilderSource;
import dev.pipelineworker.spring.boot.internal.WorkerFactory;
import dev.pipelineworker.spring.boot.internal.WorkerInstrumentation;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnThreading;
import org.springframework.boot.autoconfigure.thread.Threading;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;

/**
 * Runs a job worker for each entry of {@code pipeline-worker.workers} with the {@link JobHandler} bean of its name,
 * started once the application is ready and drained when the context closes. The application's
 * {@link ClientTokenProvider}, {@link CodePipelineClients} (or single {@link CodePipelineClient}) and
 * {@link ArtifactStoreFactory} beans are used when present, and every {@link JobWorkerCustomizer} bean adjusts every
 * worker's builder last. With {@code spring.threads.virtual.enabled=true} on Java 21 or later, jobs run on virtual
 * threads.
 */
@AutoConfiguration
@ConditionalOnProperty(prefix = PipelineWorkerProperties.PREFIX, name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(PipelineWorkerProperties.class)
public class PipelineWorkerAutoConfiguration {

    /** Spring Boot's default of {@code spring.lifecycle.timeout-per-shutdown-phase}. */
    private static final Duration DEFAULT_SHUTDOWN_PHASE = Duration.ofSeconds(30);

    /** The workers, built (and every setting checked) while the context starts. */
    @Bean
    ManagedWorkers pipelineWorkers(ApplicationContext context, PipelineWorkerProperties properties,
                                   Environment environment, ObjectProvider<WorkerBuilderSource> source,
                                   ObjectProvider<ClientTokenProvider> clientTokens,
                                   ObjectProvider<CodePipelineClients> clients,
                                   ObjectProvider<CodePipelineClient> client,
                                   ObjectProvider<ArtifactStoreFactory> artifactStores,
                                   ObjectProvider<WorkerInstrumentation> instrumentations,
                                   ObjectProvider<JobWorkerCustomizer> customizers) {
        Duration shutdownPhase = Binder.get(environment)
                .bind("spring.lifecycle.timeout-per-shutdown-phase", Duration.class)
                .orElse(DEFAULT_SHUTDOWN_PHASE);
        WorkerFactory factory = new WorkerFactory(context.getBeansOfType(JobHandler.class),
                source.getIfAvailable(() -> WorkerBuilderSource.AWS),
                new WorkerFactory.AwsBeans(clientTokens.getIfUnique(), clients.getIfUnique(), client.getIfUnique(),
                        artifactStores.getIfUnique()),
                instrumentations.orderedStream().toList(), customizers.orderedStream().toList(), shutdownPhase);
        return new ManagedWorkers(context, factory.build(properties));
    }

    /** Jobs on virtual threads: one executor per worker, shut down after the workers. */
    @Bean
    @ConditionalOnThreading(Threading.VIRTUAL)
    VirtualThreadExecutors pipelineWorkerVirtualThreads() {
        return VirtualThreadExecutors.ifAvailable().orElseThrow(() -> new IllegalStateException(
                "spring.threads.virtual.enabled is true, but this Java has no virtual threads"));
    }
}

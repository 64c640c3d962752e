package dev.pipelineworker.spring.boot.test;

import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.JobHandler;
import dev.pipelineworker.JobWorker;
import dev.pipelineworker.spring.boot.PipelineWorkerAutoConfiguration;
import dev.pipelineworker.spring.boot.internal.WorkerBuilderSource;
import dev.pipelineworker.testkit.LocalCodePipeline;
import dev.pipelineworker.testkit.s3.LocalS3;
import dev.pipelineworker.testkit.s3.LocalWorkers;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * What {@link AutoConfigurePipelineWorkerEmulator} adds: a started {@link LocalCodePipeline} and {@link LocalS3}
 * (unless the test defines its own), and the workers built by {@link LocalWorkers}, so that they poll the emulator
 * with its clients and client tokens and keep their artifacts in LocalS3, and each worker's action type (its first
 * version) registered in every region, so that the workers are ready before the first job. The properties still
 * apply on top (regions, versions, limits); the application's AWS beans do not.
 */
@AutoConfiguration(before = PipelineWorkerAutoConfiguration.class)
public class PipelineWorkerEmulatorAutoConfiguration {

    /** The bucket of the LocalS3 this configuration starts. */
    public static final String BUCKET = "pipeline-worker-test";

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    LocalCodePipeline localCodePipeline() {
        return LocalCodePipeline.builder().start();
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    LocalS3 localS3() {
        return LocalS3.start(BUCKET);
    }

    @Bean(destroyMethod = "close")
    LocalWorkers pipelineWorkerLocalWorkers(LocalCodePipeline codePipeline, LocalS3 s3) {
        return LocalWorkers.of(codePipeline, s3);
    }

    @Bean
    WorkerBuilderSource pipelineWorkerEmulatorSource(LocalWorkers localWorkers) {
        return new WorkerBuilderSource() {
            @Override
            public JobWorker.Builder builder(ActionTypeId actionType, JobHandler handler) {
                // As in an account where the action type is registered: polls succeed before the first job.
                localWorkers.codePipeline().registerActionType(actionType);
                return localWorkers.workerFor(actionType, handler);
            }

            @Override
            public boolean suppliesAwsAccess() {
                return true;
            }
        };
    }
}

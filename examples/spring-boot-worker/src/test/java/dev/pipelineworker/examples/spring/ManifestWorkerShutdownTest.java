package dev.pipelineworker.examples.spring;

import static dev.pipelineworker.examples.spring.ManifestWorkerApplicationTest.WAIT;
import static dev.pipelineworker.examples.spring.ManifestWorkerApplicationTest.manifestJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pipelineworker.spring.boot.test.AutoConfigurePipelineWorkerEmulator;
import dev.pipelineworker.testkit.LocalCodePipeline;
import dev.pipelineworker.testkit.emulator.JobInfo;
import dev.pipelineworker.testkit.emulator.JobState;
import dev.pipelineworker.testkit.emulator.RecordedResult;
import dev.pipelineworker.testkit.s3.LocalS3;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * Closing the application, as its shutdown hook does on SIGTERM, waits for a running job and reports it. The
 * application runs here as {@code main} starts it, plus the emulator, so that the test may close it.
 */
class ManifestWorkerShutdownTest {

    @Configuration(proxyBeanMethods = false)
    @AutoConfigurePipelineWorkerEmulator
    static class Emulator {
    }

    @Test
    void closingTheApplicationDrainsTheRunningJob(@TempDir Path journal) {
        ConfigurableApplicationContext application = new SpringApplicationBuilder(ManifestWorkerApplication.class,
                Emulator.class)
                .properties("server.port=0", "pipeline-worker.workers.manifest.journal-dir=" + journal)
                .run();
        LocalCodePipeline codePipeline = application.getBean(LocalCodePipeline.class);
        JobInfo job = codePipeline.enqueue(manifestJob(application.getBean(LocalS3.class), "Slow", "eu-west-1",
                Map.of("WorkSeconds", "2")));
        await().atMost(WAIT).until(() -> codePipeline.job(job.jobId()).orElseThrow().state() == JobState.InProgress);

        application.close();

        assertThat(codePipeline.resultsForJob(job.jobId())).singleElement()
                .isInstanceOf(RecordedResult.Success.class);
    }
}

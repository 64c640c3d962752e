package dev.pipelineworker.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.JobHandler;
import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.JobWorker;
import dev.pipelineworker.WorkerHealth;
import dev.pipelineworker.spring.boot.internal.ManagedWorkers;
import dev.pipelineworker.spring.boot.test.AutoConfigurePipelineWorkerEmulator;
import dev.pipelineworker.testkit.LocalCodePipeline;
import dev.pipelineworker.testkit.emulator.JobInfo;
import dev.pipelineworker.testkit.emulator.JobSpec;
import dev.pipelineworker.testkit.emulator.RecordedResult;
import dev.pipelineworker.testkit.s3.LocalS3;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The workers of a real Spring application against the emulator: they start once the application is ready, run
 * jobs end to end, and drain when the context closes, so that a job in flight is reported rather than abandoned.
 */
class WorkerLifecycleTest {

    private static final ActionTypeId TYPE = ActionTypeId.thirdParty(ActionCategory.BUILD, "Manifest", "1");
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static LocalCodePipeline codePipeline;
    private static LocalS3 s3;

    private final CountDownLatch handlerStarted = new CountDownLatch(1);
    private final CountDownLatch releaseHandler = new CountDownLatch(1);
    private final AtomicBoolean runningWhenRunnersRan = new AtomicBoolean(true);
    private ConfigurableApplicationContext context;

    @BeforeAll
    static void startEmulators() {
        codePipeline = LocalCodePipeline.builder().start();
        s3 = LocalS3.start("lifecycle-test");
    }

    @AfterAll
    static void stopEmulators() {
        s3.close();
        codePipeline.close();
    }

    @AfterEach
    void closeApplication() {
        releaseHandler.countDown();
        if (context != null) {
            context.close();
        }
        codePipeline.reset();
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(PipelineWorkerAutoConfiguration.class)
    @AutoConfigurePipelineWorkerEmulator
    static class Application {
    }

    private ConfigurableApplicationContext start(JobHandler handler, String... properties) {
        return new SpringApplicationBuilder(Application.class)
                .web(WebApplicationType.NONE)
                .initializers(app -> {
                    // The emulators outlive each application: registered, not defined, so closing it keeps them.
                    app.getBeanFactory().registerSingleton("localCodePipeline", codePipeline);
                    app.getBeanFactory().registerSingleton("localS3", s3);
                    app.getBeanFactory().registerSingleton("manifest", handler);
                    app.getBeanFactory().registerSingleton("checkRunning", (ApplicationRunner) args ->
                            runningWhenRunnersRan.set(app.getBean(ManagedWorkers.class).isRunning()));
                })
                .properties("spring.main.banner-mode=off",
                        "pipeline-worker.workers.manifest.category=Build",
                        "pipeline-worker.workers.manifest.provider=Manifest")
                .properties(properties)
                .run();
    }

    private JobWorker worker() {
        return context.getBean(ManagedWorkers.class).workers().get("manifest");
    }

    @Test
    void theWorkersStartOnlyOnceTheApplicationIsReadyAndRunAJobEndToEnd() {
        context = start(job -> JobOutcome.success("packed"));

        assertThat(runningWhenRunnersRan).as("running while the application runners ran").isFalse();
        assertThat(worker().isRunning()).isTrue();
        JobInfo job = codePipeline.enqueue(JobSpec.builder(TYPE).build());
        assertThat(codePipeline.awaitFinalResult(job.actionExecutionId(), WAIT))
                .isInstanceOf(RecordedResult.Success.class);
    }

    @Test
    void theWorkersServeEveryConfiguredRegionOfTheEmulator() {
        context = start(job -> JobOutcome.success(), "pipeline-worker.workers.manifest.regions=us-east-1,eu-west-1");

        JobInfo job = codePipeline.enqueue(JobSpec.builder(TYPE).region("eu-west-1").build());
        assertThat(codePipeline.awaitFinalResult(job.actionExecutionId(), WAIT).region()).isEqualTo("eu-west-1");
    }

    @Test
    @EnabledForJreRange(min = JRE.JAVA_21)
    void withVirtualThreadsAskedForOnJava21TheHandlerRunsOnOne() {
        AtomicReference<String> handlerThread = new AtomicReference<>();
        context = start(job -> {
            // Thread.isVirtual() is not in the Java 17 API this compiles against.
            handlerThread.set(Thread.currentThread().getClass().getName());
            return JobOutcome.success();
        }, "spring.threads.virtual.enabled=true");

        JobInfo job = codePipeline.enqueue(JobSpec.builder(TYPE).build());
        assertThat(codePipeline.awaitFinalResult(job.actionExecutionId(), WAIT))
                .isInstanceOf(RecordedResult.Success.class);
        assertThat(handlerThread).hasValue("java.lang.VirtualThread");
    }

    @Test
    void closingTheContextDrainsAJobInFlightAndReportsIt() throws InterruptedException {
        context = start(job -> {
            handlerStarted.countDown();
            releaseHandler.await();
            return JobOutcome.success("finished while draining");
        }, "spring.lifecycle.timeout-per-shutdown-phase=60s");
        JobInfo job = codePipeline.enqueue(JobSpec.builder(TYPE).build());
        assertThat(handlerStarted.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        JobWorker worker = worker();

        Thread closing = new Thread(context::close, "closing-the-context");
        closing.start();
        await().atMost(WAIT).until(() -> worker.health().state() == WorkerHealth.State.DRAINING);
        assertThat(closing.isAlive()).as("close waits for the job").isTrue();
        assertThat(codePipeline.resultsForJob(job.jobId())).isEmpty();
        releaseHandler.countDown();
        closing.join(WAIT.toMillis());

        assertThat(closing.isAlive()).isFalse();
        assertThat(codePipeline.resultsForJob(job.jobId())).singleElement()
                .isInstanceOf(RecordedResult.Success.class);
        assertThat(worker.health().state()).isEqualTo(WorkerHealth.State.STOPPED);
        context = null;
    }
}

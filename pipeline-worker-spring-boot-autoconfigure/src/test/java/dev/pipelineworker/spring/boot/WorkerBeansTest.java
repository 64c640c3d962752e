package dev.pipelineworker.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.ClientTokenProvider;
import dev.pipelineworker.JobHandler;
import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.JobQueue;
import dev.pipelineworker.JobWorker;
import dev.pipelineworker.micrometer.MeterNames;
import dev.pipelineworker.spring.boot.internal.ManagedWorkers;
import dev.pipelineworker.spring.boot.internal.VirtualThreadExecutors;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.springframework.boot.actuate.health.CompositeHealthContributor;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;

/** What the properties and the application's beans make of the workers, in a real (not started) context. */
class WorkerBeansTest {

    private static final JobHandler HANDLER = context -> JobOutcome.success();
    private static final ActionTypeId V1 = ActionTypeId.thirdParty(ActionCategory.BUILD, "Manifest", "1");
    private static final ActionTypeId V2 = ActionTypeId.thirdParty(ActionCategory.BUILD, "Manifest", "2");

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(PipelineWorkerAutoConfiguration.class,
                    PipelineWorkerHealthAutoConfiguration.class, PipelineWorkerMetricsAutoConfiguration.class,
                    PipelineWorkerTracingAutoConfiguration.class))
            .withBean("clientTokens", ClientTokenProvider.class, () -> ClientTokenProvider.fromMap(Map.of()))
            .withBean("manifest", JobHandler.class, () -> HANDLER)
            .withPropertyValues(
                    "pipeline-worker.workers.manifest.category=Build",
                    "pipeline-worker.workers.manifest.provider=Manifest",
                    "pipeline-worker.workers.manifest.regions=us-east-1");

    @Test
    void eachVersionInEachRegionIsAQueueOfTheWorker() {
        runner.withPropertyValues("pipeline-worker.workers.manifest.versions=1,2",
                        "pipeline-worker.workers.manifest.regions=us-east-1,eu-west-1")
                .run(context -> assertThat(worker(context.getBean(ManagedWorkers.class), "manifest").queues())
                        .containsExactly(JobQueue.of(V1, Region.US_EAST_1), JobQueue.of(V2, Region.US_EAST_1),
                                JobQueue.of(V1, Region.EU_WEST_1), JobQueue.of(V2, Region.EU_WEST_1)));
    }

    @Test
    void theHandlerPropertyNamesTheBeanOfAWorkerNamedOtherwise() {
        runner.withBean("packer", JobHandler.class, () -> HANDLER)
                .withPropertyValues("pipeline-worker.workers.packing.category=Deploy",
                        "pipeline-worker.workers.packing.provider=Packer",
                        "pipeline-worker.workers.packing.owner=Custom",
                        "pipeline-worker.workers.packing.handler=packer",
                        "pipeline-worker.workers.packing.regions=eu-west-1")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(ManagedWorkers.class).workers()).containsOnlyKeys("manifest",
                            "packing");
                    assertThat(worker(context.getBean(ManagedWorkers.class), "packing").queues()).containsExactly(
                            JobQueue.of(ActionTypeId.custom(ActionCategory.DEPLOY, "Packer", "1"), Region.EU_WEST_1));
                });
    }

    @Test
    void aDisabledWorkerNeedsNoHandlerAndRunsNot() {
        runner.withPropertyValues("pipeline-worker.workers.spare.enabled=false")
                .run(context -> assertThat(context.getBean(ManagedWorkers.class).workers()).containsOnlyKeys(
                        "manifest"));
    }

    @Test
    void theStarterTurnedOffRunsNoWorker() {
        runner.withPropertyValues("pipeline-worker.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(ManagedWorkers.class));
    }

    @Test
    void everyCustomizerAdjustsEveryWorkerByName() {
        List<String> customized = new CopyOnWriteArrayList<>();
        runner.withBean("packer", JobHandler.class, () -> HANDLER)
                .withPropertyValues("pipeline-worker.workers.packer.category=Build",
                        "pipeline-worker.workers.packer.provider=Packer",
                        "pipeline-worker.workers.packer.regions=us-east-1")
                .withBean(JobWorkerCustomizer.class, () -> (name, builder) -> customized.add(name))
                .run(context -> assertThat(customized).containsExactlyInAnyOrder("manifest", "packer"));
    }

    @Test
    void aCodePipelineClientBeanServesItsRegion() {
        try (CodePipelineClient client = CodePipelineClient.builder().region(Region.EU_WEST_2)
                .credentialsProvider(AnonymousCredentialsProvider.create()).build()) {
            runner.withPropertyValues("pipeline-worker.workers.manifest.regions=")
                    .withBean(CodePipelineClient.class, () -> client)
                    .run(context -> assertThat(worker(context.getBean(ManagedWorkers.class), "manifest").queues())
                            .containsExactly(JobQueue.of(V1, Region.EU_WEST_2)));
        }
    }

    @Test
    void theWorkersMetersAreInTheApplicationsRegistryTaggedWithTheWorkersName() {
        runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);

            assertThat(registry.find(MeterNames.SLOTS_FREE).tag("worker", "manifest").gauge()).isNotNull();
            assertThat(registry.find(MeterNames.POLLS).tag("worker", "manifest").counters()).isNotEmpty();
        });
    }

    @Test
    void withoutARegistryThereAreNoMeters() {
        runner.run(context -> assertThat(context).doesNotHaveBean(
                dev.pipelineworker.spring.boot.internal.MicrometerInstrumentation.class));
    }

    @Test
    void eachWorkerIsAComponentOfTheHealthContributorOutOfServiceUntilItPolls() {
        runner.run(context -> {
            HealthContributor contributor = context.getBean("pipelineWorkersHealthContributor",
                    HealthContributor.class);
            HealthIndicator manifest = (HealthIndicator) ((CompositeHealthContributor) contributor)
                    .getContributor("manifest");

            assertThat(manifest.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
            assertThat(manifest.health().getDetails()).containsEntry("state", "STARTING")
                    .containsEntry("slotsFree", 8).containsKey("queues");
        });
    }

    @Test
    void theHealthContributorCanBeTurnedOff() {
        runner.withPropertyValues("management.health.pipeline-workers.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean("pipelineWorkersHealthContributor"));
    }

    @Test
    void anOpenTelemetryBeanTracesTheJobs() {
        runner.withBean(OpenTelemetry.class, OpenTelemetry::noop)
                .run(context -> assertThat(context).hasBean("pipelineWorkerTracing"));
        runner.run(context -> assertThat(context).doesNotHaveBean("pipelineWorkerTracing"));
    }

    @Test
    @EnabledForJreRange(max = JRE.JAVA_20)
    void virtualThreadsAskedForBeforeJava21LeaveTheWorkersOwnPool() {
        runner.withPropertyValues("spring.threads.virtual.enabled=true").run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(VirtualThreadExecutors.class);
            assertThat(VirtualThreadExecutors.ifAvailable()).isEmpty();
        });
    }

    @Test
    @EnabledForJreRange(min = JRE.JAVA_21)
    void virtualThreadsAskedForOnJava21RunTheJobs() {
        runner.withPropertyValues("spring.threads.virtual.enabled=true")
                .run(context -> assertThat(context).hasSingleBean(VirtualThreadExecutors.class));
        runner.run(context -> assertThat(context).doesNotHaveBean(VirtualThreadExecutors.class));
    }

    private static JobWorker worker(ManagedWorkers workers, String name) {
        return workers.workers().get(name);
    }
}

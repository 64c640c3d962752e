package dev.pipelineworker.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipelineworker.ClientTokenProvider;
import dev.pipelineworker.JobHandler;
import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.spring.boot.internal.InvalidWorkerProperty;
import dev.pipelineworker.spring.boot.internal.InvalidWorkerPropertyFailureAnalyzer;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Configuration that cannot run fails the context's start with one message naming the property to fix. */
class InvalidWorkerConfigurationTest {

    private static final JobHandler HANDLER = context -> JobOutcome.success();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(PipelineWorkerAutoConfiguration.class))
            .withBean("clientTokens", ClientTokenProvider.class, () -> ClientTokenProvider.fromMap(Map.of()))
            .withPropertyValues(
                    "pipeline-worker.workers.manifest.category=Build",
                    "pipeline-worker.workers.manifest.provider=Manifest",
                    "pipeline-worker.workers.manifest.regions=us-east-1");

    @Test
    void aWorkerWithoutAHandlerBeanFailsNamingItsHandlerProperty() {
        runner.withBean("other", JobHandler.class, () -> HANDLER).run(context -> assertFailedOn(context,
                "pipeline-worker.workers.manifest.handler", "no JobHandler bean is named 'manifest'"));
    }

    @Test
    void aHandlerPropertyNamingNoBeanFailsNamingIt() {
        runner.withPropertyValues("pipeline-worker.workers.manifest.handler=packer")
                .run(context -> assertFailedOn(context, "pipeline-worker.workers.manifest.handler",
                        "no JobHandler bean is named 'packer'"));
    }

    @Test
    void twoHandlersForOneWorkerFailNamingTheHandlerProperty() {
        runner.withBean("manifest", JobHandler.class, () -> HANDLER)
                .withBean("packer", JobHandler.class, () -> HANDLER)
                .withPropertyValues("pipeline-worker.workers.manifest.handler=packer")
                .run(context -> assertFailedOn(context, "pipeline-worker.workers.manifest.handler",
                        "two JobHandler beans for one worker: 'packer'"));
    }

    @Test
    void anInvalidProviderNameFailsNamingTheProvider() {
        runner.withBean("manifest", JobHandler.class, () -> HANDLER)
                .withPropertyValues("pipeline-worker.workers.manifest.provider=Manifest Maker")
                .run(context -> assertFailedOn(context, "pipeline-worker.workers.manifest.provider",
                        "got 'Manifest Maker'"));
    }

    @Test
    void anUnknownRegionFailsNamingTheRegions() {
        runner.withBean("manifest", JobHandler.class, () -> HANDLER)
                .withPropertyValues("pipeline-worker.workers.manifest.regions=us-east-1,mars-north")
                .run(context -> assertFailedOn(context, "pipeline-worker.workers.manifest.regions",
                        "'mars-north' is not a region name"));
    }

    @Test
    void anInvalidVersionFailsNamingTheVersions() {
        runner.withBean("manifest", JobHandler.class, () -> HANDLER)
                .withPropertyValues("pipeline-worker.workers.manifest.versions=1,1")
                .run(context -> assertFailedOn(context, "pipeline-worker.workers.manifest.versions",
                        "version 1 is named twice"));
    }

    @Test
    void aMissingCategoryFailsNamingIt() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(PipelineWorkerAutoConfiguration.class))
                .withBean("manifest", JobHandler.class, () -> HANDLER)
                .withPropertyValues("pipeline-worker.workers.manifest.provider=Manifest")
                .run(context -> assertFailedOn(context, "pipeline-worker.workers.manifest.category", "required"));
    }

    @Test
    void anUnknownCategoryFailsInSpringsBindingNamingIt() {
        runner.withBean("manifest", JobHandler.class, () -> HANDLER)
                .withPropertyValues("pipeline-worker.workers.manifest.category=Compile")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).hasRootCauseInstanceOf(IllegalArgumentException.class);
                    assertThat(bindFailure(context.getStartupFailure()).getProperty().getName())
                            .hasToString("pipeline-worker.workers.manifest.category");
                });
    }

    @Test
    void aThirdPartyWorkerWithoutClientTokensFailsNamingTheWorker() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(PipelineWorkerAutoConfiguration.class))
                .withBean("manifest", JobHandler.class, () -> HANDLER)
                .withPropertyValues("pipeline-worker.workers.manifest.category=Build",
                        "pipeline-worker.workers.manifest.provider=Manifest",
                        "pipeline-worker.workers.manifest.regions=us-east-1")
                .run(context -> assertFailedOn(context, "pipeline-worker.workers.manifest", "needs clientTokens"));
    }

    @Test
    void theFailureAnalysisNamesThePropertyAndItsFix() {
        runner.withBean("manifest", JobHandler.class, () -> HANDLER)
                .withPropertyValues("pipeline-worker.workers.manifest.max-concurrent-jobs=0")
                .run(context -> {
                    FailureAnalysis analysis = new InvalidWorkerPropertyFailureAnalyzer()
                            .analyze(context.getStartupFailure());

                    assertThat(analysis.getDescription()).isEqualTo("The pipeline-worker property "
                            + "pipeline-worker.workers.manifest.max-concurrent-jobs is invalid: maxConcurrentJobs "
                            + "must be at least 1, got 0");
                    assertThat(analysis.getAction())
                            .isEqualTo("Fix pipeline-worker.workers.manifest.max-concurrent-jobs in the application's "
                                    + "configuration.");
                });
    }

    private static void assertFailedOn(AssertableApplicationContext context, String property, String reason) {
        assertThat(context).hasFailed();
        assertThat(context.getStartupFailure()).rootCause()
                .hasMessageStartingWith(property + ": ").hasMessageContaining(reason)
                .isInstanceOfSatisfying(InvalidWorkerProperty.class,
                        failure -> assertThat(failure.property()).isEqualTo(property));
    }

    private static BindException bindFailure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindException bind) {
                return bind;
            }
        }
        throw new AssertionError("no BindException in " + failure);
    }
}

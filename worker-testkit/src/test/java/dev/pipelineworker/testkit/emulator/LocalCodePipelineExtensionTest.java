package dev.pipelineworker.testkit.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.testkit.LocalCodePipeline;
import dev.pipelineworker.testkit.LocalCodePipelineExtension;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineTestKit;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;
import software.amazon.awssdk.services.codepipeline.model.Job;

/**
 * The JUnit extension's lifecycle, run on fixture classes through the JUnit engine: what it starts, shares, resets,
 * injects and closes.
 */
class LocalCodePipelineExtensionTest {

    private static final ActionTypeId CUSTOM = ActionTypeId.custom(ActionCategory.DEPLOY, "Ext", "1");

    /** Whether a fixture class runs because a test here asked for it, not because a test filter matched it. */
    private static volatile boolean runningFixtures;

    static boolean runningFixtures() {
        return runningFixtures;
    }

    private static void run(Class<?> fixture, int tests) {
        runningFixtures = true;
        try {
            EngineTestKit.engine("junit-jupiter").selectors(selectClass(fixture)).execute()
                    .testEvents().assertStatistics(stats -> stats.started(tests).succeeded(tests));
        } finally {
            runningFixtures = false;
        }
    }

    @Test
    void onAStaticFieldOneEmulatorServesTheClassIsResetBetweenTestsAndClosedAfterIt() {
        PerClass.seen.clear();

        run(PerClass.class, 3);

        assertThat(PerClass.seen).hasSize(3).containsOnly(PerClass.seen.get(0));
        assertThatThrownBy(() -> PerClass.seen.get(0).endpoint()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void onAnInstanceFieldEachTestGetsItsOwnEmulatorClosedAfterTheTest() {
        PerTest.seen.clear();

        run(PerTest.class, 2);

        assertThat(PerTest.seen).hasSize(2).doesNotHaveDuplicates();
        assertThat(PerTest.seen).allSatisfy(emulator ->
                assertThatThrownBy(emulator::endpoint).isInstanceOf(IllegalStateException.class));
    }

    @Test
    void declaredWithExtendWithItInjectsTheEmulator() {
        Declared.seen.clear();

        run(Declared.class, 2);

        assertThat(Declared.seen).hasSize(2);
    }

    @Test
    void outsideATestThereIsNoEmulator() {
        assertThatThrownBy(() -> LocalCodePipelineExtension.create().emulator())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the LocalCodePipeline runs only while a test runs");
    }

    @Test
    void aConfiguredExtensionStillHandsOutContinuationsAtOnce() {
        Configured.seen.clear();

        run(Configured.class, 1);

        assertThat(Configured.seen).hasSize(1);
    }

    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    @EnabledIf("dev.pipelineworker.testkit.emulator.LocalCodePipelineExtensionTest#runningFixtures")
    static class PerClass {
        static final List<LocalCodePipeline> seen = new CopyOnWriteArrayList<>();

        @RegisterExtension
        static final LocalCodePipelineExtension CP = LocalCodePipelineExtension.create();

        @Test
        @Order(1)
        void first(LocalCodePipeline emulator) {
            emulator.enqueue(JobSpec.builder(CUSTOM).build());
            assertThat(emulator).isSameAs(CP.emulator());
            seen.add(emulator);
        }

        @Test
        @Order(2)
        void second(LocalCodePipeline emulator) {
            assertThat(emulator.jobs()).as("reset after the first test").isEmpty();
            seen.add(emulator);
        }

        @Nested
        class Inner {
            @Test
            void sharesTheOuterClasssEmulator(LocalCodePipeline emulator) {
                seen.add(emulator);
            }
        }
    }

    @EnabledIf("dev.pipelineworker.testkit.emulator.LocalCodePipelineExtensionTest#runningFixtures")
    static class PerTest {
        static final List<LocalCodePipeline> seen = new CopyOnWriteArrayList<>();

        @RegisterExtension
        final LocalCodePipelineExtension cp = LocalCodePipelineExtension.create();

        @Test
        void one(LocalCodePipeline emulator) {
            assertThat(emulator).isSameAs(cp.emulator());
            seen.add(emulator);
        }

        @Test
        void two(LocalCodePipeline emulator) {
            seen.add(emulator);
        }
    }

    @ExtendWith(LocalCodePipelineExtension.class)
    @EnabledIf("dev.pipelineworker.testkit.emulator.LocalCodePipelineExtensionTest#runningFixtures")
    static class Declared {
        static final List<LocalCodePipeline> seen = new CopyOnWriteArrayList<>();

        @Test
        void injected(LocalCodePipeline emulator) {
            assertThat(emulator.endpoint().getHost()).isEqualTo("127.0.0.1");
            seen.add(emulator);
        }

        @Test
        void otherParametersAreLeftToJUnit(org.junit.jupiter.api.TestInfo info, LocalCodePipeline emulator) {
            assertThat(info.getTestMethod()).isPresent();
            seen.add(emulator);
        }
    }

    @EnabledIf("dev.pipelineworker.testkit.emulator.LocalCodePipelineExtensionTest#runningFixtures")
    static class Configured {
        static final List<LocalCodePipeline> seen = new CopyOnWriteArrayList<>();

        @RegisterExtension
        static final LocalCodePipelineExtension CP = LocalCodePipelineExtension.create(b -> b.actionType(CUSTOM));

        @Test
        void theNextJobOfAContinuedActionIsPolledRightAway(LocalCodePipeline emulator) {
            JobInfo first = emulator.enqueue(JobSpec.builder(CUSTOM).build());
            try (CodePipelineClient sdk = Sdk.client(emulator.endpoint())) {
                Job polled = sdk.pollForJobs(r -> r.actionTypeId(Sdk.sdkType(CUSTOM)).maxBatchSize(1)).jobs().get(0);
                sdk.acknowledgeJob(r -> r.jobId(polled.id()).nonce(polled.nonce()));
                sdk.putJobSuccessResult(r -> r.jobId(polled.id()).continuationToken("step-2"));

                List<Job> next = sdk.pollForJobs(r -> r.actionTypeId(Sdk.sdkType(CUSTOM)).maxBatchSize(1)).jobs();

                assertThat(next).singleElement().satisfies(job -> {
                    assertThat(job.data().continuationToken()).isEqualTo("step-2");
                    assertThat(job.data().pipelineContext().action().actionExecutionId())
                            .isEqualTo(first.actionExecutionId());
                });
            }
            seen.add(emulator);
        }
    }
}

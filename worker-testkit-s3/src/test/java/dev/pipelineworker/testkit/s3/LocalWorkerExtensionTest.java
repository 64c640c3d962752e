package dev.pipelineworker.testkit.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.JobWorker;
import dev.pipelineworker.testkit.LocalCodePipeline;
import dev.pipelineworker.testkit.emulator.JobInfo;
import dev.pipelineworker.testkit.emulator.JobSpec;
import dev.pipelineworker.testkit.emulator.RecordedResult;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/** The extension on fixture classes run through the JUnit engine: what it injects, shares, resets and closes. */
class LocalWorkerExtensionTest {

    private static final ActionTypeId TYPE = ActionTypeId.thirdParty(ActionCategory.TEST, "Count", "1");

    /** Whether a fixture class runs because a test here asked for it, not because a test filter matched it. */
    private static volatile boolean runningFixtures;

    static boolean runningFixtures() {
        return runningFixtures;
    }

    private static Events run(Class<?> fixture) {
        runningFixtures = true;
        try {
            return EngineTestKit.engine("junit-jupiter").selectors(selectClass(fixture)).execute().testEvents();
        } finally {
            runningFixtures = false;
        }
    }

    private static boolean accepts(java.net.URI endpoint) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(endpoint.getHost(), endpoint.getPort()), 1_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void aStaticRegistrationInjectsAReadyWorkerAndClosesEverythingAfterTheClass() {
        Static.seen.clear();

        run(Static.class).assertStatistics(stats -> stats.started(2).succeeded(2));

        List<Object> seen = Static.seen;
        assertThat(seen).hasSize(6);
        assertThat(seen.get(0)).as("one emulator for the class").isSameAs(seen.get(3));
        assertThat(seen.get(1)).as("one LocalS3 for the class").isSameAs(seen.get(4));
        assertThat(seen.get(2)).as("clients of each test's own").isNotSameAs(seen.get(5));
        assertThatThrownBy(((LocalCodePipeline) seen.get(0))::endpoint).isInstanceOf(IllegalStateException.class);
        assertThat(accepts(((LocalS3) seen.get(1)).endpoint())).as("LocalS3 stopped").isFalse();
    }

    @Test
    void withoutAWorkerItOffersLocalWorkersAndSaysWhyItHasNoBuilder() {
        Declared.seen.clear();

        Events events = run(Declared.class);

        events.assertStatistics(stats -> stats.started(2).succeeded(1).failed(1));
        events.assertThatEvents().haveExactly(1, event(test("asksForABuilder"),
                finishedWithFailure(message(m -> m.contains("LocalWorkerExtension.forWorker")))));
        assertThat(Declared.seen).singleElement().isInstanceOf(LocalWorkers.class);
    }

    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    @EnabledIf("dev.pipelineworker.testkit.s3.LocalWorkerExtensionTest#runningFixtures")
    static class Static {
        static final List<Object> seen = new CopyOnWriteArrayList<>();

        @RegisterExtension
        static final LocalWorkerExtension LOCAL = LocalWorkerExtension.forWorker(TYPE,
                () -> ctx -> JobOutcome.success(ctx.artifacts().extractInput("source",
                        ctx.scratchDirectory()).toFile().list().length + " files"))
                .bucket("extension-test");

        @Test
        @Order(1)
        void aJobIsServedByTheInjectedWorker(LocalCodePipeline codePipeline, LocalS3 s3, JobWorker.Builder worker,
                                             LocalWorkers local) {
            s3.putZip("one/in.zip", Map.of("a", "1", "b", "2"));
            try (JobWorker running = worker.build().start()) {
                JobInfo job = codePipeline.enqueue(JobSpec.builder(TYPE)
                        .inputArtifact("source", "extension-test", "one/in.zip").build());

                assertThat(codePipeline.awaitFinalResult(job.actionExecutionId(), Duration.ofSeconds(30)))
                        .isInstanceOfSatisfying(RecordedResult.Success.class,
                                s -> assertThat(s.executionDetails().summary()).isEqualTo("2 files"));
            }
            seen.addAll(List.of(codePipeline, s3, local));
        }

        @Test
        @Order(2)
        void theNextTestSeesAResetEmulatorAndTheSameS3(LocalCodePipeline codePipeline, LocalS3 s3,
                                                       LocalWorkers local) {
            assertThat(codePipeline.jobs()).isEmpty();
            assertThat(s3.getZipTexts("one/in.zip")).containsOnlyKeys("a", "b");
            seen.addAll(List.of(codePipeline, s3, local));
        }
    }

    @ExtendWith(LocalWorkerExtension.class)
    @EnabledIf("dev.pipelineworker.testkit.s3.LocalWorkerExtensionTest#runningFixtures")
    static class Declared {
        static final List<Object> seen = new CopyOnWriteArrayList<>();

        @Test
        void offersLocalWorkers(LocalWorkers local) {
            assertThat(local.s3().bucket()).isEqualTo(LocalWorkerExtension.DEFAULT_BUCKET);
            seen.add(local);
        }

        @Test
        void asksForABuilder(JobWorker.Builder worker) {
            seen.add(worker);
        }
    }
}

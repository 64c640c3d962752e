package dev.pipelineworker.lambda.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipelineworker.ArtifactStore;
import dev.pipelineworker.ArtifactStoreFactory;
import dev.pipelineworker.JobContext;
import dev.pipelineworker.JobHandler;
import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.lambda.LambdaOptions;
import dev.pipelineworker.lambda.testing.FakeLambdaContext;
import dev.pipelineworker.lambda.testing.LambdaEvent;
import dev.pipelineworker.testkit.InMemoryArtifactStore;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.regions.Region;

/** The runner's own decisions: the default provider name and region, its budget, the lines it logs, its thread. */
class LambdaJobRunnerTest {

    private static final LambdaEvent EVENT = LambdaEvent.builder().jobId("job-7").build();

    private static String invoke(JobHandler handler, LambdaOptions options, FakeLambdaContext context) {
        return new String(new LambdaJobRunner(handler, options).invoke(EVENT.json().getBytes(StandardCharsets.UTF_8),
                context), StandardCharsets.UTF_8);
    }

    @Test
    void theProviderIsTheFunctionNameMadeValid() {
        assertThat(LambdaJobRunner.provider(null)).isEqualTo("Lambda");
        assertThat(LambdaJobRunner.provider("")).isEqualTo("Lambda");
        assertThat(LambdaJobRunner.provider("  ")).isEqualTo("Lambda");
        assertThat(LambdaJobRunner.provider("my.build fn_2-x")).isEqualTo("my-build-fn_2-x");
        assertThat(LambdaJobRunner.provider("f".repeat(35))).isEqualTo("f".repeat(35));
        assertThat(LambdaJobRunner.provider("f".repeat(34) + "gh")).isEqualTo("f".repeat(34) + "g");
    }

    @Test
    void withoutAContextTheJobRunsAsTheLambdaProviderWithFifteenMinutes() {
        AtomicReference<JobContext> seen = new AtomicReference<>();
        String result = new String(new LambdaJobRunner(ctx -> {
            seen.set(ctx);
            return JobOutcome.success();
        }, LambdaOptions.defaults()).invoke(EVENT.json().getBytes(StandardCharsets.UTF_8), null),
                StandardCharsets.UTF_8);

        assertThat(result).isEqualTo("{\"result\":\"success\"}");
        assertThat(seen.get().actionTypeId().provider()).isEqualTo("Lambda");
        assertThat(seen.get().remaining()).isBetween(Duration.ofMinutes(14).plusSeconds(40),
                Duration.ofMinutes(15).minusSeconds(10));
    }

    @Test
    void noTimeLeftBeyondTheMarginFailsBeforeTheHandlerRuns() {
        AtomicBoolean ran = new AtomicBoolean();
        FakeLambdaContext context = FakeLambdaContext.withRemainingTime(Duration.ZERO);

        String result = invoke(ctx -> {
            ran.set(true);
            return JobOutcome.success();
        }, LambdaOptions.defaults().withSafetyMargin(Duration.ZERO), context);

        assertThat(result).contains("\"failureType\":\"JobFailed\"")
                .contains("the job timed out before it started: the Lambda had 0 ms left");
        assertThat(ran).isFalse();
        assertThat(context.logLines()).anyMatch(line -> line.startsWith("job job-7: the job timed out before it started"));
    }

    @Test
    void theReportAndWhatTheResultCannotCarryAreLogged() {
        FakeLambdaContext context = FakeLambdaContext.withRemainingTime(Duration.ofMinutes(1));

        invoke(ctx -> JobOutcome.success().withPercentComplete(100), LambdaOptions.defaults(), context);
        invoke(ctx -> JobOutcome.success(), LambdaOptions.defaults(), context);

        assertThat(context.logLines()).containsSubsequence(
                "job job-7: the Lambda result has no place for percentComplete; left out",
                "job job-7: reporting success",
                "job job-7: reporting success");
        assertThat(context.logLines()).filteredOn(line -> line.contains("no place for")).hasSize(1);
    }

    @Test
    void aMalformedEventIsLoggedWithTheJobIdWhenItHasOne() {
        FakeLambdaContext context = FakeLambdaContext.withRemainingTime(Duration.ofMinutes(1));
        LambdaJobRunner runner = new LambdaJobRunner(ctx -> JobOutcome.success(), LambdaOptions.defaults());

        runner.invoke("{}".getBytes(StandardCharsets.UTF_8), context);
        runner.invoke("{\"jobId\": \"job-8\"}".getBytes(StandardCharsets.UTF_8), context);

        assertThat(context.logLines()).containsExactly("malformed Lambda event: jobId is missing",
                "job job-8: malformed Lambda event: data is missing");
    }

    @Test
    void theHandlerRunsOnADaemonThreadNamedForTheJob() {
        AtomicReference<Thread> thread = new AtomicReference<>();

        invoke(ctx -> {
            thread.set(Thread.currentThread());
            return JobOutcome.success();
        }, LambdaOptions.defaults(), FakeLambdaContext.withRemainingTime(Duration.ofMinutes(1)));

        assertThat(thread.get().isDaemon()).isTrue();
        assertThat(thread.get().getName()).isEqualTo("pipeline-worker-lambda-job-7");
    }

    @Test
    void anInterruptedInvocationIsASystemFailureAndKeepsTheInterrupt() {
        CountDownLatch handlerHeld = new CountDownLatch(1);
        String result;
        boolean stillInterrupted;
        Thread.currentThread().interrupt();
        try {
            // The handler is still running when the invocation waits for it, so the wait sees the interrupt.
            result = invoke(ctx -> {
                handlerHeld.await(10, TimeUnit.SECONDS);
                return JobOutcome.success();
            }, LambdaOptions.defaults(), FakeLambdaContext.withRemainingTime(Duration.ofMinutes(1)));
        } finally {
            stillInterrupted = Thread.interrupted();
            handlerHeld.countDown();
        }

        assertThat(result).isEqualTo("{\"result\":\"fail\",\"failureType\":\"SystemUnavailable\",\"status\":{\"summary\":"
                + "\"the Lambda invocation was interrupted while the handler ran; its work may be incomplete\"}}");
        assertThat(stillInterrupted).isTrue();
    }

    @Test
    void theRegionComesFromTheFunctionsSettings() {
        AtomicReference<Region> region = new AtomicReference<>();
        String before = System.getProperty("aws.region");
        System.setProperty("aws.region", "eu-central-1");
        try {
            invoke(ctx -> {
                region.set(ctx.region());
                return JobOutcome.success();
            }, LambdaOptions.defaults(), FakeLambdaContext.withRemainingTime(Duration.ofMinutes(1)));
        } finally {
            if (before == null) {
                System.clearProperty("aws.region");
            } else {
                System.setProperty("aws.region", before);
            }
        }

        assertThat(region.get()).isEqualTo(Region.EU_CENTRAL_1);
    }

    @Test
    void anArtifactStoreFactoryIsDiscoveredThroughTheServiceLoader(@TempDir Path services) throws IOException {
        Path registration = services.resolve("META-INF/services/" + ArtifactStoreFactory.class.getName());
        Files.createDirectories(registration.getParent());
        Files.writeString(registration, DiscoveredStores.class.getName() + "\n");
        AtomicReference<byte[]> read = new AtomicReference<>();
        LambdaJobRunner runner;
        Thread current = Thread.currentThread();
        ClassLoader before = current.getContextClassLoader();
        try (URLClassLoader withRegistration = new URLClassLoader(new URL[] {services.toUri().toURL()},
                LambdaJobRunnerTest.class.getClassLoader())) {
            current.setContextClassLoader(withRegistration);
            runner = new LambdaJobRunner(ctx -> {
                try (var in = ctx.artifacts().openInput("discovered")) {
                    read.set(in.readAllBytes());
                }
                return JobOutcome.success();
            }, LambdaOptions.defaults());
        } finally {
            current.setContextClassLoader(before);
        }

        byte[] result = runner.invoke(EVENT.json().getBytes(StandardCharsets.UTF_8),
                FakeLambdaContext.withRemainingTime(Duration.ofMinutes(1)));

        assertThat(new String(result, StandardCharsets.UTF_8)).isEqualTo("{\"result\":\"success\"}");
        assertThat(read.get()).containsExactly(1, 2, 3);
    }

    /** The factory the discovery test registers. */
    public static final class DiscoveredStores implements ArtifactStoreFactory {
        @Override
        public ArtifactStore open(dev.pipelineworker.ArtifactAccess access) {
            return new InMemoryArtifactStore(Map.of("discovered", new byte[] {1, 2, 3}), List.of());
        }
    }
}

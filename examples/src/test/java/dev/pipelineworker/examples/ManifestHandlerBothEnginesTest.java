package dev.pipelineworker.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.lambda.testing.LambdaEvent;
import dev.pipelineworker.lambda.testing.LambdaResponse;
import dev.pipelineworker.lambda.testing.LocalLambdaInvoker;
import dev.pipelineworker.testkit.ChainResult;
import dev.pipelineworker.testkit.HandlerTestEnvironment;
import dev.pipelineworker.testkit.JobResult;
import dev.pipelineworker.testkit.TestJob;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One handler class, two engines: each scenario runs {@link ManifestHandler} through the polling
 * engine's harness ({@link HandlerTestEnvironment}) and through the Lambda entry point
 * ({@link LocalLambdaInvoker}, the real {@code handleRequest} on JSON), and both must end the same way:
 * the same kind of outcome, summary, external id, failure type, continuation and output files.
 */
class ManifestHandlerBothEnginesTest {

    private final HandlerTestEnvironment env = HandlerTestEnvironment.create();
    private final ManifestHandler handler = new ManifestHandler(env.clock());
    private final LocalLambdaInvoker lambda = LocalLambdaInvoker.of(handler);

    private static TestJob.Builder job() {
        return TestJob.builder()
                .inputZip("source", Map.of("a.txt", "alpha", "src/b.md", "beta"))
                .inputRevision("source", "commit-1")
                .outputArtifacts("out");
    }

    static Stream<Arguments> scenarios() {
        return Stream.of(
                scenario("one input", job().build()),
                scenario("several inputs", job().inputZip("config", Map.of("c.txt", "gamma")).build()),
                scenario("Include", job().configuration("Include", "src/**").build()),
                scenario("FailWith PermissionError", job().configuration("FailWith", "PermissionError").build()),
                scenario("FailWith RevisionOutOfSync", job().configuration("FailWith", "RevisionOutOfSync").build()),
                scenario("unknown FailWith", job().configuration("FailWith", "PermissionsError").build()),
                scenario("invalid WaitSeconds", job().configuration("WaitSeconds", "soon").build()),
                scenario("WaitSeconds continues", job().configuration("WaitSeconds", "90").build()),
                scenario("input not a zip", job().inputBytes("notes", "plain".getBytes(StandardCharsets.UTF_8)).build()),
                scenario("no output artifact", TestJob.builder().inputZip("source", Map.of("a.txt", "a")).build()));
    }

    private static Arguments scenario(String name, TestJob job) {
        return Arguments.of(Named.of(name, job));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void bothEnginesEndTheSameWay(TestJob job) {
        JobResult polled = env.run(handler, job);
        LambdaResponse invoked = lambda.invoke(job);

        assertSame(polled, invoked);
    }

    @Test
    void aWaitRunsTheSameChainOfJobsUnderBothEngines() {
        TestJob first = job().configuration("WaitSeconds", "60").build();
        HandlerTestEnvironment pollingEnv = HandlerTestEnvironment.create();
        ChainResult polled = pollingEnv.runUntilDone(new ManifestHandler(pollingEnv.clock()), first, 10);
        // The polling chain ran on its own clock; the Lambda chain runs on this test's, moved the same 30 s per job.
        List<LambdaResponse> invoked = new ArrayList<>();
        LambdaEvent event = LambdaEvent.from(first);
        for (int i = 0; i < 10; i++) {
            LambdaResponse response = lambda.invoke(event);
            invoked.add(response);
            if (!response.isContinue()) {
                break;
            }
            env.clock().advance(Duration.ofSeconds(30));
            event = response.nextEvent();
        }

        assertThat(invoked).hasSameSizeAs(polled.jobs()).hasSize(3);
        for (int i = 0; i < invoked.size(); i++) {
            assertSame(polled.jobs().get(i), invoked.get(i));
        }
        assertThat(invoked.get(2).outputTexts("out")).containsKey("manifest.json");
    }

    @Test
    void theDeployableFunctionRunsTheSameHandler() {
        LambdaResponse response = LocalLambdaInvoker.of(new ManifestFunction()).invoke(job().build());

        assertThat(response.isSuccess()).as(response.json()).isTrue();
        assertThat(response.summary()).isEqualTo("2 files, 9 bytes");
        assertThat(response.externalExecutionId()).isEqualTo("manifest-" + TestJob.DEFAULT_PIPELINE.actionExecutionId());
        assertThat(response.outputTexts("out")).containsKeys("a.txt", "src/b.md", "manifest.json");
    }

    private static void assertSame(JobResult polled, LambdaResponse invoked) {
        JobOutcome expected = polled.outcome();
        JobOutcome actual = invoked.toOutcome();
        assertThat(actual.getClass()).as(invoked.json()).isEqualTo(expected.getClass());
        assertThat(actual.summary()).isEqualTo(expected.summary());
        assertThat(actual.externalExecutionId()).isEqualTo(expected.externalExecutionId());
        if (expected instanceof JobOutcome.Fail fail) {
            assertThat(((JobOutcome.Fail) actual).type()).isEqualTo(fail.type());
            assertThat(invoked.failureType()).isEqualTo(fail.type() == FailureType.PERMISSION_ERROR
                    ? "PermissionsError" : fail.type().apiName());
        }
        if (expected instanceof JobOutcome.Continue) {
            assertThat(invoked.continuationToken()).isEqualTo(polled.continuationToken());
        }
        if (expected instanceof JobOutcome.Success success) {
            assertThat(actual).isEqualTo(success);
        }
        assertThat(invoked.outputNames()).isEqualTo(polled.outputNames());
        for (String output : polled.outputNames()) {
            assertThat(invoked.outputTexts(output)).isEqualTo(polled.outputTexts(output));
        }
    }
}

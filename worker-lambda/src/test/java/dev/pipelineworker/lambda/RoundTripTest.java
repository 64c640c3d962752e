package dev.pipelineworker.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.Artifact;
import dev.pipelineworker.ArtifactAccess;
import dev.pipelineworker.ArtifactCredentials;
import dev.pipelineworker.CurrentRevision;
import dev.pipelineworker.EncryptionKey;
import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobContext;
import dev.pipelineworker.JobFailureException;
import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.PipelineContext;
import dev.pipelineworker.S3Location;
import dev.pipelineworker.lambda.testing.FakeLambdaContext;
import dev.pipelineworker.lambda.testing.LambdaEvent;
import dev.pipelineworker.lambda.testing.LambdaResponse;
import dev.pipelineworker.lambda.testing.LocalLambdaInvoker;
import dev.pipelineworker.testkit.HandlerTestEnvironment;
import dev.pipelineworker.testkit.JobResult;
import dev.pipelineworker.testkit.TestJob;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Events in, results out: every outcome through the real entry point, built from the example payloads. */
class RoundTripTest {

    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    private static final LambdaOptions FIXED_CLOCK = LambdaOptions.defaults().withClock(Clock.fixed(NOW, ZoneOffset.UTC));

    private static LambdaResponse invoke(String eventResource, JobContextHandler handler) {
        return LocalLambdaInvoker.of(handler::handle, FIXED_CLOCK).invoke(LambdaEvent.fromJson(Payloads.text(eventResource)));
    }

    /** A handler as a lambda that may throw. */
    @FunctionalInterface
    interface JobContextHandler {
        JobOutcome handle(JobContext context) throws Exception;
    }

    @Test
    void theEventBecomesTheSameJobContextThePollingWorkerBuilds() {
        AtomicReference<JobContext> seen = new AtomicReference<>();
        LambdaResponse response = invoke("events/build-job.json", ctx -> {
            seen.set(ctx);
            return JobOutcome.success();
        });

        assertThat(response.isSuccess()).as(response.json()).isTrue();
        JobContext ctx = seen.get();
        assertThat(ctx.jobId()).isEqualTo("c0d2a1f4-5b6e-4f7a-8b9c-0d1e2f3a4b5c");
        assertThat(ctx.accountId()).contains("123456789012");
        assertThat(ctx.actionTypeId()).isEqualTo(ActionTypeId.thirdParty(ActionCategory.BUILD,
                FakeLambdaContext.DEFAULT_FUNCTION_NAME, "1"));
        assertThat(ctx.pipeline()).isEqualTo(PipelineContext.builder()
                .actionExecutionId("8a5e0b7c-3d2f-4e1a-9b6c-7d8e9f0a1b2c").build());
        assertThat(ctx.configuration().asMap()).containsExactly(Map.entry("ProjectName", "orders-service"),
                Map.entry("Include", "src/**"), Map.entry("ApiToken", "SECRET-CONFIG-VALUE-7f3a"));
        assertThat(ctx.inputArtifacts()).containsExactly(
                Artifact.of("SourceOutput", S3Location.of("codepipeline-us-east-1-123456789012",
                        "orders-pipeline/SourceOutp/Ab3xYz9")).withRevision("5f2b9c1e0d3a7b6c4e8f9a0b1c2d3e4f5a6b7c8d"),
                Artifact.of("ConfigOutput", S3Location.of("codepipeline-us-east-1-123456789012",
                        "orders-pipeline/ConfigOutp/Qw7erT2")));
        assertThat(ctx.outputArtifact("BuildOutput").location().objectKey()).isEqualTo("orders-pipeline/BuildOutpu/Zx8cVb1");
        assertThat(ctx.encryptionKey()).contains(EncryptionKey.kms(
                "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"));
        assertThat(ctx.continuationToken()).isEmpty();
        assertThat(ctx.continuationState(Object.class)).isEmpty();
        // 15 minutes left (the invoker's default context) less the 10 s safety margin, on the options' clock.
        assertThat(ctx.deadline()).isBetween(NOW.plus(Duration.ofMinutes(15)).minusSeconds(12),
                NOW.plus(Duration.ofMinutes(15)).minusSeconds(10));
    }

    @Test
    void theArtifactStoreOpensWithTheEventsCredentialsAndKeyAndCannotRefresh() {
        LambdaResponse response = invoke("events/build-job.json", ctx -> {
            ctx.artifacts();
            return JobOutcome.success();
        });

        ArtifactAccess access = response.artifactAccess().orElseThrow();
        assertThat(access.jobId()).isEqualTo("c0d2a1f4-5b6e-4f7a-8b9c-0d1e2f3a4b5c");
        assertThat(access.credentials()).isEqualTo(ArtifactCredentials.of("ASIAEXAMPLEKEYID7F3A",
                "SECRET-ACCESS-KEY-wJalrXUtnFEMI", "SECRET-SESSION-TOKEN-IQoJb3JpZ2lu"));
        assertThat(access.encryptionKey().id()).isEqualTo(
                "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab");
        assertThat(access.inputArtifacts()).extracting(Artifact::name).containsExactly("SourceOutput", "ConfigOutput");
        assertThat(access.outputArtifacts()).extracting(Artifact::name).containsExactly("BuildOutput");
        assertThatThrownBy(() -> access.refresher().refresh())
                .isInstanceOfSatisfying(JobFailureException.class, e -> assertThat(e.type()).isEqualTo(FailureType.JOB_FAILED))
                .hasMessageContaining("cannot be refreshed under the Lambda integration model");
    }

    @Test
    void aHandlerThatNeverTouchesArtifactsOpensNoStore() {
        assertThat(invoke("events/build-job.json", ctx -> JobOutcome.success()).artifactAccess()).isEmpty();
    }

    @Test
    void theJobWorkerShapeOfActionConfigurationIsAcceptedToo() {
        AtomicReference<Map<String, String>> config = new AtomicReference<>();
        invoke("events/nested-configuration.json", ctx -> {
            config.set(ctx.configuration().asMap());
            return JobOutcome.success();
        });

        assertThat(config.get()).containsExactly(Map.entry("ProjectName", "orders-service"), Map.entry("Retries", "3"));
    }

    @Test
    void aSuccessCarriesStatusAndOutputVariablesAndLeavesOutWhatTheModelCannotHold() {
        LambdaResponse response = invoke("events/build-job.json", ctx -> JobOutcome.success("2 files, 9 bytes")
                .withExternalExecutionId("build-4711")
                .withPercentComplete(100)
                .withCurrentRevision(CurrentRevision.of("r1", "c1"))
                .withOutputVariables(Map.of("ImageTag", "orders:1.4.2", "Digest", "sha256-9f86d081")));

        assertThat(response.tree()).isEqualTo(Payloads.tree("results/success.json"));
    }

    @Test
    void aBareSuccessIsJustTheResult() {
        assertThat(invoke("events/build-job.json", ctx -> JobOutcome.success()).json()).isEqualTo("{\"result\":\"success\"}");
    }

    @Test
    void blankTextsAreLeftOutRatherThanSentEmpty() {
        LambdaResponse response = invoke("events/build-job.json", ctx -> JobOutcome.success(" ").withExternalExecutionId(""));

        assertThat(response.json()).isEqualTo("{\"result\":\"success\"}");
    }

    @Test
    void aContinuationCarriesTheTokenAsStateAndNoOutputVariables() {
        LambdaResponse response = invoke("events/continued-job.json", ctx -> JobOutcome.continueWith(
                ctx.continuationToken().orElseThrow()).withSummary("waiting for build 4711")
                .withExternalExecutionId("build-4711"));

        assertThat(response.tree()).isEqualTo(Payloads.tree("results/continue.json"));
    }

    @Test
    void aFailureSpellsPermissionsErrorTheLambdaWay() {
        LambdaResponse response = invoke("events/build-job.json", ctx -> {
            throw new JobFailureException(FailureType.PERMISSION_ERROR, "the role cannot read the orders-service repository");
        });

        ObjectNode expected = (ObjectNode) Payloads.tree("results/fail-permissions.json");
        ((ObjectNode) expected.get("status")).remove("externalExecutionId");
        assertThat(response.tree()).isEqualTo(expected);
    }

    @Test
    void aFailOutcomeKeepsItsExternalExecutionId() {
        LambdaResponse response = invoke("events/build-job.json", ctx -> JobOutcome.fail(FailureType.PERMISSION_ERROR,
                "the role cannot read the orders-service repository").withExternalExecutionId("build-4711"));

        assertThat(response.tree()).isEqualTo(Payloads.tree("results/fail-permissions.json"));
    }

    @ParameterizedTest
    @EnumSource(FailureType.class)
    void everyFailureTypeIsSpelledAsTheLambdaModelSpellsIt(FailureType type) {
        LambdaResponse response = invoke("events/build-job.json", ctx -> JobOutcome.fail(type, "no"));

        String expected = switch (type) {
            case JOB_FAILED -> "JobFailed";
            case CONFIGURATION_ERROR -> "ConfigurationError";
            case PERMISSION_ERROR -> "PermissionsError";
            case REVISION_OUT_OF_SYNC -> "RevisionOutOfSync";
            case REVISION_UNAVAILABLE -> "RevisionUnavailable";
            case SYSTEM_UNAVAILABLE -> "SystemUnavailable";
        };
        assertThat(response.json()).isEqualTo("{\"result\":\"fail\",\"failureType\":\"" + expected
                + "\",\"status\":{\"summary\":\"no\"}}");
        assertThat(response.toOutcome()).isEqualTo(JobOutcome.fail(type, "no"));
    }

    record Progress(int step, Instant started) {
    }

    @Test
    void typedStateCarriesAcrossTwoInvocations() {
        List<Progress> seen = new java.util.ArrayList<>();
        LocalLambdaInvoker invoker = LocalLambdaInvoker.of(ctx -> {
            Progress progress = ctx.continuationState(Progress.class).orElse(new Progress(0, NOW));
            seen.add(progress);
            return progress.step() < 1
                    ? JobOutcome.continueWithState(new Progress(progress.step() + 1, progress.started()))
                            .withSummary("step " + progress.step())
                    : JobOutcome.success("done after " + progress.step() + " steps");
        });
        LambdaEvent first = LambdaEvent.fromJson(Payloads.text("events/build-job.json"));

        LambdaResponse firstResponse = invoker.invoke(first);
        String state = firstResponse.continuationToken();
        assertThat(firstResponse.tree().has("outputVariables")).isFalse();
        assertThat(firstResponse.continuationState(Progress.class)).isEqualTo(new Progress(1, NOW));

        // As CodePipeline does: continuation.State goes into the next event's data.continuationToken.
        LambdaEvent second = firstResponse.nextEvent();
        assertThat(Payloads.tree(second.json()).path("data").path("continuationToken").asText()).isEqualTo(state);
        assertThat(second.jobId()).isNotEqualTo(first.jobId());
        LambdaResponse secondResponse = invoker.invoke(second);

        assertThat(secondResponse.isSuccess()).as(secondResponse.json()).isTrue();
        assertThat(secondResponse.summary()).isEqualTo("done after 1 steps");
        assertThat(seen).containsExactly(new Progress(0, NOW), new Progress(1, NOW));
    }

    @Test
    void limitsAndRefusalsAreTheSameAsThePollingWorkers() {
        String longSummary = "s".repeat(3000);
        String longMessage = "m".repeat(6000);
        List<JobContextHandler> handlers = List.of(
                ctx -> JobOutcome.success(longSummary).withExternalExecutionId("e".repeat(2000)),
                ctx -> JobOutcome.fail(FailureType.JOB_FAILED, longMessage),
                ctx -> JobOutcome.continueWith("t".repeat(2049)),
                ctx -> JobOutcome.continueWithState(Map.of("blob", "x".repeat(2100))),
                ctx -> JobOutcome.success().withOutputVariables(Map.of("not a key", "v")),
                ctx -> JobOutcome.success().withCurrentRevision(CurrentRevision.of("", "c")));
        // The polling engine's view of the same outcomes, on a custom action (where output variables are allowed).
        HandlerTestEnvironment env = HandlerTestEnvironment.create();
        TestJob job = TestJob.builder().actionType(ActionTypeId.custom(ActionCategory.BUILD, "Test", "1")).build();

        for (JobContextHandler handler : handlers) {
            JobResult polled = env.run(handler::handle, job);
            LambdaResponse lambda = LocalLambdaInvoker.of(handler::handle).invoke(job);

            // Both show the outcome as reported: truncated texts, refusals turned into failures.
            assertThat(lambda.toOutcome()).as(lambda.json()).isEqualTo(polled.outcome());
        }
        JobOutcome.Success truncated = env.run(handlers.get(0)::handle, job).success();
        assertThat(truncated.summary()).hasSize(2048).endsWith("... [truncated]").startsWith("sss");
        assertThat(truncated.externalExecutionId()).hasSize(1500).endsWith("... [truncated]");
        assertThat(env.run(handlers.get(1)::handle, job).failure().message()).hasSize(5000).endsWith("... [truncated]");
    }

    @Test
    void outputVariablesCanBeRefusedAsOnAThirdPartyJobWorker() {
        JobContextHandler handler = ctx -> JobOutcome.success().withOutputVariables(Map.of("Tag", "v1"));
        TestJob thirdParty = TestJob.builder().build();

        LambdaResponse lambda = LocalLambdaInvoker.of(handler::handle,
                LambdaOptions.defaults().withOutputVariablesAllowed(false)).invoke(thirdParty);
        JobResult polled = HandlerTestEnvironment.create().run(handler::handle, thirdParty);

        assertThat(lambda.toOutcome()).isEqualTo(polled.outcome());
        assertThat(lambda.summary()).contains("output variables are only allowed on custom actions");
        assertThat(LocalLambdaInvoker.of(handler::handle).invoke(thirdParty).outputVariables())
                .containsExactly(Map.entry("Tag", "v1"));
    }

    @Test
    void theActionTypeIsConfigurableOrNamedAfterTheFunction() {
        AtomicReference<ActionTypeId> seen = new AtomicReference<>();
        JobContextHandler handler = ctx -> {
            seen.set(ctx.actionTypeId());
            return JobOutcome.success();
        };
        LambdaEvent event = LambdaEvent.builder().build();

        LocalLambdaInvoker.of(handler::handle).invoke(event,
                FakeLambdaContext.of("orders.build:function-with-a-very-long-name-indeed", Duration.ofMinutes(1)));
        assertThat(seen.get()).isEqualTo(ActionTypeId.thirdParty(ActionCategory.BUILD,
                "orders-build-function-with-a-very-l", "1"));

        ActionTypeId custom = ActionTypeId.custom(ActionCategory.DEPLOY, "Orders", "2");
        LocalLambdaInvoker.of(handler::handle, LambdaOptions.defaults().withActionType(custom)).invoke(event);
        assertThat(seen.get()).isEqualTo(custom);
    }

    @Test
    void outputsWrittenByTheHandlerReachTheStore() {
        LambdaEvent event = LambdaEvent.builder().inputBytes("in", "hello".getBytes(StandardCharsets.UTF_8))
                .outputArtifacts("out").build();

        LambdaResponse response = LocalLambdaInvoker.of(ctx -> {
            byte[] bytes = ctx.artifacts().openInput("in").readAllBytes();
            ctx.artifacts().writeOutput("out", new java.io.ByteArrayInputStream(bytes), bytes.length);
            return JobOutcome.success();
        }).invoke(event);

        assertThat(new String(response.outputBytes("out"), StandardCharsets.UTF_8)).isEqualTo("hello");
    }
}

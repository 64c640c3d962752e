package dev.pipelineworker.lambda.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipelineworker.EncryptionKey;
import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.testkit.TestJob;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LambdaEventTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode resource(String name) throws IOException {
        try (InputStream in = LambdaEventTest.class.getResourceAsStream("/" + name)) {
            return JSON.readTree(in);
        }
    }

    @Test
    void theBuilderWritesTheEventCodePipelineSends() throws IOException {
        LambdaEvent event = LambdaEvent.builder()
                .configuration("Include", "src/**")
                .encryptionKey(EncryptionKey.kms("alias/pipeline"))
                .inputZip("source", Map.of("a.txt", "alpha"))
                .inputRevision("source", "commit-1")
                .outputArtifacts("out")
                .build();

        assertThat(JSON.readTree(event.json())).isEqualTo(resource("events/built-by-builder.json"));
        assertThat(event.outputArtifactNames()).containsExactly("out");
        assertThat(event.inputContents()).containsOnlyKeys("source");
    }

    @Test
    void aTestJobBecomesTheSameEvent() throws IOException {
        TestJob job = TestJob.builder()
                .configuration("Include", "src/**")
                .encryptionKey(EncryptionKey.kms("alias/pipeline"))
                .inputZip("source", Map.of("a.txt", "alpha"))
                .inputRevision("source", "commit-1")
                .outputArtifacts("out")
                .build();

        LambdaEvent event = LambdaEvent.from(job);

        assertThat(JSON.readTree(event.json())).isEqualTo(resource("events/built-by-builder.json"));
        assertThat(event.inputContents().get("source")).isNotEmpty();
    }

    @Test
    void aTestJobsContinuationTokenAndAccountCarryOver() throws IOException {
        TestJob job = TestJob.builder().accountId(null).continuationState(Map.of("step", 2)).build();

        JsonNode event = JSON.readTree(LambdaEvent.from(job).json());

        assertThat(event.has("accountId")).isFalse();
        assertThat(event.path("data").path("continuationToken").asText()).isEqualTo("{\"pw\":1,\"state\":{\"step\":2}}");
    }

    @Test
    void theFakeContextCountsDownAndKeepsLogLines() throws InterruptedException {
        FakeLambdaContext context = FakeLambdaContext.withRemainingTime(Duration.ofSeconds(10));
        Thread.sleep(20);

        assertThat(context.getRemainingTimeInMillis()).isBetween(1, 9_980);
        context.setRemainingTime(Duration.ZERO);
        assertThat(context.getRemainingTimeInMillis()).isZero();
        context.getLogger().log("one\n");
        context.getLogger().log("two".getBytes(StandardCharsets.UTF_8));
        assertThat(context.logLines()).containsExactly("one", "two");
    }

    @Test
    void theInvokerReadsZippedOutputs() {
        LambdaResponse response = LocalLambdaInvoker.of(ctx -> {
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("lambda-event-test");
            java.nio.file.Files.writeString(dir.resolve("x.txt"), "ex");
            ctx.artifacts().writeOutputZip("out", dir);
            return JobOutcome.success("zipped");
        }).invoke(LambdaEvent.builder().outputArtifacts("out").build());

        assertThat(response.outputTexts("out")).containsExactly(Map.entry("x.txt", "ex"));
        assertThat(response.outputNames()).containsExactly("out");
    }

    @Test
    void anInputTheEventDeclaresWithoutBytesIsMissingAndAnUndeclaredOneIsAConfigurationError() throws IOException {
        LambdaEvent declaresTwoInputs = LambdaEvent.fromJson(resource("events/build-job.json").toString());
        LocalLambdaInvoker invoker = LocalLambdaInvoker.of(ctx -> {
            ctx.artifacts().openInput(ctx.configuration().requireString("Read")).close();
            return JobOutcome.success();
        });

        assertThat(invoker.invoke(withReadConfiguration(declaresTwoInputs, "ConfigOutput")).failureType())
                .isEqualTo("RevisionUnavailable");
        assertThat(invoker.invoke(withReadConfiguration(declaresTwoInputs, "Elsewhere")).failureType())
                .isEqualTo("ConfigurationError");
        assertThat(invoker.invoke(withReadConfiguration(declaresTwoInputs, "SourceOutput")).isSuccess()).isTrue();
    }

    private static LambdaEvent withReadConfiguration(LambdaEvent event, String artifactName) throws IOException {
        ObjectNode root = (ObjectNode) JSON.readTree(event.json());
        ((ObjectNode) root.path("data")).putObject("actionConfiguration").put("Read", artifactName);
        return LambdaEvent.fromJson(root.toString()).withInput("SourceOutput", new byte[] {1});
    }
}

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

    @Test
    void everyBuilderMemberReachesTheEvent() throws IOException {
        JsonNode event = JSON.readTree(LambdaEvent.builder()
                .jobId("job-9")
                .accountId("444455556666")
                .configuration(Map.of("A", "1"))
                .actionExecutionId("exec-9")
                .continuationToken("token-9")
                .credentials(null)
                .build().json());

        assertThat(event.path("jobId").asText()).isEqualTo("job-9");
        assertThat(event.path("accountId").asText()).isEqualTo("444455556666");
        assertThat(event.path("data").path("actionConfiguration")).isEqualTo(JSON.readTree("{\"A\":\"1\"}"));
        assertThat(event.path("data").path("actionExecutionId").asText()).isEqualTo("exec-9");
        assertThat(event.path("data").path("continuationToken").asText()).isEqualTo("token-9");
        assertThat(event.path("data").has("actionCredentials")).isFalse();
        assertThat(JSON.readTree(LambdaEvent.builder().continuationState(Map.of("step", 3)).jobId("job-10").build().json())
                .path("data").path("continuationToken").asText()).isEqualTo("{\"pw\":1,\"state\":{\"step\":3}}");
    }

    @Test
    void rawEventsAreReadLeniently() {
        assertThat(LambdaEvent.fromJson("not json").jobId()).isNull();
        assertThat(LambdaEvent.fromJson("{\"jobId\": 7}").jobId()).isNull();
        assertThat(LambdaEvent.fromJson("{\"jobId\": \"j\"}").jobId()).isEqualTo("j");
        assertThat(LambdaEvent.fromJson("not json").outputArtifactNames()).isEmpty();
        assertThat(LambdaEvent.fromJson("{\"data\": {\"outputArtifacts\": [{\"name\": 1}, {\"name\": \"out\"}]}}")
                .outputArtifactNames()).containsExactly("out");
    }

    @Test
    void theNextEventCarriesTheStateUnderADerivedJobId() throws IOException {
        LambdaEvent first = LambdaEvent.fromJson("{\"jobId\": \"j-1\"}");

        JsonNode next = JSON.readTree(first.next("state-1").json());

        assertThat(next.path("jobId").asText()).isNotEqualTo("j-1")
                .isEqualTo(JSON.readTree(first.next("other").json()).path("jobId").asText());
        assertThat(next.path("data").path("continuationToken").asText()).isEqualTo("state-1");
        JsonNode keptData = JSON.readTree(LambdaEvent.fromJson("{\"jobId\": \"j-1\", \"data\": {\"actionExecutionId\": \"e\"}}")
                .next("state-2").json()).path("data");
        assertThat(keptData).isEqualTo(JSON.readTree("{\"actionExecutionId\": \"e\", \"continuationToken\": \"state-2\"}"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LambdaEvent.fromJson("[]").next("s"))
                .isInstanceOf(IllegalStateException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LambdaEvent.fromJson("oops").next("s"))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theFakeContextDescribesItsFunction() {
        FakeLambdaContext context = FakeLambdaContext.of("orders-fn", Duration.ofMinutes(1));

        assertThat(context.getFunctionName()).isEqualTo("orders-fn");
        assertThat(context.getLogGroupName()).isEqualTo("/aws/lambda/orders-fn");
        assertThat(context.getInvokedFunctionArn()).isEqualTo("arn:aws:lambda:us-east-1:111111111111:function:orders-fn");
        assertThat(context.getFunctionVersion()).isEqualTo("$LATEST");
        assertThat(context.getLogStreamName()).isEqualTo("local");
        assertThat(context.getAwsRequestId()).isNotBlank();
        assertThat(context.getMemoryLimitInMB()).isEqualTo(512);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> context.setRemainingTime(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static LambdaEvent withReadConfiguration(LambdaEvent event, String artifactName) throws IOException {
        ObjectNode root = (ObjectNode) JSON.readTree(event.json());
        ((ObjectNode) root.path("data")).putObject("actionConfiguration").put("Read", artifactName);
        return LambdaEvent.fromJson(root.toString()).withInput("SourceOutput", new byte[] {1});
    }
}

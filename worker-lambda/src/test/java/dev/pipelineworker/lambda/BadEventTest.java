package dev.pipelineworker.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.lambda.testing.FakeLambdaContext;
import dev.pipelineworker.lambda.testing.LambdaEvent;
import dev.pipelineworker.lambda.testing.LambdaResponse;
import dev.pipelineworker.lambda.testing.LocalLambdaInvoker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Events that are not what CodePipeline sends get a fail result naming the field; the handler never runs. */
class BadEventTest {

    private final AtomicInteger runs = new AtomicInteger();
    private final FakeLambdaContext context = FakeLambdaContext.withRemainingTime(Duration.ofMinutes(5));
    private final LocalLambdaInvoker invoker = LocalLambdaInvoker.of(ctx -> {
        runs.incrementAndGet();
        return JobOutcome.success();
    });

    private LambdaResponse invokeRaw(String json) {
        return invoker.invoke(LambdaEvent.fromJson(json), context);
    }

    /** The example build event changed by {@code change}. */
    private LambdaResponse invokeChanged(Consumer<ObjectNode> change) {
        ObjectNode event = (ObjectNode) Payloads.tree("events/build-job.json");
        change.accept(event);
        return invokeRaw(event.toString());
    }

    private static ObjectNode data(ObjectNode event) {
        return (ObjectNode) event.get("data");
    }

    private void assertMalformed(LambdaResponse response, String expectedMessage) {
        assertThat(response.isFailure()).as(response.json()).isTrue();
        assertThat(response.failureType()).isEqualTo("JobFailed");
        assertThat(response.summary()).isEqualTo("malformed Lambda event: " + expectedMessage);
        assertThat(runs).hasValue(0);
        assertThat(response.json()).doesNotContain("SECRET");
    }

    @Test
    void malformedJsonIsAFailureSayingWhereWithoutQuotingTheEvent() {
        LambdaResponse response = invokeRaw("{\"jobId\": \"j-1\", \"data\": {\"actionCredentials\": "
                + "{\"secretAccessKey\": \"SECRET-ACCESS-KEY\" oops}}}");

        assertThat(response.summary()).startsWith("malformed Lambda event: the event is not valid JSON (at line 1, column ");
        assertMalformed(response, response.summary().substring("malformed Lambda event: ".length()));
        assertThat(context.logLines()).noneMatch(line -> line.contains("SECRET"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "null", "[]", "\"job\"", "42"})
    void anEventThatIsNotAnObjectIsAFailure(String json) {
        LambdaResponse response = invokeRaw(json);

        assertThat(response.summary()).startsWith("malformed Lambda event: the event must be a JSON object, got ");
        assertThat(runs).hasValue(0);
    }

    @Test
    void aMissingJobIdIsNamed() {
        assertMalformed(invokeChanged(event -> event.remove("jobId")), "jobId is missing");
    }

    @Test
    void aJobIdThatIsNotAStringIsNamed() {
        assertMalformed(invokeChanged(event -> event.put("jobId", 12)), "jobId must be a string");
    }

    @Test
    void missingDataIsNamed() {
        LambdaResponse response = invokeChanged(event -> event.remove("data"));

        assertMalformed(response, "data is missing");
        assertThat(context.logLines()).contains("job c0d2a1f4-5b6e-4f7a-8b9c-0d1e2f3a4b5c: malformed Lambda event: data is missing");
    }

    @Test
    void anUnknownEncryptionKeyTypeIsNamed() {
        assertMalformed(invokeChanged(event -> ((ObjectNode) data(event).get("encryptionKey")).put("type", "AES256")),
                "data.encryptionKey.type is not KMS, the only type supported");
    }

    @Test
    void anEncryptionKeyWithoutIdIsNamed() {
        assertMalformed(invokeChanged(event -> ((ObjectNode) data(event).get("encryptionKey")).remove("id")),
                "data.encryptionKey.id is missing");
    }

    @Test
    void anOversizedContinuationTokenIsNamedAndTheHandlerDoesNotRun() {
        assertMalformed(invokeChanged(event -> data(event).put("continuationToken", "t".repeat(2049))),
                "data.continuationToken is 2049 characters; CodePipeline carries at most 2048");
    }

    @Test
    void aContinuationTokenOfTheMaximumLengthIsFine() {
        LambdaResponse response = invokeChanged(event -> data(event).put("continuationToken", "t".repeat(2048)));

        assertThat(response.isSuccess()).as(response.json()).isTrue();
    }

    @Test
    void anArtifactWithoutLocationIsNamed() {
        assertMalformed(invokeChanged(event -> ((ObjectNode) data(event).withArray("inputArtifacts").get(1)).remove("location")),
                "data.inputArtifacts[1].location.s3Location.bucketName is missing");
    }

    @Test
    void anArtifactOutsideS3IsNamed() {
        assertMalformed(invokeChanged(event -> ((ObjectNode) data(event).withArray("outputArtifacts").get(0).get("location"))
                .put("type", "CodeCommit")),
                "data.outputArtifacts[0].location.type is not S3, the only type supported");
    }

    @Test
    void artifactsThatAreNotAnArrayAreNamed() {
        assertMalformed(invokeChanged(event -> data(event).put("inputArtifacts", "SourceOutput")),
                "data.inputArtifacts must be an array");
    }

    @Test
    void aNonStringConfigurationValueNamesTheKeyButNeverTheValue() {
        LambdaResponse response = invokeChanged(event -> ((ObjectNode) data(event).get("actionConfiguration"))
                .putObject("ApiToken").put("nested", "SECRET-NESTED"));

        assertMalformed(response, "data.actionConfiguration value of key 'ApiToken' must be a string");
    }

    @Test
    void incompleteCredentialsAreNamedWithoutTheirValues() {
        assertMalformed(invokeChanged(event -> ((ObjectNode) data(event).get("actionCredentials")).remove("accessKeyId")),
                "data.actionCredentials.accessKeyId is missing");
    }

    @Test
    void unknownMembersAndOptionalOnesMissingAreFine() {
        LambdaResponse response = invokeRaw("""
                {"jobId": "j-1", "newTopLevel": [1, 2], "data": {"whatever": {"a": 1}}}""");

        assertThat(response.isSuccess()).as(response.json()).isTrue();
        assertThat(runs).hasValue(1);
    }

    @Test
    void anEmptyInputArtifactListIsFine() {
        LambdaResponse response = invokeChanged(event -> data(event).set("inputArtifacts", new ArrayNode(null)));

        assertThat(response.isSuccess()).as(response.json()).isTrue();
    }
}

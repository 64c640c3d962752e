package dev.pipelineworker.lambda.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.Artifact;
import dev.pipelineworker.ArtifactCredentials;
import dev.pipelineworker.EncryptionKey;
import dev.pipelineworker.S3Location;
import dev.pipelineworker.internal.JobData;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.regions.Region;

/**
 * The reader on its own, member by member: what an absent, null or empty member reads as, and the message that
 * names each member at fault (the end-to-end cases are in {@code BadEventTest}).
 */
class LambdaEventReaderTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ActionTypeId TYPE = ActionTypeId.thirdParty(ActionCategory.BUILD, "Reader", "1");

    private final LambdaEventReader reader = new LambdaEventReader(JSON);

    /** A complete event: one input with a revision, one output, a KMS key and credentials. */
    private static ObjectNode event() {
        ObjectNode event = JSON.createObjectNode().put("jobId", "job-1").put("accountId", "111122223333");
        ObjectNode data = event.putObject("data").put("actionExecutionId", "exec-1");
        data.putObject("actionConfiguration").put("Project", "orders");
        artifact(data.putArray("inputArtifacts").addObject(), "Source", "in-key").put("revision", "rev-1");
        artifact(data.putArray("outputArtifacts").addObject(), "Build", "out-key");
        data.putObject("encryptionKey").put("id", "alias/pipeline").put("type", "KMS");
        data.putObject("actionCredentials").put("accessKeyId", "AKID").put("secretAccessKey", "secret")
                .put("sessionToken", "token");
        return event;
    }

    private static ObjectNode artifact(ObjectNode artifact, String name, String key) {
        artifact.put("name", name).putObject("location").put("type", "S3").putObject("s3Location")
                .put("bucketName", "bucket").put("objectKey", key);
        return artifact;
    }

    private static ObjectNode data(ObjectNode event) {
        return (ObjectNode) event.get("data");
    }

    private JobData read(String json) {
        return reader.read(json.getBytes(StandardCharsets.UTF_8), TYPE, Region.EU_WEST_1);
    }

    private JobData read(Consumer<ObjectNode> change) {
        ObjectNode event = event();
        change.accept(event);
        return read(event.toString());
    }

    private String refusal(Consumer<ObjectNode> change) {
        ObjectNode event = event();
        change.accept(event);
        return refusal(event.toString());
    }

    private String refusal(String json) {
        LambdaEventReader.MalformedEventException refused = catchThrowableOfType(
                LambdaEventReader.MalformedEventException.class, () -> read(json));
        assertThat(refused).as("refused: %s", json).isNotNull();
        return refused.getMessage().substring("malformed Lambda event: ".length());
    }

    @Test
    void aCompleteEventIsReadMemberByMember() {
        JobData job = read(event -> { });

        assertThat(job.jobId()).isEqualTo("job-1");
        assertThat(job.accountId()).isEqualTo("111122223333");
        assertThat(job.actionTypeId()).isEqualTo(TYPE);
        assertThat(job.region()).isEqualTo(Region.EU_WEST_1);
        assertThat(job.pipeline().actionExecutionId()).isEqualTo("exec-1");
        assertThat(job.configuration().asMap()).containsExactly(Map.entry("Project", "orders"));
        assertThat(job.inputArtifacts()).containsExactly(
                Artifact.of("Source", S3Location.of("bucket", "in-key")).withRevision("rev-1"));
        assertThat(job.outputArtifacts()).containsExactly(Artifact.of("Build", S3Location.of("bucket", "out-key")));
        assertThat(job.encryptionKey()).isEqualTo(EncryptionKey.kms("alias/pipeline"));
        assertThat(job.credentials()).isEqualTo(ArtifactCredentials.of("AKID", "secret", "token"));
        assertThat(job.continuationToken()).isNull();
    }

    @Test
    void nullMembersReadAsAbsent() {
        JobData job = read(event -> data(event).putNull("actionConfiguration").putNull("inputArtifacts")
                .putNull("outputArtifacts").putNull("encryptionKey").putNull("actionCredentials")
                .putNull("actionExecutionId").putNull("continuationToken"));

        assertThat(job.configuration().asMap()).isEmpty();
        assertThat(job.inputArtifacts()).isEmpty();
        assertThat(job.outputArtifacts()).isEmpty();
        assertThat(job.encryptionKey()).isNull();
        assertThat(job.credentials()).isNull();
        assertThat(job.pipeline().actionExecutionId()).isNull();
        assertThat(job.continuationToken()).isNull();
    }

    @Test
    void absentMembersReadAsAbsent() {
        JobData job = read("{\"jobId\": \"job-1\", \"data\": {}}");

        assertThat(job.accountId()).isNull();
        assertThat(job.configuration()).isNotNull();
        assertThat(job.configuration().asMap()).isEmpty();
        assertThat(job.inputArtifacts()).isEmpty();
        assertThat(job.encryptionKey()).isNull();
        assertThat(job.credentials()).isNull();
    }

    @Test
    void emptyStringsReadAsAbsent() {
        JobData job = read(event -> {
            event.put("accountId", "");
            data(event).put("continuationToken", "");
            ((ObjectNode) data(event).withArray("inputArtifacts").get(0)).put("revision", "");
            ((ObjectNode) data(event).get("actionCredentials")).put("sessionToken", "");
        });

        assertThat(job.accountId()).isNull();
        assertThat(job.continuationToken()).isNull();
        assertThat(job.inputArtifacts().get(0).revision()).isNull();
        assertThat(job.credentials().sessionToken()).isNull();
        assertThat(refusal(event -> event.put("jobId", ""))).isEqualTo("jobId is missing");
    }

    @Test
    void aNullConfigurationValueIsLeftOutAndOtherScalarsAreReadAsText() {
        JobData job = read(event -> ((ObjectNode) data(event).get("actionConfiguration"))
                .putNull("Unset").put("Retries", 3).put("Verbose", true));

        assertThat(job.configuration().asMap()).containsExactly(Map.entry("Project", "orders"),
                Map.entry("Retries", "3"), Map.entry("Verbose", "true"));
    }

    @Test
    void theJobWorkerApisNestedConfigurationIsReadToo() {
        JobData nested = read(event -> data(event).putObject("actionConfiguration").putObject("configuration")
                .put("Project", "nested"));
        JobData nestedNull = read(event -> data(event).putObject("actionConfiguration").putNull("configuration"));
        JobData keyNamedConfiguration = read(event -> data(event).putObject("actionConfiguration")
                .put("configuration", "a plain value"));

        assertThat(nested.configuration().asMap()).containsExactly(Map.entry("Project", "nested"));
        assertThat(nestedNull.configuration().asMap()).isEmpty();
        assertThat(keyNamedConfiguration.configuration().asMap())
                .containsExactly(Map.entry("configuration", "a plain value"));
        assertThat(refusal(event -> data(event).putObject("actionConfiguration").putObject("configuration")
                .putArray("Key"))).isEqualTo("data.actionConfiguration.configuration value of key 'Key' must be a string");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''        | nothing",
        "'   '     | nothing",
        "null      | null",
        "[]        | array",
        "'\"job\"' | string",
        "42        | number",
        "true      | boolean"})
    void anEventThatIsNotAnObjectIsRefusedSayingWhatItIs(String json, String kind) {
        assertThat(refusal(json)).isEqualTo("the event must be a JSON object, got " + kind);
    }

    @Test
    void invalidJsonIsRefusedWithItsPosition() {
        assertThat(refusal("{\n  \"jobId\": oops}")).matches("the event is not valid JSON \\(at line 2, column 1[2-7]\\)");
    }

    @Test
    void theJobIdIsAtMost512Characters() {
        assertThat(read(event -> event.put("jobId", "j".repeat(512))).jobId()).hasSize(512);
        assertThat(refusal(event -> event.put("jobId", "j".repeat(513)))).isEqualTo("jobId is 513 characters; at most 512");
    }

    @Test
    void refusalsAfterTheJobIdCarryIt() {
        ObjectNode event = event();
        event.putNull("data");
        LambdaEventReader.MalformedEventException refused = catchThrowableOfType(
                LambdaEventReader.MalformedEventException.class, () -> read(event.toString()));

        assertThat(refused.jobId()).isEqualTo("job-1");
        assertThat(catchThrowableOfType(LambdaEventReader.MalformedEventException.class,
                () -> read("{\"data\": {}}")).jobId()).isNull();
    }

    @Test
    void eachMemberOfTheWrongKindIsNamed() {
        assertThat(refusal(event -> event.putNull("data"))).isEqualTo("data is missing");
        assertThat(refusal(event -> event.put("data", "text"))).isEqualTo("data must be an object");
        assertThat(refusal(event -> event.put("accountId", 1))).isEqualTo("accountId must be a string");
        assertThat(refusal(event -> data(event).put("actionExecutionId", 1)))
                .isEqualTo("data.actionExecutionId must be a string");
        assertThat(refusal(event -> data(event).put("actionConfiguration", "text")))
                .isEqualTo("data.actionConfiguration must be an object");
        assertThat(refusal(event -> data(event).putArray("outputArtifacts").add("Build")))
                .isEqualTo("data.outputArtifacts[0] must be an object");
        assertThat(refusal(event -> data(event).put("encryptionKey", "alias/pipeline")))
                .isEqualTo("data.encryptionKey must be an object");
        assertThat(refusal(event -> data(event).put("actionCredentials", "AKID")))
                .isEqualTo("data.actionCredentials must be an object");
        assertThat(refusal(event -> ((ObjectNode) data(event).withArray("inputArtifacts").get(0)).put("revision", 7)))
                .isEqualTo("data.inputArtifacts[0].revision must be a string");
    }

    @Test
    void anArtifactNeedsANameABucketAndAKey() {
        assertThat(refusal(event -> ((ObjectNode) data(event).withArray("inputArtifacts").get(0)).remove("name")))
                .isEqualTo("data.inputArtifacts[0].name is missing");
        assertThat(refusal(event -> s3Location(event).remove("bucketName")))
                .isEqualTo("data.inputArtifacts[0].location.s3Location.bucketName is missing");
        assertThat(refusal(event -> s3Location(event).remove("objectKey")))
                .isEqualTo("data.inputArtifacts[0].location.s3Location.objectKey is missing");
    }

    @Test
    void anArtifactWithoutALocationTypeIsTakenAsS3() {
        JobData job = read(event -> ((ObjectNode) data(event).withArray("inputArtifacts").get(0).get("location"))
                .remove("type"));

        assertThat(job.inputArtifacts().get(0).location()).isEqualTo(S3Location.of("bucket", "in-key"));
    }

    private static ObjectNode s3Location(ObjectNode event) {
        return (ObjectNode) data(event).withArray("inputArtifacts").get(0).get("location").get("s3Location");
    }

    @Test
    void aKeyWithoutATypeIsKmsAndItsIdIsAtMost400Characters() {
        assertThat(read(event -> ((ObjectNode) data(event).get("encryptionKey")).remove("type")).encryptionKey())
                .isEqualTo(EncryptionKey.kms("alias/pipeline"));
        assertThat(read(event -> ((ObjectNode) data(event).get("encryptionKey")).put("id", "k".repeat(400)))
                .encryptionKey().id()).hasSize(400);
        assertThat(refusal(event -> ((ObjectNode) data(event).get("encryptionKey")).put("id", "k".repeat(401))))
                .isEqualTo("data.encryptionKey.id is 401 characters; at most 400");
    }

    @Test
    void credentialsNeedBothKeysButNoSessionToken() {
        assertThat(refusal(event -> ((ObjectNode) data(event).get("actionCredentials")).remove("secretAccessKey")))
                .isEqualTo("data.actionCredentials.secretAccessKey is missing");
        assertThat(read(event -> ((ObjectNode) data(event).get("actionCredentials")).remove("sessionToken"))
                .credentials()).isEqualTo(ArtifactCredentials.of("AKID", "secret", null));
    }
}

package dev.pipelineworker.testkit.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.Artifact;
import dev.pipelineworker.S3Location;
import dev.pipelineworker.testkit.LocalCodePipeline;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The job operations' rules that differ between the third-party and the custom calls (job id shapes, output
 * variables), the output variables' byte limit, and the shape of the job data on the wire: a member with no value
 * is left out, never sent as a JSON null, as the service does.
 */
class JobOperationsLimitsTest {

    private static final String CLIENT_ID = "5d3c2b1a-0f9e-4d8c-8b7a-6f5e4d3c2b1a";
    private static final String CLIENT_TOKEN = "limits-client-token";
    private static final ActionTypeId THIRD_PARTY = ActionTypeId.thirdParty(ActionCategory.BUILD, "Limits", "1");
    private static final ActionTypeId CUSTOM = ActionTypeId.custom(ActionCategory.BUILD, "Limits", "1");
    private static final String NOT_A_UUID = "third-party-job-7";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static LocalCodePipeline cp;

    @BeforeAll
    static void start() {
        cp = LocalCodePipeline.builder().client(CLIENT_ID, CLIENT_TOKEN).random(new Random(11)).start();
    }

    @AfterAll
    static void stop() {
        cp.close();
    }

    @BeforeEach
    void reset() {
        cp.reset();
        cp.registerActionType(THIRD_PARTY);
        cp.registerActionType(CUSTOM);
    }

    private static JsonNode call(String operation, String body) throws IOException, InterruptedException {
        return JSON.readTree(RawRequests.call(cp.endpoint(), operation, body).body());
    }

    private static String type(JsonNode answer) {
        return answer.path("__type").asText("");
    }

    private static String typeJson(ActionTypeId type) {
        return "{\"category\":\"" + type.category().apiName() + "\",\"owner\":\"" + type.owner().apiName()
                + "\",\"provider\":\"" + type.provider() + "\",\"version\":\"" + type.version() + "\"}";
    }

    /** Polls and acknowledges the one custom job; its id. */
    private static String claimCustom() throws Exception {
        JsonNode job = call("PollForJobs", "{\"actionTypeId\":" + typeJson(CUSTOM) + "}").path("jobs").path(0);
        call("AcknowledgeJob", "{\"jobId\":\"" + job.path("id").asText() + "\",\"nonce\":\""
                + job.path("nonce").asText() + "\"}");
        return job.path("id").asText();
    }

    /** Polls, reads and acknowledges the one third-party job; its id. */
    private static String claimThirdParty() throws Exception {
        String jobId = call("PollForThirdPartyJobs", "{\"actionTypeId\":" + typeJson(THIRD_PARTY) + "}")
                .path("jobs").path(0).path("jobId").asText();
        String nonce = call("GetThirdPartyJobDetails", "{\"jobId\":\"" + jobId + "\",\"clientToken\":\""
                + CLIENT_TOKEN + "\"}").path("jobDetails").path("nonce").asText();
        call("AcknowledgeThirdPartyJob", "{\"jobId\":\"" + jobId + "\",\"nonce\":\"" + nonce + "\",\"clientToken\":\""
                + CLIENT_TOKEN + "\"}");
        return jobId;
    }

    @Test
    void aThirdPartyJobIdIsAnyStringButACustomOneIsAUuid() throws Exception {
        String token = ",\"clientToken\":\"" + CLIENT_TOKEN + "\"";
        String failure = ",\"failureDetails\":{\"type\":\"JobFailed\",\"message\":\"m\"}";

        for (String operation : List.of("AcknowledgeThirdPartyJob", "PutThirdPartyJobSuccessResult",
                "PutThirdPartyJobFailureResult")) {
            assertThat(type(call(operation, "{\"jobId\":\"" + NOT_A_UUID + "\",\"nonce\":\"n\"" + token + failure
                    + "}"))).as(operation).isEqualTo("JobNotFoundException");
        }
        for (String operation : List.of("AcknowledgeJob", "PutJobSuccessResult", "PutJobFailureResult")) {
            assertThat(call(operation, "{\"jobId\":\"" + NOT_A_UUID + "\",\"nonce\":\"n\"" + failure + "}")
                    .path("message").asText()).as(operation).isEqualTo("1 validation error detected: Value '"
                    + NOT_A_UUID + "' at 'jobId' failed to satisfy constraint: Member must satisfy regular expression"
                    + " pattern: [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        }
    }

    @Test
    void aThirdPartyPollIsValidatedBeforeItIsServed() throws Exception {
        JsonNode answer = call("PollForThirdPartyJobs", "{\"actionTypeId\":" + typeJson(THIRD_PARTY)
                + ",\"maxBatchSize\":0}");

        assertThat(type(answer)).isEqualTo("ValidationException");
        assertThat(answer.path("message").asText()).contains("at 'maxBatchSize'");
    }

    @Test
    void outputVariablesMayTakeExactly122880BytesOfUtf8() throws Exception {
        String jobId = newClaimedCustomJob();
        // 1 byte of key and 122,879 of value, 61,439 characters of two bytes and one of one
        String atTheLimit = "é".repeat(61_439) + "x";
        JsonNode accepted = call("PutJobSuccessResult", "{\"jobId\":\"" + jobId + "\",\"outputVariables\":{\"k\":\""
                + atTheLimit + "\"}}");
        assertThat(accepted).isEqualTo(JSON.createObjectNode());

        String other = newClaimedCustomJob();
        JsonNode refused = call("PutJobSuccessResult", "{\"jobId\":\"" + other + "\",\"outputVariables\":{\"k\":\""
                + atTheLimit + "\",\"kk\":\"\"}}");
        assertThat(type(refused)).as("the key's two bytes count too").isEqualTo("OutputVariablesSizeExceededException");
        assertThat(refused.path("message").asText()).isEqualTo("The output variables exceed the limit of 122880 bytes");
        assertThat(cp.job(other).orElseThrow().state()).isEqualTo(JobState.InProgress);
    }

    private static String newClaimedCustomJob() throws Exception {
        cp.enqueue(JobSpec.builder(CUSTOM).build());
        return claimCustom();
    }

    @Test
    void aContinuationMayComeWithoutOutputVariablesOrWithNone() throws Exception {
        String first = newClaimedCustomJob();
        assertThat(call("PutJobSuccessResult", "{\"jobId\":\"" + first + "\",\"continuationToken\":\"more\"}"))
                .isEqualTo(JSON.createObjectNode());
        String second = newClaimedCustomJob();
        assertThat(call("PutJobSuccessResult", "{\"jobId\":\"" + second + "\",\"continuationToken\":\"more\","
                + "\"outputVariables\":{}}")).isEqualTo(JSON.createObjectNode());
        String third = newClaimedCustomJob();
        assertThat(call("PutJobSuccessResult", "{\"jobId\":\"" + third + "\",\"outputVariables\":{\"a\":\"b\"}}"))
                .isEqualTo(JSON.createObjectNode());

        assertThat(cp.resultsForJob(first)).singleElement().satisfies(r -> assertThat(r.isFinal()).isFalse());
        assertThat(cp.resultsForJob(third)).singleElement()
                .isInstanceOfSatisfying(RecordedResult.Success.class, success -> {
                    assertThat(success.outputVariables()).containsExactly(Map.entry("a", "b"));
                    assertThat(success.executionDetails()).as("none sent").isNull();
                    assertThat(success.currentRevision()).isNull();
                });
    }

    @Test
    void aThirdPartySuccessHasNoOutputVariablesAndAFailureAnswersAnEmptyObject() throws Exception {
        cp.enqueue(JobSpec.builder(THIRD_PARTY).build());
        String succeeded = claimThirdParty();
        assertThat(call("PutThirdPartyJobSuccessResult", "{\"jobId\":\"" + succeeded + "\",\"clientToken\":\""
                + CLIENT_TOKEN + "\",\"outputVariables\":{\"a\":\"b\"}}")).isEqualTo(JSON.createObjectNode());
        cp.enqueue(JobSpec.builder(THIRD_PARTY).build());
        String failed = claimThirdParty();
        assertThat(call("PutThirdPartyJobFailureResult", "{\"jobId\":\"" + failed + "\",\"clientToken\":\""
                + CLIENT_TOKEN + "\",\"failureDetails\":{\"type\":\"JobFailed\",\"message\":\"no\"}}"))
                .isEqualTo(JSON.createObjectNode());

        assertThat(cp.resultsForJob(succeeded)).singleElement().isInstanceOfSatisfying(RecordedResult.Success.class,
                success -> assertThat(success.outputVariables()).as("the call has no such member").isEmpty());
        assertThat(cp.job(failed).orElseThrow().state()).isEqualTo(JobState.Failed);
    }

    @Test
    void jobDataLeavesOutWhatAJobDoesNotHave() throws Exception {
        JobInfo thirdParty = cp.enqueue(JobSpec.builder(THIRD_PARTY)
                .inputArtifact(Artifact.of("Source", S3Location.of("bucket", "in.zip"))).build());
        JsonNode queued = call("GetThirdPartyJobDetails", "{\"jobId\":\"" + thirdParty.jobId() + "\",\"clientToken\":\""
                + CLIENT_TOKEN + "\"}").path("jobDetails");
        JobInfo custom = cp.enqueue(JobSpec.builder(CUSTOM)
                .inputArtifact(Artifact.of("Source", S3Location.of("bucket", "in.zip"))).build());
        JsonNode customData = call("GetJobDetails", "{\"jobId\":\"" + custom.jobId() + "\"}").path("jobDetails");

        assertThat(queued.has("nonce")).as("not offered yet").isFalse();
        assertThat(nullMembers(queued)).isEmpty();
        assertThat(queued.path("data").path("pipelineContext").has("pipelineArn")).isFalse();
        assertThat(queued.path("data").has("continuationToken")).isFalse();
        assertThat(queued.path("data").path("inputArtifacts").path(0).has("revision")).isFalse();
        assertThat(nullMembers(customData)).isEmpty();
        assertThat(customData.path("accountId").asText()).isEqualTo(custom.spec().accountId());
        assertThat(customData.path("data").path("pipelineContext").path("pipelineExecutionId").asText())
                .isEqualTo(custom.spec().context().pipelineExecutionId());
    }

    private static List<String> nullMembers(JsonNode node) {
        List<String> nulls = new ArrayList<>();
        node.properties().forEach(field -> {
            if (field.getValue().isNull()) {
                nulls.add(field.getKey());
            }
            nulls.addAll(nullMembers(field.getValue()));
        });
        if (node.isArray()) {
            node.forEach(element -> nulls.addAll(nullMembers(element)));
        }
        return nulls;
    }

    @Test
    void jobAndClientIdsAreVersion4Uuids() {
        JobInfo job = cp.enqueue(JobSpec.builder(CUSTOM).build());
        String clientId;
        try (LocalCodePipeline other = LocalCodePipeline.builder().random(new Random(5)).build()) {
            clientId = other.defaultClientId();
        }
        List<String> ids = List.of(job.jobId(), job.actionExecutionId(), job.spec().context().pipelineExecutionId(),
                clientId);

        assertThat(ids).allSatisfy(id -> {
            UUID uuid = UUID.fromString(id);
            assertThat(uuid.toString()).isEqualTo(id);
            assertThat(uuid.version()).as(id).isEqualTo(4);
            assertThat(uuid.variant()).as(id).isEqualTo(2);
        });
    }
}

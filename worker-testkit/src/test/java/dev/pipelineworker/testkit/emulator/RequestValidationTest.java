package dev.pipelineworker.testkit.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.testkit.LocalCodePipeline;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How the emulator checks a request's members against the service model, on the wire (JSON 1.1's {@code __type}
 * and {@code message}), with the requests the SDK cannot send wrong: members of the wrong JSON type, explicit nulls,
 * and values at and just past each kind of limit. A request that passes validation goes on to the state, which
 * answers for a job it does not hold with JobNotFoundException: that is how a value at its limit shows it passed.
 */
class RequestValidationTest {

    private static final String NO_SUCH_JOB = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";
    private static final ActionTypeId CUSTOM = ActionTypeId.custom(ActionCategory.BUILD, "Validated", "1");
    private static final String CUSTOM_TYPE =
            "\"actionTypeId\":{\"category\":\"Build\",\"owner\":\"Custom\",\"provider\":\"Validated\",\"version\":\"1\"}";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static LocalCodePipeline emulator;

    @BeforeAll
    static void start() {
        emulator = LocalCodePipeline.builder().start();
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @BeforeEach
    void knownType() {
        emulator.reset();
        emulator.registerActionType(CUSTOM);
    }

    /** The answer's {@code __type} and {@code message}, as the SDK's JSON 1.1 error reader takes them. */
    private record Answer(int status, String type, String message) {
    }

    private static Answer call(String operation, String body) throws IOException, InterruptedException {
        HttpResponse<String> response = RawRequests.call(emulator.endpoint(), operation, body);
        JsonNode answer = JSON.readTree(response.body());
        return new Answer(response.statusCode(), answer.path("__type").asText(null),
                answer.path("message").asText(null));
    }

    private static Answer failure(String jobMember, String failureDetails) throws Exception {
        return call("PutJobFailureResult", "{\"jobId\":" + jobMember + ",\"failureDetails\":" + failureDetails + "}");
    }

    private static Answer success(String members) throws Exception {
        return call("PutJobSuccessResult", "{\"jobId\":\"" + NO_SUCH_JOB + "\"" + members + "}");
    }

    private static Answer poll(String members) throws Exception {
        return call("PollForJobs", "{" + CUSTOM_TYPE + members + "}");
    }

    private static Answer validation(String violation) {
        return new Answer(400, "ValidationException", "1 validation error detected: " + violation);
    }

    private static Answer serialization(String message) {
        return new Answer(400, "SerializationException", message);
    }

    private static final Answer NOT_FOUND = new Answer(400, "JobNotFoundException",
            "Job with id " + NO_SUCH_JOB + " was not found");

    @Test
    void aMemberOfTheWrongJsonTypeIsASerializationErrorNamingIt() throws Exception {
        assertThat(call("GetJobDetails", "{\"jobId\":5}")).isEqualTo(serialization("Expected a string at 'jobId'"));
        assertThat(poll(",\"maxBatchSize\":\"3\"")).isEqualTo(serialization("Expected an integer at 'maxBatchSize'"));
        assertThat(poll(",\"maxBatchSize\":1.5")).isEqualTo(serialization("Expected an integer at 'maxBatchSize'"));
        assertThat(poll(",\"maxBatchSize\":4294967296"))
                .as("a number past an int").isEqualTo(serialization("Expected an integer at 'maxBatchSize'"));
        assertThat(failure("\"" + NO_SUCH_JOB + "\"", "\"JobFailed\""))
                .isEqualTo(serialization("Expected a structure at 'failureDetails'"));
        assertThat(poll(",\"queryParam\":{\"Stack\":1}"))
                .isEqualTo(serialization("Expected a map of strings at 'queryParam'"));
        assertThat(success(",\"currentRevision\":{\"revision\":\"r\",\"changeIdentifier\":\"c\","
                + "\"created\":\"yesterday\"}"))
                .isEqualTo(serialization("Expected epoch seconds at 'currentRevision.created'"));
    }

    @Test
    void anExplicitNullIsAMissingMember() throws Exception {
        assertThat(call("GetJobDetails", "{\"jobId\":null}")).isEqualTo(validation(
                "Value null at 'jobId' failed to satisfy constraint: Member must not be null"));
        assertThat(success(",\"continuationToken\":null,\"currentRevision\":null,\"executionDetails\":null"))
                .as("optional members set to null are left out").isEqualTo(NOT_FOUND);
    }

    @Test
    void everyViolationIsNamedInOneValidationException() throws Exception {
        Answer answer = failure("\"not-a-uuid\"", "{\"type\":\"Oops\"}");

        assertThat(answer.type()).isEqualTo("ValidationException");
        assertThat(answer.message()).isEqualTo("3 validation errors detected: "
                + "Value 'not-a-uuid' at 'jobId' failed to satisfy constraint: Member must satisfy regular expression"
                + " pattern: [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}; "
                + "Value 'Oops' at 'failureDetails.type' failed to satisfy constraint: Member must satisfy enum value"
                + " set: [JobFailed, ConfigurationError, PermissionError, RevisionOutOfSync, RevisionUnavailable,"
                + " SystemUnavailable]; "
                + "Value null at 'failureDetails.message' failed to satisfy constraint: Member must not be null");
    }

    @Test
    void integersAreCheckedAgainstBothBounds() throws Exception {
        assertThat(poll(",\"maxBatchSize\":0")).isEqualTo(validation(
                "Value '0' at 'maxBatchSize' failed to satisfy constraint: Member must have value greater than or"
                        + " equal to 1"));
        assertThat(poll(",\"maxBatchSize\":1").status()).isEqualTo(200);
        assertThat(success(",\"executionDetails\":{\"percentComplete\":-1}")).isEqualTo(validation(
                "Value '-1' at 'executionDetails.percentComplete' failed to satisfy constraint: Member must have value"
                        + " greater than or equal to 0"));
        assertThat(success(",\"executionDetails\":{\"percentComplete\":0}")).isEqualTo(NOT_FOUND);
        assertThat(success(",\"executionDetails\":{\"percentComplete\":100}")).isEqualTo(NOT_FOUND);
        assertThat(success(",\"executionDetails\":{\"percentComplete\":101}")).isEqualTo(validation(
                "Value '101' at 'executionDetails.percentComplete' failed to satisfy constraint: Member must have"
                        + " value less than or equal to 100"));
    }

    @Test
    void stringsAreCheckedForLengthPatternAndEnum() throws Exception {
        assertThat(call("AcknowledgeJob", "{\"jobId\":\"" + NO_SUCH_JOB + "\",\"nonce\":\"\"}")).isEqualTo(validation(
                "Value '' at 'nonce' failed to satisfy constraint: Member must have length greater than or equal"
                        + " to 1"));
        assertThat(call("AcknowledgeJob", "{\"jobId\":\"" + NO_SUCH_JOB + "\",\"nonce\":\"n\"}")).isEqualTo(NOT_FOUND);
        String provider35 = "P".repeat(35);
        assertThat(call("PollForJobs", "{\"actionTypeId\":{\"category\":\"Build\",\"owner\":\"Custom\",\"provider\":\""
                + provider35 + "\",\"version\":\"1\"}}").type()).as("35 characters pass")
                .isEqualTo("ActionTypeNotFoundException");
        assertThat(call("PollForJobs", "{\"actionTypeId\":{\"category\":\"Build\",\"owner\":\"Custom\",\"provider\":\""
                + provider35 + "P\",\"version\":\"1.0\"}}")).isEqualTo(new Answer(400, "ValidationException",
                "2 validation errors detected: Value '" + provider35 + "P' at 'actionTypeId.provider' failed to satisfy"
                        + " constraint: Member must have length less than or equal to 35; Value '1.0' at"
                        + " 'actionTypeId.version' failed to satisfy constraint: Member must satisfy regular"
                        + " expression pattern: [0-9A-Za-z_-]+"));
        assertThat(call("PollForJobs", "{\"actionTypeId\":{\"category\":\"build\",\"owner\":\"Custom\","
                + "\"provider\":\"Validated\",\"version\":\"1\"}}")).isEqualTo(validation(
                "Value 'build' at 'actionTypeId.category' failed to satisfy constraint: Member must satisfy enum value"
                        + " set: [Source, Build, Deploy, Test, Invoke, Approval, Compute]"));
    }

    @Test
    void echoedValuesAreCutAt128CharactersAndSecretsNeverEchoed() throws Exception {
        String summary128 = "s".repeat(128);
        String tooLong = summary128 + "t".repeat(2048 - 128 + 1);
        assertThat(success(",\"executionDetails\":{\"summary\":\"" + tooLong + "\"}")).isEqualTo(validation(
                "Value '" + summary128 + "...' at 'executionDetails.summary' failed to satisfy constraint: Member must"
                        + " have length less than or equal to 2048"));
        String id128 = "e".repeat(128);
        assertThat(call("PollForJobs", "{\"actionTypeId\":{\"category\":\"Build\",\"owner\":\"Custom\",\"provider\":\""
                + id128 + "\",\"version\":\"1\"}}").message()).as("128 characters are echoed whole")
                .contains("Value '" + id128 + "' at 'actionTypeId.provider'");
        assertThat(call("GetThirdPartyJobDetails", "{\"jobId\":\"j\",\"clientToken\":\"" + "k".repeat(257) + "\"}"))
                .isEqualTo(validation("Value '***' at 'clientToken' failed to satisfy constraint: Member must have"
                        + " length less than or equal to 256"));
    }

    @Test
    void mapsAreCheckedForSizeKeysAndValues() throws Exception {
        assertThat(poll(",\"queryParam\":{\"Stack\":\"a\",\"Env\":\"b\"}")).isEqualTo(validation(
                "Value at 'queryParam' failed to satisfy constraint: Member must have length less than or equal"
                        + " to 1"));
        assertThat(poll(",\"queryParam\":{\"" + "k".repeat(51) + "\":\"a\"}")).isEqualTo(validation(
                "Value '" + "k".repeat(51) + "' at 'queryParam' failed to satisfy constraint: Map keys must satisfy"
                        + " constraint: [Member must have length less than or equal to 50]"));
        assertThat(poll(",\"queryParam\":{\"Stack\":\"\"}")).as("only a value's first problem is named")
                .isEqualTo(validation("Value '' at 'queryParam' failed to satisfy constraint: Map value must satisfy"
                        + " constraint: [Member must have length greater than or equal to 1]"));
        assertThat(poll(",\"queryParam\":{\"Stack\":\"a b\"}")).isEqualTo(validation(
                "Value 'a b' at 'queryParam' failed to satisfy constraint: Map value must satisfy constraint: [Member"
                        + " must satisfy regular expression pattern: [a-zA-Z0-9_-]+]"));
        assertThat(poll(",\"queryParam\":{\"Stack\":\"a\"}").status()).isEqualTo(200);
        assertThat(success(",\"outputVariables\":{\"bad key\":\"v\"}")).isEqualTo(validation(
                "Value 'bad key' at 'outputVariables' failed to satisfy constraint: Map keys must satisfy constraint:"
                        + " [Member must satisfy regular expression pattern: [A-Za-z0-9@\\-_]+]"));
        assertThat(success(",\"outputVariables\":{\"a\":\"1\",\"b\":\"2\",\"c\":\"\"}"))
                .as("output variables have no entry limit, and any value").isEqualTo(NOT_FOUND);
    }

    @Test
    void aTimestampKeepsItsFractionOfASecond() throws Exception {
        JobInfo job = emulator.enqueue(JobSpec.builder(CUSTOM).build());
        JsonNode polled = JSON.readTree(RawRequests.call(emulator.endpoint(), "PollForJobs", "{" + CUSTOM_TYPE + "}")
                .body()).path("jobs").path(0);
        assertThat(call("AcknowledgeJob", "{\"jobId\":\"" + job.jobId() + "\",\"nonce\":\""
                + polled.path("nonce").asText() + "\"}").status()).isEqualTo(200);

        assertThat(call("PutJobSuccessResult", "{\"jobId\":\"" + job.jobId() + "\",\"currentRevision\":{\"revision\":"
                + "\"r\",\"changeIdentifier\":\"c\",\"created\":1700000000.25}}").status()).isEqualTo(200);

        RecordedResult.Success result = (RecordedResult.Success) emulator.resultsForJob(job.jobId()).get(0);
        assertThat(result.currentRevision().created()).isEqualTo(Instant.ofEpochSecond(1_700_000_000L, 250_000_000));
    }
}

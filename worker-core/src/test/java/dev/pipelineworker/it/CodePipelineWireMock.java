package dev.pipelineworker.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.Backoff;
import dev.pipelineworker.ClientTokenProvider;
import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobHandler;
import dev.pipelineworker.JobQueue;
import dev.pipelineworker.JobWorker;
import dev.pipelineworker.JobWorkerListener;
import dev.pipelineworker.OutcomeJournal;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;

/**
 * Shared plumbing for worker-core's wire-level tests: a real SDK {@link CodePipelineClient} pointed at WireMock,
 * stubs of CodePipeline's job operations (third-party and custom) in its AWS JSON 1.1 protocol, JSON builders for
 * job data and the request journal read back as JSON. The worker tests in this package use it only for answers the
 * testkit's LocalCodePipeline cannot give (the integration-tests module runs the flows against it). The channel
 * tests in {@code internal.channel} drive the channels on {@link #client()} through every answer of each call,
 * since worker-core cannot depend on the testkit; hence public. One instance per test; {@link #close()} stops the
 * workers it started and the client.
 */
public final class CodePipelineWireMock implements AutoCloseable {

    public static final ObjectMapper JSON = new ObjectMapper();
    public static final String TARGET_PREFIX = "CodePipeline_20150709.";
    public static final String CONTENT_TYPE = "application/x-amz-json-1.1";

    public static final ActionTypeId THIRD_PARTY_TYPE = ActionTypeId.thirdParty(ActionCategory.BUILD, "AcmeBuild", "1");
    public static final String CLIENT_ID = "client-a";
    public static final String CLIENT_TOKEN = "secret-token-of-client-a";
    public static final String BUCKET = "acme-artifacts";
    /** How many attempts the client makes per call: its retries stand in for the SDK's default ones. */
    public static final int SDK_ATTEMPTS = 3;

    public static final String POLL_THIRD_PARTY = "PollForThirdPartyJobs";
    public static final String GET_THIRD_PARTY_DETAILS = "GetThirdPartyJobDetails";
    public static final String ACK_THIRD_PARTY = "AcknowledgeThirdPartyJob";
    public static final String PUT_THIRD_PARTY_SUCCESS = "PutThirdPartyJobSuccessResult";
    public static final String PUT_THIRD_PARTY_FAILURE = "PutThirdPartyJobFailureResult";
    public static final String POLL_CUSTOM = "PollForJobs";
    public static final String GET_CUSTOM_DETAILS = "GetJobDetails";
    public static final String ACK_CUSTOM = "AcknowledgeJob";
    public static final String PUT_CUSTOM_SUCCESS = "PutJobSuccessResult";
    public static final String PUT_CUSTOM_FAILURE = "PutJobFailureResult";

    private static final List<String> PUT_OPERATIONS = List.of(PUT_THIRD_PARTY_SUCCESS, PUT_THIRD_PARTY_FAILURE,
            PUT_CUSTOM_SUCCESS, PUT_CUSTOM_FAILURE);

    private final WireMockExtension wm;
    private final CodePipelineClient client;
    private final List<String> succeeded = new CopyOnWriteArrayList<>();
    private final List<JobWorker> workers = new ArrayList<>();
    private int scenarios;

    /** A client on {@code wm}, which answers the default stubs until a test stubs otherwise. */
    public CodePipelineWireMock(WireMockExtension wm) {
        this.wm = wm;
        this.client = CodePipelineClient.builder()
                .endpointOverride(URI.create(wm.baseUrl()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")))
                .overrideConfiguration(o -> o
                        .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                                .maxAttempts(SDK_ATTEMPTS)
                                .backoffStrategy(BackoffStrategy.exponentialDelay(
                                        Duration.ofMillis(5), Duration.ofMillis(20)))
                                .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(
                                        Duration.ofMillis(5), Duration.ofMillis(20)))
                                .circuitBreakerEnabled(false)
                                .build())
                        // Generous: on a loaded machine (PIT, CI) a stalled attempt that timed out would be sent
                        // again, and a test counting the requests would see one more.
                        .apiCallAttemptTimeout(Duration.ofSeconds(30)))
                .build();
        stubDefaults();
    }

    /** The real SDK client, pointed at WireMock. */
    public CodePipelineClient client() {
        return client;
    }

    // ---------------------------------------------------------------- workers

    /** A third-party worker on the WireMock client with fast backoffs and a listener that records successes. */
    JobWorker.Builder thirdPartyWorker(JobHandler handler) {
        Backoff quick = Backoff.exponential(Duration.ofMillis(10), Duration.ofMillis(50));
        return JobWorker.builder(THIRD_PARTY_TYPE, handler)
                .clientTokens(ClientTokenProvider.fromMap(Map.of(CLIENT_ID, CLIENT_TOKEN)))
                .codePipelineClient(client)
                .idleBackoff(quick)
                .errorBackoff(quick)
                .throttleBackoff(quick)
                .reportRetries(3, Backoff.exponential(Duration.ofMillis(10), Duration.ofMillis(20)))
                .shutdownGrace(Duration.ofSeconds(2))
                .outcomeJournal(OutcomeJournal.disabled())
                .listener(new JobWorkerListener() {
                    @Override
                    public void succeeded(JobQueue queue, String jobId) {
                        succeeded.add(jobId);
                    }
                });
    }

    /** Builds and starts the worker; {@link #close()} closes it. */
    JobWorker start(JobWorker.Builder builder) {
        JobWorker worker = builder.build();
        workers.add(worker);
        return worker.start();
    }

    /** Waits until the worker's listener heard that this job's success was accepted. */
    void awaitSucceeded(String jobId) {
        await("success of " + jobId + " reported").atMost(Duration.ofSeconds(15)).until(() -> succeeded.contains(jobId));
    }

    @Override
    public void close() {
        for (JobWorker worker : workers) {
            worker.close();
        }
        client.close();
    }

    // ---------------------------------------------------------------- stubs

    /** Empty polls, InProgress acknowledgements and accepted results, unless a test stubs otherwise. */
    private void stubDefaults() {
        for (String poll : List.of(POLL_THIRD_PARTY, POLL_CUSTOM)) {
            wm.stubFor(call(poll).atPriority(10).willReturn(ok(jobs())));
        }
        for (String ack : List.of(ACK_THIRD_PARTY, ACK_CUSTOM)) {
            wm.stubFor(call(ack).atPriority(10).willReturn(ok(JSON.createObjectNode().put("status", "InProgress"))));
        }
        for (String put : PUT_OPERATIONS) {
            wm.stubFor(call(put).atPriority(10).willReturn(ok(JSON.createObjectNode())));
        }
    }

    /** A request matcher for one operation. */
    public static MappingBuilder call(String operation) {
        return post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(TARGET_PREFIX + operation));
    }

    /** Calls to {@code operation} for {@code jobId} answer {@code response}. */
    public void stubForJob(String operation, String jobId, ResponseDefinitionBuilder response) {
        wm.stubFor(call(operation).withRequestBody(matchingJsonPath("$.jobId", equalTo(jobId)))
                .atPriority(3).willReturn(response));
    }

    /**
     * The first calls to {@code operation} answer {@code responses} in order; later calls fall
     * through to the other stubs (for polls: no jobs).
     */
    public void stubSequence(String operation, ResponseDefinitionBuilder... responses) {
        String scenario = operation + "-" + (++scenarios);
        for (int i = 0; i < responses.length; i++) {
            wm.stubFor(call(operation).atPriority(1)
                    .inScenario(scenario)
                    .whenScenarioStateIs(i == 0 ? Scenario.STARTED : "step-" + i)
                    .willSetStateTo("step-" + (i + 1))
                    .willReturn(responses[i]));
        }
    }

    /** The next poll returns this job of CLIENT_ID, then its details answer with {@code nonce} and {@code data}. */
    void stubThirdPartyJob(String jobId, String nonce, ObjectNode data) {
        stubForJob(GET_THIRD_PARTY_DETAILS, jobId, ok(thirdPartyDetails(jobId, nonce, data)));
        stubSequence(POLL_THIRD_PARTY, ok(jobs(JSON.createObjectNode().put("jobId", jobId).put("clientId", CLIENT_ID))));
    }

    /** The answer of GetThirdPartyJobDetails for a job with this nonce and data. */
    public static ObjectNode thirdPartyDetails(String jobId, String nonce, ObjectNode data) {
        ObjectNode details = JSON.createObjectNode();
        details.putObject("jobDetails").put("id", jobId).put("nonce", nonce).set("data", data);
        return details;
    }

    /** A 200 answer with {@code body} in the JSON 1.1 protocol. */
    public static ResponseDefinitionBuilder ok(JsonNode body) {
        return aResponse().withStatus(200).withHeader("Content-Type", CONTENT_TYPE).withBody(body.toString());
    }

    /** A modelled CodePipeline error: HTTP 400 with {@code __type}. */
    public static ResponseDefinitionBuilder awsError(String type, String message) {
        ObjectNode body = JSON.createObjectNode().put("__type", type).put("message", message);
        return aResponse().withStatus(400).withHeader("Content-Type", CONTENT_TYPE).withBody(body.toString());
    }

    /** A retryable server error with HTTP {@code status}. */
    public static ResponseDefinitionBuilder serverError(int status) {
        return aResponse().withStatus(status).withHeader("Content-Type", CONTENT_TYPE)
                .withBody("{\"__type\":\"InternalServiceError\",\"message\":\"try again\"}");
    }

    // ---------------------------------------------------------------- JSON builders

    /** A poll answer holding {@code jobs}. */
    public static ObjectNode jobs(JsonNode... jobs) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode list = body.putArray("jobs");
        for (JsonNode job : jobs) {
            list.add(job);
        }
        return body;
    }

    /** Third-party job data with this action execution, one input and one output artifact and artifact credentials. */
    public static ObjectNode jobData(String actionExecutionId) {
        ObjectNode data = JSON.createObjectNode();
        data.putObject("actionTypeId").put("category", THIRD_PARTY_TYPE.category().apiName())
                .put("owner", THIRD_PARTY_TYPE.owner().apiName())
                .put("provider", THIRD_PARTY_TYPE.provider()).put("version", THIRD_PARTY_TYPE.version());
        data.putObject("actionConfiguration").putObject("configuration");
        ObjectNode pipeline = data.putObject("pipelineContext").put("pipelineName", "acme-pipeline");
        pipeline.putObject("stage").put("name", "BuildStage");
        pipeline.putObject("action").put("name", "CompileAction").put("actionExecutionId", actionExecutionId);
        data.putArray("inputArtifacts").add(artifact("SourceOutput", "acme-pipeline/SourceOutp/in.zip"));
        data.putArray("outputArtifacts").add(artifact("BuildOutput", "acme-pipeline/BuildOutpu/out.zip"));
        data.putObject("artifactCredentials").put("accessKeyId", "ASIAJOBCREDENTIALS")
                .put("secretAccessKey", "job-secret-access-key").put("sessionToken", "job-session-token");
        return data;
    }

    private static ObjectNode artifact(String name, String key) {
        ObjectNode artifact = JSON.createObjectNode().put("name", name);
        ObjectNode location = artifact.putObject("location").put("type", "S3");
        location.putObject("s3Location").put("bucketName", BUCKET).put("objectKey", key);
        return artifact;
    }

    // ---------------------------------------------------------------- journal

    /** The bodies of every call to {@code operation}, oldest first. */
    public List<JsonNode> requests(String operation) {
        return wm.findAll(postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(TARGET_PREFIX + operation)))
                .stream()
                .sorted(Comparator.comparing(LoggedRequest::getLoggedDate))
                .map(r -> parse(r.getBodyAsString()))
                .toList();
    }

    /** The bodies of every call to {@code operation} for {@code jobId}, oldest first. */
    public List<JsonNode> requests(String operation, String jobId) {
        return requests(operation).stream().filter(b -> jobId.equals(b.path("jobId").asText(null))).toList();
    }

    /** Waits until {@code operation} was called for {@code jobId} and returns the first such body. */
    JsonNode awaitRequest(String operation, String jobId) {
        await(operation + " for " + jobId).atMost(Duration.ofSeconds(15))
                .until(() -> !requests(operation, jobId).isEmpty());
        return requests(operation, jobId).get(0);
    }

    /** Asserts that every result sent so far fits the CodePipeline model's limits. */
    public void assertAllReportsWithinModelLimits() {
        for (String put : PUT_OPERATIONS) {
            for (JsonNode body : requests(put)) {
                assertThat(body.path("jobId").asText()).as("jobId in %s", body).isNotEmpty();
                JsonNode details = body.path("executionDetails");
                if (!details.isMissingNode()) {
                    assertLength(details, "summary", 2048);
                    assertLength(details, "externalExecutionId", 1500);
                    if (details.has("percentComplete")) {
                        assertThat(details.get("percentComplete").asInt()).isBetween(0, 100);
                    }
                }
                assertLength(body, "continuationToken", 2048);
                JsonNode failure = body.path("failureDetails");
                if (!failure.isMissingNode()) {
                    assertThat(failure.path("type").asText()).isIn(
                            Arrays.stream(FailureType.values()).map(FailureType::apiName).toList());
                    assertThat(failure.has("message")).as("failureDetails.message is required").isTrue();
                    assertLength(failure, "message", 5000);
                    assertLength(failure, "externalExecutionId", 1500);
                }
            }
        }
    }

    private static void assertLength(JsonNode node, String field, int max) {
        if (node.has(field)) {
            assertThat(node.get(field).asText().length()).as("%s length", field).isBetween(1, max);
        }
    }

    /** {@code json} as a tree; a body that is not JSON fails the test. */
    public static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }
}

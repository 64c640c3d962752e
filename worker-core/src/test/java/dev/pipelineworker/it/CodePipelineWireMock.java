package dev.pipelineworker.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

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
import dev.pipelineworker.JobWorker;
import dev.pipelineworker.OutcomeJournal;
import dev.pipelineworker.JobWorkerListener;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;

/**
 * Shared plumbing for the worker-core integration tests: a real SDK {@link CodePipelineClient}
 * pointed at WireMock, stubs of CodePipeline's AWS JSON 1.1 protocol, JSON builders for job data,
 * the request journal read back as JSON, fast worker presets, a recording listener and a bounded
 * await. One instance per test; {@link #close()} stops the workers it started and the client.
 */
final class CodePipelineWireMock implements AutoCloseable {

    /** HTTP attempts the SDK client makes per call (1 + 2 SDK retries). */
    static final int SDK_MAX_ATTEMPTS = 3;
    static final Duration AWAIT_TIMEOUT = Duration.ofSeconds(15);

    static final ObjectMapper JSON = new ObjectMapper();
    static final String TARGET_PREFIX = "CodePipeline_20150709.";
    static final String CONTENT_TYPE = "application/x-amz-json-1.1";

    static final ActionTypeId THIRD_PARTY_TYPE = ActionTypeId.thirdParty(ActionCategory.BUILD, "AcmeBuild", "1");
    static final ActionTypeId CUSTOM_TYPE = ActionTypeId.custom(ActionCategory.DEPLOY, "AcmeDeploy", "2");
    static final String CLIENT_ID = "client-a";
    static final String CLIENT_TOKEN = "secret-token-of-client-a";
    static final String OTHER_CLIENT_ID = "client-b";
    static final String OTHER_CLIENT_TOKEN = "secret-token-of-client-b";

    static final String PIPELINE = "acme-pipeline";
    static final String STAGE = "BuildStage";
    static final String ACTION = "CompileAction";
    static final String BUCKET = "acme-artifacts";
    static final String KMS_KEY = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    // Third-party operations.
    static final String POLL_THIRD_PARTY = "PollForThirdPartyJobs";
    static final String GET_THIRD_PARTY_DETAILS = "GetThirdPartyJobDetails";
    static final String ACK_THIRD_PARTY = "AcknowledgeThirdPartyJob";
    static final String PUT_THIRD_PARTY_SUCCESS = "PutThirdPartyJobSuccessResult";
    static final String PUT_THIRD_PARTY_FAILURE = "PutThirdPartyJobFailureResult";
    // Custom operations.
    static final String POLL_CUSTOM = "PollForJobs";
    static final String ACK_CUSTOM = "AcknowledgeJob";
    static final String PUT_CUSTOM_SUCCESS = "PutJobSuccessResult";
    static final String PUT_CUSTOM_FAILURE = "PutJobFailureResult";

    private static final List<String> PUT_OPERATIONS = List.of(PUT_THIRD_PARTY_SUCCESS, PUT_THIRD_PARTY_FAILURE,
            PUT_CUSTOM_SUCCESS, PUT_CUSTOM_FAILURE);

    private final WireMockExtension wm;
    private final CodePipelineClient client;
    private final RecordingListener listener = new RecordingListener();
    private final List<JobWorker> workers = new ArrayList<>();
    private int scenarios;

    CodePipelineWireMock(WireMockExtension wm) {
        this.wm = wm;
        this.client = CodePipelineClient.builder()
                .endpointOverride(URI.create(wm.baseUrl()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")))
                .overrideConfiguration(o -> o
                        .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                                .maxAttempts(SDK_MAX_ATTEMPTS)
                                .backoffStrategy(BackoffStrategy.exponentialDelay(
                                        Duration.ofMillis(5), Duration.ofMillis(20)))
                                .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(
                                        Duration.ofMillis(5), Duration.ofMillis(20)))
                                .circuitBreakerEnabled(false)
                                .build())
                        .apiCallAttemptTimeout(Duration.ofSeconds(5)))
                .build();
        stubDefaults();
    }

    CodePipelineClient client() {
        return client;
    }

    RecordingListener listener() {
        return listener;
    }

    // ---------------------------------------------------------------- workers

    /** A third-party worker on the WireMock client with fast backoffs, the recording listener and two known clients. */
    JobWorker.Builder thirdPartyWorker(JobHandler handler) {
        return fast(JobWorker.builder(THIRD_PARTY_TYPE, handler)
                .clientTokens(ClientTokenProvider.fromMap(Map.of(
                        CLIENT_ID, CLIENT_TOKEN, OTHER_CLIENT_ID, OTHER_CLIENT_TOKEN))));
    }

    /** A custom-action worker on the WireMock client with fast backoffs and the recording listener. */
    JobWorker.Builder customWorker(JobHandler handler) {
        return fast(JobWorker.builder(CUSTOM_TYPE, handler));
    }

    private JobWorker.Builder fast(JobWorker.Builder builder) {
        Backoff quick = Backoff.exponential(Duration.ofMillis(10), Duration.ofMillis(50));
        return builder.codePipelineClient(client)
                .idleBackoff(quick)
                .errorBackoff(quick)
                .throttleBackoff(quick)
                .reportRetries(3, Backoff.exponential(Duration.ofMillis(10), Duration.ofMillis(20)))
                .shutdownGrace(Duration.ofSeconds(2))
                .outcomeJournal(OutcomeJournal.disabled())
                .listener(listener);
    }

    /** Builds and starts the worker; {@link #close()} closes it. */
    JobWorker start(JobWorker.Builder builder) {
        JobWorker worker = builder.build();
        workers.add(worker);
        return worker.start();
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
        wm.stubFor(call(POLL_THIRD_PARTY).atPriority(10).willReturn(ok(jobs())));
        wm.stubFor(call(POLL_CUSTOM).atPriority(10).willReturn(ok(jobs())));
        wm.stubFor(call(ACK_THIRD_PARTY).atPriority(10).willReturn(ok(ackStatus("InProgress"))));
        wm.stubFor(call(ACK_CUSTOM).atPriority(10).willReturn(ok(ackStatus("InProgress"))));
        for (String put : PUT_OPERATIONS) {
            wm.stubFor(call(put).atPriority(10).willReturn(ok(JSON.createObjectNode())));
        }
    }

    /** A request matcher for one operation. */
    static MappingBuilder call(String operation) {
        return post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(TARGET_PREFIX + operation));
    }

    /** Every call to {@code operation} answers {@code response} (over the defaults). */
    void stub(String operation, ResponseDefinitionBuilder response) {
        wm.stubFor(call(operation).atPriority(5).willReturn(response));
    }

    /** Calls to {@code operation} for {@code jobId} answer {@code response}. */
    void stubForJob(String operation, String jobId, ResponseDefinitionBuilder response) {
        wm.stubFor(call(operation).withRequestBody(matchingJsonPath("$.jobId", equalTo(jobId)))
                .atPriority(3).willReturn(response));
    }

    /**
     * The first calls to {@code operation} answer {@code responses} in order; later calls fall
     * through to the other stubs (for polls: no jobs).
     */
    void stubSequence(String operation, ResponseDefinitionBuilder... responses) {
        String scenario = operation + "-" + (++scenarios);
        for (int i = 0; i < responses.length; i++) {
            wm.stubFor(call(operation).atPriority(1)
                    .inScenario(scenario)
                    .whenScenarioStateIs(i == 0 ? Scenario.STARTED : "step-" + i)
                    .willSetStateTo("step-" + (i + 1))
                    .willReturn(responses[i]));
        }
    }

    /** Third-party: the next poll returns these jobs, then its details answer with {@code nonce} and {@code data}. */
    void stubThirdPartyJob(String jobId, String clientId, String nonce, ObjectNode data) {
        stubForJob(GET_THIRD_PARTY_DETAILS, jobId, ok(thirdPartyDetails(jobId, nonce, data)));
        stubSequence(POLL_THIRD_PARTY, ok(jobs(thirdPartyJob(jobId, clientId))));
    }

    static ResponseDefinitionBuilder ok(JsonNode body) {
        return aResponse().withStatus(200).withHeader("Content-Type", CONTENT_TYPE).withBody(body.toString());
    }

    /** A modelled CodePipeline error: HTTP 400 with {@code __type}. */
    static ResponseDefinitionBuilder awsError(String type, String message) {
        ObjectNode body = JSON.createObjectNode().put("__type", type);
        if (message != null) {
            body.put("message", message);
        }
        return aResponse().withStatus(400).withHeader("Content-Type", CONTENT_TYPE).withBody(body.toString());
    }

    static ResponseDefinitionBuilder throttled() {
        return awsError("ThrottlingException", null);
    }

    static ResponseDefinitionBuilder serverError(int status) {
        return aResponse().withStatus(status).withHeader("Content-Type", CONTENT_TYPE)
                .withBody("{\"__type\":\"InternalServiceError\",\"message\":\"try again\"}");
    }

    // ---------------------------------------------------------------- JSON builders

    static ObjectNode jobs(JsonNode... jobs) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode list = body.putArray("jobs");
        for (JsonNode job : jobs) {
            list.add(job);
        }
        return body;
    }

    static ObjectNode thirdPartyJob(String jobId, String clientId) {
        return JSON.createObjectNode().put("jobId", jobId).put("clientId", clientId);
    }

    static ObjectNode ackStatus(String status) {
        return JSON.createObjectNode().put("status", status);
    }

    static ObjectNode thirdPartyDetails(String jobId, String nonce, ObjectNode data) {
        ObjectNode details = JSON.createObjectNode();
        details.putObject("jobDetails").put("id", jobId).put("nonce", nonce).set("data", data);
        return details;
    }

    /** A custom job as PollForJobs returns it: id, data, nonce and accountId. */
    static ObjectNode customJob(String jobId, String nonce, String accountId, ObjectNode data) {
        ObjectNode job = JSON.createObjectNode().put("id", jobId).put("nonce", nonce).put("accountId", accountId);
        job.set("data", data);
        return job;
    }

    /**
     * Job data with the test pipeline context, this configuration, one input and one output
     * artifact, artifact credentials and a KMS key; {@code continuationToken} may be null.
     */
    static ObjectNode jobData(ActionTypeId type, String actionExecutionId, Map<String, String> configuration,
                              String continuationToken) {
        ObjectNode data = JSON.createObjectNode();
        data.putObject("actionTypeId").put("category", type.category().apiName()).put("owner", type.owner().apiName())
                .put("provider", type.provider()).put("version", type.version());
        ObjectNode config = data.putObject("actionConfiguration").putObject("configuration");
        configuration.forEach(config::put);
        ObjectNode pipeline = data.putObject("pipelineContext").put("pipelineName", PIPELINE)
                .put("pipelineArn", "arn:aws:codepipeline:us-east-1:111122223333:" + PIPELINE);
        pipeline.putObject("stage").put("name", STAGE);
        pipeline.putObject("action").put("name", ACTION).put("actionExecutionId", actionExecutionId);
        data.putArray("inputArtifacts").add(artifact("SourceOutput", "acme-pipeline/SourceOutp/in.zip", "rev-abc123"));
        data.putArray("outputArtifacts").add(artifact("BuildOutput", "acme-pipeline/BuildOutpu/out.zip", null));
        data.putObject("artifactCredentials").put("accessKeyId", "ASIAJOBCREDENTIALS")
                .put("secretAccessKey", "job-secret-access-key").put("sessionToken", "job-session-token");
        data.putObject("encryptionKey").put("id", KMS_KEY).put("type", "KMS");
        if (continuationToken != null) {
            data.put("continuationToken", continuationToken);
        }
        return data;
    }

    private static ObjectNode artifact(String name, String key, String revision) {
        ObjectNode artifact = JSON.createObjectNode().put("name", name);
        if (revision != null) {
            artifact.put("revision", revision);
        }
        ObjectNode location = artifact.putObject("location").put("type", "S3");
        location.putObject("s3Location").put("bucketName", BUCKET).put("objectKey", key);
        return artifact;
    }

    // ---------------------------------------------------------------- journal

    /** The bodies of every call to {@code operation}, oldest first. */
    List<JsonNode> requests(String operation) {
        return logged(operation).stream().map(r -> parse(r.getBodyAsString())).toList();
    }

    /** When each call to {@code operation} arrived, oldest first. */
    List<Instant> requestTimes(String operation) {
        return logged(operation).stream().map(r -> r.getLoggedDate().toInstant()).toList();
    }

    private List<LoggedRequest> logged(String operation) {
        return wm.findAll(postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(TARGET_PREFIX + operation)))
                .stream()
                .sorted(Comparator.comparing(LoggedRequest::getLoggedDate))
                .toList();
    }

    /** The bodies of every call to {@code operation} for {@code jobId}, oldest first. */
    List<JsonNode> requests(String operation, String jobId) {
        return requests(operation).stream().filter(b -> jobId.equals(b.path("jobId").asText(null))).toList();
    }

    /** Waits until {@code operation} was called for {@code jobId} and returns the first such body. */
    JsonNode awaitRequest(String operation, String jobId) {
        await(operation + " for " + jobId, () -> !requests(operation, jobId).isEmpty());
        return requests(operation, jobId).get(0);
    }

    /** Waits until {@code operation} was called at least {@code count} times. */
    void awaitCalls(String operation, int count) {
        await(count + " calls of " + operation, () -> requests(operation).size() >= count);
    }

    /** Every result the worker sent, of any kind. */
    List<JsonNode> allReports() {
        List<JsonNode> all = new ArrayList<>();
        PUT_OPERATIONS.forEach(op -> all.addAll(requests(op)));
        return all;
    }

    /** Asserts that every result sent so far fits the CodePipeline model's limits. */
    void assertAllReportsWithinModelLimits() {
        for (JsonNode body : allReports()) {
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
                        java.util.Arrays.stream(FailureType.values()).map(FailureType::apiName).toList());
                assertThat(failure.has("message")).as("failureDetails.message is required").isTrue();
                assertLength(failure, "message", 5000);
                assertLength(failure, "externalExecutionId", 1500);
            }
        }
    }

    private static void assertLength(JsonNode node, String field, int max) {
        if (node.has(field)) {
            assertThat(node.get(field).asText().length()).as("%s length", field).isBetween(1, max);
        }
    }

    static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    // ---------------------------------------------------------------- waiting

    /** Polls {@code condition} every 10 ms until it holds; fails after {@link #AWAIT_TIMEOUT}. */
    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + AWAIT_TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + AWAIT_TIMEOUT + " waiting for " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }

    // ---------------------------------------------------------------- listener

    /** Records listener calls as short strings, such as {@code claimed:job-1} or {@code retried:job-1:2}. */
    static final class RecordingListener implements JobWorkerListener {
        private final List<String> events = new CopyOnWriteArrayList<>();
        private final List<Throwable> errors = new CopyOnWriteArrayList<>();

        List<String> events() {
            return List.copyOf(events);
        }

        boolean has(String event) {
            return events.contains(event);
        }

        long count(String prefix) {
            return events.stream().filter(e -> e.startsWith(prefix)).count();
        }

        List<Throwable> errors() {
            return List.copyOf(errors);
        }

        @Override
        public void polled(int requested, int received) {
            events.add("polled:" + requested + ":" + received);
        }

        @Override
        public void pollFailed(Throwable error, boolean throttled) {
            errors.add(error);
            events.add("pollFailed:" + (throttled ? "throttled" : "error"));
        }

        @Override
        public void claimed(String jobId) {
            events.add("claimed:" + jobId);
        }

        @Override
        public void lostToOtherWorker(String jobId) {
            events.add("lost:" + jobId);
        }

        @Override
        public void handlerFinished(String jobId, Duration duration) {
            events.add("handlerFinished:" + jobId);
        }

        @Override
        public void succeeded(String jobId) {
            events.add("succeeded:" + jobId);
        }

        @Override
        public void continued(String jobId) {
            events.add("continued:" + jobId);
        }

        @Override
        public void failed(String jobId, FailureType type) {
            events.add("failed:" + jobId + ":" + type.apiName());
        }

        @Override
        public void reportRetried(String jobId, int attempt, Throwable error) {
            errors.add(error);
            events.add("retried:" + jobId + ":" + attempt);
        }

        @Override
        public void reportAbandoned(String jobId, Throwable error) {
            errors.add(error);
            events.add("abandoned:" + jobId + ":" + error.getClass().getSimpleName());
        }
    }
}

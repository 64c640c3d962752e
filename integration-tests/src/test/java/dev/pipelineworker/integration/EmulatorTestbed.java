package dev.pipelineworker.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.Artifact;
import dev.pipelineworker.ArtifactCredentials;
import dev.pipelineworker.ClientTokenProvider;
import dev.pipelineworker.EncryptionKey;
import dev.pipelineworker.JobHandler;
import dev.pipelineworker.JobWorker;
import dev.pipelineworker.S3Location;
import dev.pipelineworker.testkit.LocalCodePipeline;
import dev.pipelineworker.testkit.SentRequests;
import dev.pipelineworker.testkit.emulator.JobInfo;
import dev.pipelineworker.testkit.emulator.JobSpec;
import dev.pipelineworker.testkit.emulator.Operation;
import dev.pipelineworker.testkit.emulator.RecordedCall;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;

/**
 * One test's bench: a fresh {@link LocalCodePipeline} that knows two third-party clients and both action types, a
 * real SDK {@link CodePipelineClient} on it (three attempts per call, short backoffs, every attempt seen by
 * {@link SentRequests}), workers with the emulator's {@link LocalCodePipeline#quickSettings quick settings} and a
 * {@link RecordingListener}, and the emulator's recorded calls read back as JSON. {@link #close()} stops the workers it started, the client and the emulator.
 */
final class EmulatorTestbed implements AutoCloseable {

    /** HTTP attempts the SDK client makes per call (1 + 2 SDK retries). */
    static final int SDK_MAX_ATTEMPTS = 3;
    static final Duration WAIT = Duration.ofSeconds(15);

    static final ActionTypeId THIRD_PARTY_TYPE = ActionTypeId.thirdParty(ActionCategory.BUILD, "AcmeBuild", "1");
    static final ActionTypeId CUSTOM_TYPE = ActionTypeId.custom(ActionCategory.DEPLOY, "AcmeDeploy", "2");
    static final String CLIENT_ID = "5b0c2a8e-0d1f-4c3b-8a79-1e2d3c4b5a61";
    static final String CLIENT_TOKEN = "secret-token-of-client-a";
    static final String OTHER_CLIENT_ID = "9e8d7c6b-5a4f-4e3d-9c2b-1a0f9e8d7c6b";
    static final String OTHER_CLIENT_TOKEN = "secret-token-of-client-b";
    /** The worker presets know both clients and their tokens. */
    static final ClientTokenProvider CLIENT_TOKENS = ClientTokenProvider.fromMap(Map.of(
            CLIENT_ID, CLIENT_TOKEN, OTHER_CLIENT_ID, OTHER_CLIENT_TOKEN));

    static final String PIPELINE = "acme-pipeline";
    static final String STAGE = "BuildStage";
    static final String ACTION = "CompileAction";
    static final String ACCOUNT = "111122223333";
    static final String BUCKET = "acme-artifacts";
    static final String KMS_KEY = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    static final ArtifactCredentials JOB_CREDENTIALS =
            new ArtifactCredentials("ASIAJOBCREDENTIALS", "job-secret-access-key", "job-session-token");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> REFUSED_AS_MALFORMED = Set.of("ValidationException", "SerializationException");

    private final LocalCodePipeline emulator;
    private final SentRequests sent = new SentRequests();
    private final CodePipelineClient client;
    private final RecordingListener listener = new RecordingListener();
    private final List<JobWorker> workers = new ArrayList<>();
    private final Map<Region, CodePipelineClient> regionalClients = new ConcurrentHashMap<>();

    /** A testbed whose emulator has the defaults below. */
    EmulatorTestbed() {
        this(UnaryOperator.identity());
    }

    /**
     * A testbed whose emulator is {@code customisation} applied to: both clients, both action types, continuations
     * at once, the builder's other defaults.
     */
    EmulatorTestbed(UnaryOperator<LocalCodePipeline.Builder> customisation) {
        emulator = customisation.apply(LocalCodePipeline.builder()
                .client(CLIENT_ID, CLIENT_TOKEN)
                .client(OTHER_CLIENT_ID, OTHER_CLIENT_TOKEN)
                .actionType(THIRD_PARTY_TYPE)
                .actionType(CUSTOM_TYPE)
                .continuationDelay(Duration.ZERO)).start();
        client = newClient(Region.US_EAST_1);
    }

    /** A client of the emulator signing for {@code region}, with the testbed's quick retries and the interceptor. */
    private CodePipelineClient newClient(Region region) {
        return CodePipelineClient.builder()
                .endpointOverride(emulator.endpoint())
                .region(region)
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
                        .apiCallAttemptTimeout(Duration.ofSeconds(5))
                        .addExecutionInterceptor(sent))
                .build();
    }

    /** The testbed's client of {@code region} (us-east-1's is {@link #client()}); closed with the testbed. */
    CodePipelineClient client(Region region) {
        if (region.equals(Region.US_EAST_1)) {
            return client;
        }
        return regionalClients.computeIfAbsent(region, this::newClient);
    }

    LocalCodePipeline emulator() {
        return emulator;
    }

    CodePipelineClient client() {
        return client;
    }

    RecordingListener listener() {
        return listener;
    }

    /** Waits until an attempt of this operation (its wire name) was sent by the testbed's client. */
    void awaitSent(String operation) {
        await(operation + " sent").until(() -> sent.count(operation) > 0);
    }

    SentRequests sent() {
        return sent;
    }

    // ---------------------------------------------------------------- workers

    /** A third-party worker on the testbed's client with fast backoffs, both client tokens and the listener. */
    JobWorker.Builder thirdPartyWorker(JobHandler handler) {
        return quick(JobWorker.builder(THIRD_PARTY_TYPE, handler).clientTokens(CLIENT_TOKENS)).listener(listener);
    }

    /** A custom-action worker on the testbed's client with fast backoffs and the listener. */
    JobWorker.Builder customWorker(JobHandler handler) {
        return quick(JobWorker.builder(CUSTOM_TYPE, handler)).listener(listener);
    }

    /** The presets without a listener: the testbed's client and {@link LocalCodePipeline#quickSettings}. */
    JobWorker.Builder quick(JobWorker.Builder builder) {
        return LocalCodePipeline.quickSettings(builder.codePipelineClient(client));
    }

    /**
     * A worker of {@code type} serving {@code regions} through the testbed's client of each, with the presets of
     * {@link #quick} and the listener.
     */
    JobWorker.Builder regionalWorker(ActionTypeId type, JobHandler handler, String... regions) {
        return LocalCodePipeline.quickSettings(JobWorker.builder(type, handler).codePipelineClients(this::client)
                        .regions(regions))
                .clientTokens(CLIENT_TOKENS).listener(listener);
    }

    /** Builds and starts the worker; {@link #close()} closes it. */
    JobWorker start(JobWorker.Builder builder) {
        JobWorker worker = builder.build();
        workers.add(worker);
        return worker.start();
    }

    /** An idle reference worker whose polls mark time; see {@link PollClock}. */
    PollClock pollClock() {
        return new PollClock(this);
    }

    @Override
    public void close() {
        for (JobWorker worker : workers) {
            worker.close();
        }
        client.close();
        regionalClients.values().forEach(CodePipelineClient::close);
        emulator.close();
    }

    // ---------------------------------------------------------------- jobs

    /**
     * A job of this type in the test pipeline (pipeline ARN, stage, action, this action execution), with one input
     * artifact at a revision, one output artifact, the KMS key and {@link #JOB_CREDENTIALS}; a third-party job goes
     * to {@link #CLIENT_ID}.
     */
    static JobSpec.Builder job(ActionTypeId type, String actionExecutionId) {
        return JobSpec.builder(type)
                .pipelineName(PIPELINE)
                .pipelineArn("arn:aws:codepipeline:us-east-1:" + ACCOUNT + ":" + PIPELINE)
                .pipelineExecutionId("run-" + actionExecutionId)
                .stageName(STAGE)
                .actionName(ACTION)
                .actionExecutionId(actionExecutionId)
                .inputArtifact(new Artifact("SourceOutput",
                        new S3Location(BUCKET, "acme-pipeline/SourceOutp/in.zip"), "rev-abc123"))
                .outputArtifact("BuildOutput", BUCKET, "acme-pipeline/BuildOutpu/out.zip")
                .encryptionKey(EncryptionKey.kms(KMS_KEY))
                .artifactCredentials(JOB_CREDENTIALS)
                .accountId(ACCOUNT);
    }

    JobInfo enqueue(JobSpec.Builder spec) {
        return emulator.enqueue(spec.build());
    }

    // ---------------------------------------------------------------- recorded calls

    /** The calls of this operation the emulator answered, oldest first. */
    List<RecordedCall> calls(Operation operation) {
        return emulator.calls(operation);
    }

    /** The calls of this operation for this job, oldest first. */
    List<RecordedCall> calls(Operation operation, String jobId) {
        return calls(operation).stream().filter(c -> jobId.equals(jobIdOf(c))).toList();
    }

    /** The request bodies of this operation, oldest first. */
    List<JsonNode> bodies(Operation operation) {
        return calls(operation).stream().map(EmulatorTestbed::body).toList();
    }

    /** The request bodies of this operation for this job, oldest first. */
    List<JsonNode> bodies(Operation operation, String jobId) {
        return calls(operation, jobId).stream().map(EmulatorTestbed::body).toList();
    }

    /** Every result call (success or failure, either flavour) the emulator answered, oldest first. */
    List<RecordedCall> resultCalls() {
        return emulator.calls().stream().filter(EmulatorTestbed::isResultCall).toList();
    }

    /** Waits until the emulator answered {@code operation} for {@code jobId} and returns the first such body. */
    JsonNode awaitCall(Operation operation, String jobId) {
        await(operation.wireName() + " for " + jobId).until(() -> !calls(operation, jobId).isEmpty());
        return bodies(operation, jobId).get(0);
    }

    /** Waits until the emulator answered {@code operation} at least {@code count} times. */
    void awaitCalls(Operation operation, int count) {
        await(count + " calls of " + operation.wireName()).until(() -> calls(operation).size() >= count);
    }

    /** Asserts that the emulator, which checks every request against the service's model, refused none as malformed. */
    void assertNoRequestRefusedAsMalformed() {
        assertThat(emulator.calls()).as("calls the emulator refused as malformed")
                .noneMatch(c -> c.errorType() != null && REFUSED_AS_MALFORMED.contains(c.errorType()));
    }

    static JsonNode body(RecordedCall call) {
        try {
            return JSON.readTree(call.requestBody());
        } catch (JsonProcessingException e) {
            throw new AssertionError("not JSON: " + call, e);
        }
    }

    /** The job a call names, or null (polls). */
    static String jobIdOf(RecordedCall call) {
        return body(call).path("jobId").asText(null);
    }

    static boolean isResultCall(RecordedCall call) {
        return call.is(Operation.PUT_JOB_SUCCESS_RESULT) || call.is(Operation.PUT_JOB_FAILURE_RESULT)
                || call.is(Operation.PUT_THIRD_PARTY_JOB_SUCCESS_RESULT)
                || call.is(Operation.PUT_THIRD_PARTY_JOB_FAILURE_RESULT);
    }
}

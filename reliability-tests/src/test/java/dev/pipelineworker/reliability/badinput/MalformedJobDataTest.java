package dev.pipelineworker.reliability.badinput;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.Backoff;
import dev.pipelineworker.JobWorker;
import dev.pipelineworker.OutcomeJournal;
import dev.pipelineworker.ZipLimits;
import dev.pipelineworker.reliability.support.CopyHandler;
import dev.pipelineworker.reliability.support.S3Mock;
import dev.pipelineworker.reliability.support.Zips;
import dev.pipelineworker.s3.S3ArtifactStoreFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;

/**
 * Job data CodePipeline should never send, but a worker must survive: the emulator's {@code JobSpec}
 * cannot express an artifact without a location or a job without credentials, so here WireMock plays
 * CodePipeline (custom action, AWS JSON 1.1) while the worker uses the real S3 store on S3Mock. Each
 * malformed job is failed at once with a clear message, and the next, good job succeeds.
 */
class MalformedJobDataTest {

    static final ActionTypeId TYPE = ActionTypeId.custom(ActionCategory.DEPLOY, "Malformed", "1");
    static final String TARGET = "CodePipeline_20150709.";
    static final String JSON_TYPE = "application/x-amz-json-1.1";
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(15);

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private final String prefix = "malformed/" + UUID.randomUUID() + "/";
    private static CodePipelineClient client;
    private static S3ArtifactStoreFactory stores;
    private JobWorker worker;
    private int scenarios;

    @BeforeAll
    static void clients() {
        client = CodePipelineClient.builder().endpointOverride(URI.create(wm.baseUrl())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIAWORKER", "worker")))
                .build();
        stores = S3Mock.factory(S3Mock.endpoint(), ZipLimits.defaults());
    }

    @AfterAll
    static void closeClients() {
        stores.close();
        client.close();
    }

    @BeforeEach
    void start() {
        ObjectNode noJobs = JSON.createObjectNode();
        noJobs.putArray("jobs");
        wm.stubFor(call("PollForJobs").atPriority(10).willReturn(ok(noJobs)));
        wm.stubFor(call("AcknowledgeJob").atPriority(10).willReturn(ok(JSON.createObjectNode().put("status", "InProgress"))));
        wm.stubFor(call("PutJobSuccessResult").atPriority(10).willReturn(ok(JSON.createObjectNode())));
        wm.stubFor(call("PutJobFailureResult").atPriority(10).willReturn(ok(JSON.createObjectNode())));
        Backoff quick = Backoff.exponential(Duration.ofMillis(20), Duration.ofMillis(100));
        worker = JobWorker.builder(TYPE, new CopyHandler()).codePipelineClient(client).artifactStoreFactory(stores)
                .outcomeJournal(OutcomeJournal.disabled()).idleBackoff(quick).errorBackoff(quick)
                .reportRetries(3, quick).shutdownGrace(Duration.ofSeconds(1)).build().start();
    }

    @AfterEach
    void theWorkerStillServesAGoodJob() {
        try {
            assertThat(worker.isRunning()).isTrue();
            S3Mock.put(prefix + "good.zip", Zips.zipText("readme.txt", "fine"));
            String good = UUID.randomUUID().toString();
            offer(good, jobData(good, d -> { }));
            JsonNode success = awaitRequest("PutJobSuccessResult", good);
            assertThat(success.path("executionDetails").path("summary").asText()).isEqualTo("copied 1 files");
            assertThat(Zips.unzipTexts(S3Mock.get(prefix + "good-out.zip"))).containsEntry("readme.txt", "fine");
        } finally {
            worker.close();
        }
    }

    @Test
    void inputArtifactWithoutLocation() {
        String jobId = UUID.randomUUID().toString();
        offer(jobId, jobData(jobId, d -> ((ObjectNode) d.path("inputArtifacts").get(0)).remove("location")));
        JsonNode failure = awaitRequest("PutJobFailureResult", jobId).path("failureDetails");
        assertThat(failure.path("type").asText()).isEqualTo("JobFailed");
        assertThat(failure.path("message").asText())
                .isEqualTo("malformed job data: the input artifact 'Src' has no S3 location");
    }

    @Test
    void outputArtifactWithoutObjectKey() {
        String jobId = UUID.randomUUID().toString();
        offer(jobId, jobData(jobId, d -> ((ObjectNode) d.path("outputArtifacts").get(0).path("location")
                .path("s3Location")).remove("objectKey")));
        JsonNode failure = awaitRequest("PutJobFailureResult", jobId).path("failureDetails");
        assertThat(failure.path("type").asText()).isEqualTo("JobFailed");
        assertThat(failure.path("message").asText())
                .isEqualTo("malformed job data: the output artifact 'Out' has no S3 location");
    }

    @Test
    void jobWithoutArtifactCredentials() {
        String jobId = UUID.randomUUID().toString();
        ObjectNode data = jobData(jobId, d -> d.remove("artifactCredentials"));
        // The store asks CodePipeline again (GetJobDetails) before it gives up; the answer has none either.
        ObjectNode details = JSON.createObjectNode();
        details.putObject("jobDetails").put("id", jobId).put("accountId", "123456789012").set("data", data);
        wm.stubFor(call("GetJobDetails").withRequestBody(matchingJsonPath("$.jobId", equalTo(jobId)))
                .willReturn(ok(details)));
        offer(jobId, data);
        JsonNode failure = awaitRequest("PutJobFailureResult", jobId).path("failureDetails");
        assertThat(failure.path("type").asText()).isEqualTo("PermissionError");
        assertThat(failure.path("message").asText()).isEqualTo("Job " + jobId + " has no artifact credentials");
        assertThat(requests("GetJobDetails", jobId)).hasSize(1);
    }

    // ------------------------------------------------------------------ helpers

    private static MappingBuilder call(String operation) {
        return post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(TARGET + operation));
    }

    private static ResponseDefinitionBuilder ok(JsonNode body) {
        return aResponse().withStatus(200).withHeader("Content-Type", JSON_TYPE).withBody(body.toString());
    }

    /** The next poll hands out this job, once. */
    private void offer(String jobId, ObjectNode data) {
        ObjectNode body = JSON.createObjectNode();
        body.putArray("jobs").addObject().put("id", jobId).put("nonce", "nonce-" + jobId)
                .put("accountId", "123456789012").set("data", data);
        String scenario = "offer-" + (++scenarios);
        wm.stubFor(call("PollForJobs").atPriority(1).inScenario(scenario)
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("offered").willReturn(ok(body)));
    }

    /** Good job data for the Copy handler (input Src, output Out on S3Mock, credentials), then {@code change}. */
    private ObjectNode jobData(String jobId, Consumer<ObjectNode> change) {
        ObjectNode data = JSON.createObjectNode();
        data.putObject("actionTypeId").put("category", "Deploy").put("owner", "Custom")
                .put("provider", TYPE.provider()).put("version", TYPE.version());
        data.putObject("actionConfiguration").putObject("configuration").put("Target", "prod");
        ObjectNode pipeline = data.putObject("pipelineContext").put("pipelineName", "p");
        pipeline.putObject("stage").put("name", "S");
        pipeline.putObject("action").put("name", "A").put("actionExecutionId", "exec-" + jobId);
        artifact(data.putArray("inputArtifacts").addObject(), "Src", prefix + "good.zip");
        artifact(data.putArray("outputArtifacts").addObject(), "Out", prefix + "good-out.zip");
        data.putObject("artifactCredentials").put("accessKeyId", "ASIAMALFORMEDTEST")
                .put("secretAccessKey", "malformed-secret").put("sessionToken", "malformed-token");
        change.accept(data);
        return data;
    }

    private static void artifact(ObjectNode node, String name, String key) {
        node.put("name", name).putObject("location").put("type", "S3").putObject("s3Location")
                .put("bucketName", S3Mock.BUCKET).put("objectKey", key);
    }

    private List<JsonNode> requests(String operation, String jobId) {
        return wm.findAll(postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(TARGET + operation)))
                .stream().map(r -> {
                    try {
                        return JSON.readTree(r.getBodyAsString());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }).filter(b -> jobId.equals(b.path("jobId").asText())).toList();
    }

    private JsonNode awaitRequest(String operation, String jobId) {
        await(operation + " for " + jobId).atMost(WAIT).until(() -> !requests(operation, jobId).isEmpty());
        List<JsonNode> found = requests(operation, jobId);
        assertThat(found).as("%s for %s sent once", operation, jobId).hasSize(1);
        return found.get(0);
    }
}

package dev.pipelineworker.it;

import static dev.pipelineworker.it.CodePipelineWireMock.ACK_THIRD_PARTY;
import static dev.pipelineworker.it.CodePipelineWireMock.serverError;
import static dev.pipelineworker.it.CodePipelineWireMock.ACTION;
import static dev.pipelineworker.it.CodePipelineWireMock.BUCKET;
import static dev.pipelineworker.it.CodePipelineWireMock.CLIENT_ID;
import static dev.pipelineworker.it.CodePipelineWireMock.CLIENT_TOKEN;
import static dev.pipelineworker.it.CodePipelineWireMock.GET_THIRD_PARTY_DETAILS;
import static dev.pipelineworker.it.CodePipelineWireMock.KMS_KEY;
import static dev.pipelineworker.it.CodePipelineWireMock.OTHER_CLIENT_ID;
import static dev.pipelineworker.it.CodePipelineWireMock.OTHER_CLIENT_TOKEN;
import static dev.pipelineworker.it.CodePipelineWireMock.PIPELINE;
import static dev.pipelineworker.it.CodePipelineWireMock.POLL_THIRD_PARTY;
import static dev.pipelineworker.it.CodePipelineWireMock.PUT_THIRD_PARTY_FAILURE;
import static dev.pipelineworker.it.CodePipelineWireMock.PUT_THIRD_PARTY_SUCCESS;
import static dev.pipelineworker.it.CodePipelineWireMock.STAGE;
import static dev.pipelineworker.it.CodePipelineWireMock.THIRD_PARTY_TYPE;
import static dev.pipelineworker.it.CodePipelineWireMock.ackStatus;
import static dev.pipelineworker.it.CodePipelineWireMock.await;
import static dev.pipelineworker.it.CodePipelineWireMock.awsError;
import static dev.pipelineworker.it.CodePipelineWireMock.jobData;
import static dev.pipelineworker.it.CodePipelineWireMock.ok;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipelineworker.Artifact;
import dev.pipelineworker.EncryptionKey;
import dev.pipelineworker.JobContext;
import dev.pipelineworker.JobHandler;
import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.PipelineContext;
import dev.pipelineworker.S3Location;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The third-party claim flow over HTTP: poll, details with the client token, acknowledge with the nonce, report. */
class ThirdPartyFlowTest extends WireMockCodePipelineTest {




    /** What the handler saw, copied out of the context. */
    record Seen(String jobId, PipelineContext pipeline, Map<String, String> configuration, List<Artifact> inputs,
                List<Artifact> outputs, EncryptionKey key, String actionType) {
        static Seen of(JobContext c) {
            return new Seen(c.jobId(), c.pipeline(), c.configuration().asMap(), c.inputArtifacts(),
                    c.outputArtifacts(), c.encryptionKey().orElse(null), c.actionTypeId().toString());
        }
    }

    @Test
    void claimsRunsAndReportsAThirdPartyJob() throws Exception {
        // The job belongs to the second client, so a worker that sent the wrong token would be caught.
        cp.stubThirdPartyJob("tp-job-1", OTHER_CLIENT_ID, "nonce-from-details",
                jobData(THIRD_PARTY_TYPE, "exec-1", Map.of("ProjectName", "acme-web", "Mode", "release"), null));
        AtomicReference<Seen> seen = new AtomicReference<>();
        CountDownLatch release = new CountDownLatch(1);
        JobHandler handler = context -> {
            seen.set(Seen.of(context));
            assertThat(release.await(5, TimeUnit.SECONDS)).isTrue();
            return JobOutcome.success("built acme-web").withExternalExecutionId("build-777").withPercentComplete(100);
        };
        cp.start(cp.thirdPartyWorker(handler).maxConcurrentJobs(3));

        // The first poll asks for all three free slots.
        cp.awaitCalls(POLL_THIRD_PARTY, 1);
        JsonNode firstPoll = cp.requests(POLL_THIRD_PARTY).get(0);
        assertThat(firstPoll.path("maxBatchSize").asInt()).isEqualTo(3);
        assertThat(firstPoll.path("actionTypeId").path("category").asText()).isEqualTo("Build");
        assertThat(firstPoll.path("actionTypeId").path("owner").asText()).isEqualTo("ThirdParty");
        assertThat(firstPoll.path("actionTypeId").path("provider").asText()).isEqualTo("AcmeBuild");
        assertThat(firstPoll.path("actionTypeId").path("version").asText()).isEqualTo("1");

        // While the job runs, polls ask only for the two slots left.
        await("a poll while the job runs", () -> seen.get() != null);
        int pollsSoFar = cp.requests(POLL_THIRD_PARTY).size();
        cp.awaitCalls(POLL_THIRD_PARTY, pollsSoFar + 1);
        List<JsonNode> polls = cp.requests(POLL_THIRD_PARTY);
        assertThat(polls.subList(pollsSoFar, polls.size())).allSatisfy(
                poll -> assertThat(poll.path("maxBatchSize").asInt()).isEqualTo(2));
        release.countDown();

        JsonNode details = cp.awaitRequest(GET_THIRD_PARTY_DETAILS, "tp-job-1");
        assertThat(details.path("clientToken").asText()).isEqualTo(OTHER_CLIENT_TOKEN);
        JsonNode ack = cp.awaitRequest(ACK_THIRD_PARTY, "tp-job-1");
        assertThat(ack.path("nonce").asText()).isEqualTo("nonce-from-details");
        assertThat(ack.path("clientToken").asText()).isEqualTo(OTHER_CLIENT_TOKEN);

        Seen job = seen.get();
        assertThat(job.jobId()).isEqualTo("tp-job-1");
        assertThat(job.actionType()).isEqualTo("Build/ThirdParty/AcmeBuild/1");
        assertThat(job.pipeline().pipelineName()).isEqualTo(PIPELINE);
        assertThat(job.pipeline().stageName()).isEqualTo(STAGE);
        assertThat(job.pipeline().actionName()).isEqualTo(ACTION);
        assertThat(job.pipeline().actionExecutionId()).isEqualTo("exec-1");
        assertThat(job.pipeline().pipelineArn()).endsWith(":" + PIPELINE);
        assertThat(job.configuration()).containsExactlyInAnyOrderEntriesOf(
                Map.of("ProjectName", "acme-web", "Mode", "release"));
        assertThat(job.inputs()).containsExactly(Artifact.of("SourceOutput",
                S3Location.of(BUCKET, "acme-pipeline/SourceOutp/in.zip")).withRevision("rev-abc123"));
        assertThat(job.outputs()).containsExactly(Artifact.of("BuildOutput",
                S3Location.of(BUCKET, "acme-pipeline/BuildOutpu/out.zip")));
        assertThat(job.key()).isEqualTo(EncryptionKey.kms(KMS_KEY));

        JsonNode put = cp.awaitRequest(PUT_THIRD_PARTY_SUCCESS, "tp-job-1");
        assertThat(put.path("clientToken").asText()).isEqualTo(OTHER_CLIENT_TOKEN);
        assertThat(put.path("executionDetails").path("summary").asText()).isEqualTo("built acme-web");
        assertThat(put.path("executionDetails").path("externalExecutionId").asText()).isEqualTo("build-777");
        assertThat(put.path("executionDetails").path("percentComplete").asInt()).isEqualTo(100);
        assertThat(put.has("continuationToken")).isFalse();
        assertThat(put.has("currentRevision")).isFalse();
        await("succeeded event", () -> cp.listener().has("succeeded:tp-job-1"));
        assertThat(cp.listener().events()).contains("claimed:tp-job-1");
        assertThat(cp.requests(PUT_THIRD_PARTY_SUCCESS)).hasSize(1);
        assertThat(cp.requests(PUT_THIRD_PARTY_FAILURE)).isEmpty();
        // Exactly one details and one acknowledge call: the claim is not repeated.
        assertThat(cp.requests(GET_THIRD_PARTY_DETAILS)).hasSize(1);
        assertThat(cp.requests(ACK_THIRD_PARTY)).hasSize(1);
    }

    @Test
    void usesTheTokenOfTheJobsOwnClient() {
        cp.stubThirdPartyJob("tp-job-a", CLIENT_ID, "nonce-a", jobData(THIRD_PARTY_TYPE, "exec-a", Map.of(), null));
        cp.start(cp.thirdPartyWorker(context -> JobOutcome.success()));

        assertThat(cp.awaitRequest(GET_THIRD_PARTY_DETAILS, "tp-job-a").path("clientToken").asText())
                .isEqualTo(CLIENT_TOKEN);
        JsonNode put = cp.awaitRequest(PUT_THIRD_PARTY_SUCCESS, "tp-job-a");
        assertThat(put.path("clientToken").asText()).isEqualTo(CLIENT_TOKEN);
        // A success with no details sends no executionDetails member at all.
        assertThat(put.has("executionDetails")).isFalse();
    }

    @Test
    void aJobAcknowledgedByAnotherWorkerIsNotRun() {
        cp.stubThirdPartyJob("tp-raced", CLIENT_ID, "nonce-used", jobData(THIRD_PARTY_TYPE, "exec-r", Map.of(), null));
        cp.stubForJob(ACK_THIRD_PARTY, "tp-raced", awsError("InvalidNonceException", "the nonce was already used"));
        AtomicInteger runs = new AtomicInteger();
        cp.start(cp.thirdPartyWorker(context -> {
            runs.incrementAndGet();
            return JobOutcome.success();
        }));

        await("lostToOtherWorker", () -> cp.listener().has("lost:tp-raced"));
        JsonNode ack = cp.requests(ACK_THIRD_PARTY, "tp-raced").get(0);
        assertThat(ack.path("nonce").asText()).isEqualTo("nonce-used");
        // The worker keeps polling after losing the race.
        int polls = cp.requests(POLL_THIRD_PARTY).size();
        cp.awaitCalls(POLL_THIRD_PARTY, polls + 2);

        assertThat(runs).hasValue(0);
        assertThat(cp.allReports()).isEmpty();
        assertThat(cp.listener().events()).doesNotContain("claimed:tp-raced")
                .noneMatch(e -> e.startsWith("handlerFinished:"));
        // InvalidNonceException is a modelled 400: neither the SDK nor the worker retries the acknowledgement.
        assertThat(cp.requests(ACK_THIRD_PARTY)).hasSize(1);
    }

    @Test
    void aNonceRefusedOnlyAfterTheSdkRetriedOurOwnAcknowledgementStillClaimsTheJob() {
        cp.stubThirdPartyJob("tp-ack-lost", CLIENT_ID, "nonce-1", jobData(THIRD_PARTY_TYPE, "exec-l", Map.of(), null));
        cp.stubSequence(ACK_THIRD_PARTY, serverError(500),
                awsError("InvalidNonceException", "the nonce was already used"));
        cp.start(cp.thirdPartyWorker(context -> JobOutcome.success("ran once")));

        await("success reported", () -> cp.listener().has("succeeded:tp-ack-lost"));

        assertThat(cp.requests(ACK_THIRD_PARTY)).hasSize(2);
        assertThat(cp.requests(PUT_THIRD_PARTY_SUCCESS)).singleElement()
                .satisfies(put -> assertThat(put.path("executionDetails").path("summary").asText()).isEqualTo("ran once"));
    }

    @Test
    void aJobAcknowledgedWithAStatusOtherThanInProgressIsNotRun() {
        cp.stubThirdPartyJob("tp-done", CLIENT_ID, "nonce-d", jobData(THIRD_PARTY_TYPE, "exec-d", Map.of(), null));
        cp.stubForJob(ACK_THIRD_PARTY, "tp-done", ok(ackStatus("Succeeded")));
        AtomicInteger runs = new AtomicInteger();
        cp.start(cp.thirdPartyWorker(context -> {
            runs.incrementAndGet();
            return JobOutcome.success();
        }));

        await("lostToOtherWorker", () -> cp.listener().has("lost:tp-done"));
        int polls = cp.requests(POLL_THIRD_PARTY).size();
        cp.awaitCalls(POLL_THIRD_PARTY, polls + 2);
        assertThat(runs).hasValue(0);
        assertThat(cp.allReports()).isEmpty();
        assertThat(cp.listener().events()).doesNotContain("claimed:tp-done");
    }

    @Test
    void aJobOfAnUnknownClientIsLeftForOtherWorkers() {
        cp.stubSequence(POLL_THIRD_PARTY, ok(CodePipelineWireMock.jobs(
                CodePipelineWireMock.thirdPartyJob("tp-foreign", "client-unknown"))));
        AtomicInteger runs = new AtomicInteger();
        cp.start(cp.thirdPartyWorker(context -> {
            runs.incrementAndGet();
            return JobOutcome.success();
        }));

        await("the poll that returned the job", () -> cp.listener().has("polled:8:1"));
        cp.awaitCalls(POLL_THIRD_PARTY, 3);
        // Without a token the worker neither reads the details nor acknowledges the job.
        assertThat(cp.requests(GET_THIRD_PARTY_DETAILS)).isEmpty();
        assertThat(cp.requests(ACK_THIRD_PARTY)).isEmpty();
        assertThat(runs).hasValue(0);
        assertThat(cp.allReports()).isEmpty();
    }

    @Test
    void aJobWithMalformedDataIsClaimedAndFailedWithoutRunningTheHandler() {
        com.fasterxml.jackson.databind.node.ObjectNode data = jobData(THIRD_PARTY_TYPE, "exec-m", Map.of(), null);
        ((com.fasterxml.jackson.databind.node.ObjectNode) data.get("inputArtifacts").get(0)).remove("location");
        cp.stubThirdPartyJob("tp-malformed", CLIENT_ID, "nonce-m", data);
        AtomicInteger runs = new AtomicInteger();
        cp.start(cp.thirdPartyWorker(context -> {
            runs.incrementAndGet();
            return JobOutcome.success();
        }));

        JsonNode failure = cp.awaitRequest(PUT_THIRD_PARTY_FAILURE, "tp-malformed").path("failureDetails");
        assertThat(failure.path("type").asText()).isEqualTo("JobFailed");
        assertThat(failure.path("message").asText())
                .isEqualTo("malformed job data: the input artifact 'SourceOutput' has no S3 location");
        // It was acknowledged first, so it is this worker's to fail rather than to leave hanging.
        assertThat(cp.requests(ACK_THIRD_PARTY, "tp-malformed")).hasSize(1);
        assertThat(runs).hasValue(0);
        assertThat(cp.requests(PUT_THIRD_PARTY_FAILURE)).hasSize(1);
    }

    @Test
    void doesNotPollWhileEverySlotIsBusy() throws Exception {
        cp.stubThirdPartyJob("tp-busy", CLIENT_ID, "nonce-b", jobData(THIRD_PARTY_TYPE, "exec-b", Map.of(), null));
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        cp.start(cp.thirdPartyWorker(context -> {
            started.countDown();
            assertThat(release.await(5, TimeUnit.SECONDS)).isTrue();
            return JobOutcome.success();
        }).maxConcurrentJobs(1));

        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        int polls = cp.requests(POLL_THIRD_PARTY).size();
        Thread.sleep(200);
        assertThat(cp.requests(POLL_THIRD_PARTY)).as("polls while the only slot is busy").hasSize(polls);
        release.countDown();

        cp.awaitRequest(PUT_THIRD_PARTY_SUCCESS, "tp-busy");
        cp.awaitCalls(POLL_THIRD_PARTY, polls + 1);
        assertThat(cp.requests(POLL_THIRD_PARTY)).allSatisfy(
                poll -> assertThat(poll.path("maxBatchSize").asInt()).isEqualTo(1));
    }
}

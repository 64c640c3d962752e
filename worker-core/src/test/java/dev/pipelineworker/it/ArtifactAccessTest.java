package dev.pipelineworker.it;

import static dev.pipelineworker.it.CodePipelineWireMock.CLIENT_ID;
import static dev.pipelineworker.it.CodePipelineWireMock.CLIENT_TOKEN;
import static dev.pipelineworker.it.CodePipelineWireMock.CUSTOM_TYPE;
import static dev.pipelineworker.it.CodePipelineWireMock.GET_THIRD_PARTY_DETAILS;
import static dev.pipelineworker.it.CodePipelineWireMock.KMS_KEY;
import static dev.pipelineworker.it.CodePipelineWireMock.POLL_CUSTOM;
import static dev.pipelineworker.it.CodePipelineWireMock.POLL_THIRD_PARTY;
import static dev.pipelineworker.it.CodePipelineWireMock.PUT_CUSTOM_SUCCESS;
import static dev.pipelineworker.it.CodePipelineWireMock.PUT_THIRD_PARTY_FAILURE;
import static dev.pipelineworker.it.CodePipelineWireMock.PUT_THIRD_PARTY_SUCCESS;
import static dev.pipelineworker.it.CodePipelineWireMock.THIRD_PARTY_TYPE;
import static dev.pipelineworker.it.CodePipelineWireMock.customJob;
import static dev.pipelineworker.it.CodePipelineWireMock.jobData;
import static dev.pipelineworker.it.CodePipelineWireMock.jobs;
import static dev.pipelineworker.it.CodePipelineWireMock.ok;
import static dev.pipelineworker.it.CodePipelineWireMock.thirdPartyDetails;
import static dev.pipelineworker.it.CodePipelineWireMock.thirdPartyJob;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipelineworker.ArtifactAccess;
import dev.pipelineworker.ArtifactCredentials;
import dev.pipelineworker.ArtifactStore;
import dev.pipelineworker.ArtifactStoreFactory;
import dev.pipelineworker.JobOutcome;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** What the artifact store factory is handed, and refreshing the job's credentials over the wire. */
class ArtifactAccessTest extends WireMockCodePipelineTest {


    private final List<ArtifactAccess> opened = new CopyOnWriteArrayList<>();
    private final AtomicInteger closed = new AtomicInteger();

    /** Records what it is handed; the store itself holds nothing. */
    private final ArtifactStoreFactory recording = access -> {
        opened.add(access);
        return new ArtifactStore() {
            @Override
            public InputStream openInput(String artifactName) {
                return InputStream.nullInputStream();
            }

            @Override
            public void writeOutput(String artifactName, InputStream content, long contentLength) {
            }

            @Override
            public void close() {
                closed.incrementAndGet();
            }
        };
    };


    private static ObjectNode withCredentials(ObjectNode data, String accessKey) {
        ((ObjectNode) data.get("artifactCredentials")).put("accessKeyId", accessKey);
        return data;
    }

    @Test
    void aThirdPartyJobsStoreGetsItsCredentialsAndCanRefreshThem() {
        // The first details call (the claim) hands out old credentials; any later call fresh ones.
        cp.stubForJob(GET_THIRD_PARTY_DETAILS, "tp-art", ok(thirdPartyDetails("tp-art", "nonce-2",
                withCredentials(jobData(THIRD_PARTY_TYPE, "exec-a", Map.of(), null), "ASIAFRESH"))));
        cp.stubSequence(POLL_THIRD_PARTY, ok(jobs(thirdPartyJob("tp-art", CLIENT_ID))));
        cp.stubSequence(GET_THIRD_PARTY_DETAILS, ok(thirdPartyDetails("tp-art", "nonce-1",
                withCredentials(jobData(THIRD_PARTY_TYPE, "exec-a", Map.of(), null), "ASIAOLD"))));
        AtomicReference<ArtifactCredentials> refreshed = new AtomicReference<>();
        cp.start(cp.thirdPartyWorker(context -> {
            context.artifacts();
            refreshed.set(opened.get(0).refresher().refresh());
            return JobOutcome.success();
        }).artifactStoreFactory(recording));

        cp.awaitRequest(PUT_THIRD_PARTY_SUCCESS, "tp-art");
        assertThat(opened).hasSize(1);
        ArtifactAccess access = opened.get(0);
        assertThat(access.jobId()).isEqualTo("tp-art");
        assertThat(access.credentials().accessKeyId()).isEqualTo("ASIAOLD");
        assertThat(access.credentials().secretAccessKey()).isEqualTo("job-secret-access-key");
        assertThat(access.credentials().sessionToken()).isEqualTo("job-session-token");
        assertThat(access.encryptionKey().id()).isEqualTo(KMS_KEY);
        assertThat(access.inputArtifacts()).extracting(a -> a.name()).containsExactly("SourceOutput");
        assertThat(access.outputArtifacts()).extracting(a -> a.name()).containsExactly("BuildOutput");

        assertThat(refreshed.get().accessKeyId()).isEqualTo("ASIAFRESH");
        List<JsonNode> detailCalls = cp.requests(GET_THIRD_PARTY_DETAILS, "tp-art");
        assertThat(detailCalls).hasSize(2)
                .allSatisfy(call -> assertThat(call.path("clientToken").asText()).isEqualTo(CLIENT_TOKEN));
        assertThat(closed).as("store closed when the job ended").hasValue(1);
    }

    @Test
    void aCustomJobRefreshesWithGetJobDetails() {
        String jobId = "3c2b1a09-8f7e-4d6c-9b5a-493827161504";
        cp.stubSequence(POLL_CUSTOM, ok(jobs(customJob(jobId, "nonce-c", "111122223333",
                withCredentials(jobData(CUSTOM_TYPE, "exec-c", Map.of(), null), "ASIAOLD")))));
        ObjectNode fresh = CodePipelineWireMock.JSON.createObjectNode();
        fresh.putObject("jobDetails").put("id", jobId).put("accountId", "111122223333")
                .set("data", withCredentials(jobData(CUSTOM_TYPE, "exec-c", Map.of(), null), "ASIAFRESH"));
        cp.stubForJob("GetJobDetails", jobId, ok(fresh));
        AtomicReference<ArtifactCredentials> refreshed = new AtomicReference<>();
        cp.start(cp.customWorker(context -> {
            context.artifacts();
            refreshed.set(opened.get(0).refresher().refresh());
            return JobOutcome.success();
        }).artifactStoreFactory(recording));

        cp.awaitRequest(PUT_CUSTOM_SUCCESS, jobId);
        assertThat(opened.get(0).credentials().accessKeyId()).isEqualTo("ASIAOLD");
        assertThat(refreshed.get().accessKeyId()).isEqualTo("ASIAFRESH");
        assertThat(cp.requests("GetJobDetails", jobId)).hasSize(1);
    }

    @Test
    void aHandlerThatNeverTouchesArtifactsOpensNoStore() {
        cp.stubThirdPartyJob("tp-no-art", CLIENT_ID, "nonce-1", jobData(THIRD_PARTY_TYPE, "exec-n", Map.of(), null));
        cp.start(cp.thirdPartyWorker(context -> JobOutcome.success()).artifactStoreFactory(recording));

        cp.awaitRequest(PUT_THIRD_PARTY_SUCCESS, "tp-no-art");
        assertThat(opened).isEmpty();
        assertThat(closed).hasValue(0);
    }

    @Test
    void withoutAStoreTouchingArtifactsFailsTheJobSayingWhatToAdd() {
        cp.stubThirdPartyJob("tp-no-store", CLIENT_ID, "nonce-1", jobData(THIRD_PARTY_TYPE, "exec-s", Map.of(), null));
        cp.start(cp.thirdPartyWorker(context -> {
            context.artifacts();
            return JobOutcome.success();
        }));

        JsonNode failure = cp.awaitRequest(PUT_THIRD_PARTY_FAILURE, "tp-no-store").path("failureDetails");
        assertThat(failure.path("type").asText()).isEqualTo("JobFailed");
        assertThat(failure.path("message").asText()).contains("no artifact store is configured").contains("worker-s3");
    }
}

package dev.pipelineworker.it;

import static dev.pipelineworker.it.CodePipelineWireMock.ACK_THIRD_PARTY;
import static dev.pipelineworker.it.CodePipelineWireMock.PUT_THIRD_PARTY_FAILURE;
import static dev.pipelineworker.it.CodePipelineWireMock.PUT_THIRD_PARTY_SUCCESS;
import static dev.pipelineworker.it.CodePipelineWireMock.awsError;
import static dev.pipelineworker.it.CodePipelineWireMock.jobData;
import static dev.pipelineworker.it.CodePipelineWireMock.serverError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipelineworker.JobOutcome;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Answers of the third-party claim flow that only a stub can give, because the testkit's LocalCodePipeline
 * (against which the integration-tests module runs the rest of the flow) keeps a consistent service state: a 500
 * for an acknowledgement that was applied, then a refusal of the SDK's retry for the spent nonce; and job data
 * without an artifact location, which its job specifications cannot express.
 */
class WireLevelAnswersTest extends WireMockCodePipelineTest {

    @Test
    void aNonceRefusedOnlyAfterTheSdkRetriedOurOwnAcknowledgementStillClaimsTheJob() {
        cp.stubThirdPartyJob("tp-ack-lost", "nonce-1", jobData("exec-l"));
        cp.stubSequence(ACK_THIRD_PARTY, serverError(500),
                awsError("InvalidNonceException", "the nonce was already used"));
        cp.start(cp.thirdPartyWorker(context -> JobOutcome.success("ran once")));

        cp.awaitSucceeded("tp-ack-lost");

        assertThat(cp.requests(ACK_THIRD_PARTY)).hasSize(2);
        assertThat(cp.requests(PUT_THIRD_PARTY_SUCCESS)).singleElement()
                .satisfies(put -> assertThat(put.path("executionDetails").path("summary").asText()).isEqualTo("ran once"));
    }

    @Test
    void aJobWithMalformedDataIsClaimedAndFailedWithoutRunningTheHandler() {
        ObjectNode data = jobData("exec-m");
        ((ObjectNode) data.get("inputArtifacts").get(0)).remove("location");
        cp.stubThirdPartyJob("tp-malformed", "nonce-m", data);
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
}

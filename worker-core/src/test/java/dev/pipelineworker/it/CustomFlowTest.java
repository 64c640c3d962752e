package dev.pipelineworker.it;

import static dev.pipelineworker.it.CodePipelineWireMock.ACK_CUSTOM;
import static dev.pipelineworker.it.CodePipelineWireMock.CUSTOM_TYPE;
import static dev.pipelineworker.it.CodePipelineWireMock.POLL_CUSTOM;
import static dev.pipelineworker.it.CodePipelineWireMock.PUT_CUSTOM_FAILURE;
import static dev.pipelineworker.it.CodePipelineWireMock.PUT_CUSTOM_SUCCESS;
import static dev.pipelineworker.it.CodePipelineWireMock.await;
import static dev.pipelineworker.it.CodePipelineWireMock.customJob;
import static dev.pipelineworker.it.CodePipelineWireMock.jobData;
import static dev.pipelineworker.it.CodePipelineWireMock.jobs;
import static dev.pipelineworker.it.CodePipelineWireMock.ok;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobOutcome;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The custom-action flow over HTTP: whole jobs from the poll, acknowledge with the nonce, report with output variables. */
class CustomFlowTest extends WireMockCodePipelineTest {


    private static final String JOB_ID = "0f3c8a52-7d2b-4c1e-9a61-2b7f1e4d9c01";
    private static final String FAILING_JOB_ID = "6a1d2e3f-4b5c-4d6e-8f70-8192a3b4c5d6";
    private static final String DENIED_JOB_ID = "9b8a7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d";
    private static final String ACCOUNT = "111122223333";



    @Test
    void claimsACustomJobAndReportsOutputVariables() {
        cp.stubSequence(POLL_CUSTOM, ok(jobs(customJob(JOB_ID, "custom-nonce-1", ACCOUNT,
                jobData(CUSTOM_TYPE, "exec-c1", Map.of("Environment", "prod"), null)))));
        AtomicReference<String> seen = new AtomicReference<>();
        cp.start(cp.customWorker(context -> {
            seen.set(context.jobId() + "|" + context.accountId().orElseThrow() + "|" + context.configuration().requireString("Environment")
                    + "|" + context.actionTypeId() + "|" + context.pipeline().actionExecutionId());
            return JobOutcome.success("deployed").withOutputVariables(Map.of("DeployUrl", "https://prod.example",
                    "Version", "42"));
        }).maxConcurrentJobs(2));

        JsonNode put = cp.awaitRequest(PUT_CUSTOM_SUCCESS, JOB_ID);
        JsonNode poll = cp.requests(POLL_CUSTOM).get(0);
        assertThat(poll.path("maxBatchSize").asInt()).isEqualTo(2);
        assertThat(poll.path("actionTypeId").path("owner").asText()).isEqualTo("Custom");
        assertThat(poll.path("actionTypeId").path("category").asText()).isEqualTo("Deploy");
        assertThat(poll.has("queryParam")).isFalse();

        JsonNode ack = cp.requests(ACK_CUSTOM, JOB_ID).get(0);
        assertThat(ack.path("nonce").asText()).isEqualTo("custom-nonce-1");
        assertThat(ack.has("clientToken")).isFalse();

        assertThat(seen.get()).isEqualTo(JOB_ID + "|" + ACCOUNT + "|prod|Deploy/Custom/AcmeDeploy/2|exec-c1");
        assertThat(put.path("outputVariables").path("DeployUrl").asText()).isEqualTo("https://prod.example");
        assertThat(put.path("outputVariables").path("Version").asText()).isEqualTo("42");
        assertThat(put.path("executionDetails").path("summary").asText()).isEqualTo("deployed");
        assertThat(put.has("continuationToken")).isFalse();
        await("succeeded", () -> cp.listener().has("succeeded:" + JOB_ID));
        assertThat(cp.requests(PUT_CUSTOM_FAILURE)).isEmpty();
    }

    @Test
    void sendsTheQueryParam() {
        cp.start(cp.customWorker(context -> JobOutcome.success()).customQueryParam("Team", "payments"));

        cp.awaitCalls(POLL_CUSTOM, 1);
        assertThat(cp.requests(POLL_CUSTOM).get(0).path("queryParam").path("Team").asText()).isEqualTo("payments");
    }

    @Test
    void reportsHandlerFailuresWithTheirType() {
        // One job lacks a required configuration key, the other is refused by the handler.
        cp.stubSequence(POLL_CUSTOM, ok(jobs(
                customJob(FAILING_JOB_ID, "nonce-f", ACCOUNT, jobData(CUSTOM_TYPE, "exec-f", Map.of(), null)),
                customJob(DENIED_JOB_ID, "nonce-d", ACCOUNT, jobData(CUSTOM_TYPE, "exec-d",
                        Map.of("Environment", "prod"), null)))));
        cp.start(cp.customWorker(context -> {
            String environment = context.configuration().requireString("Environment");
            return JobOutcome.fail(FailureType.PERMISSION_ERROR, "no deploy rights for " + environment)
                    .withExternalExecutionId("audit-9");
        }));

        JsonNode config = cp.awaitRequest(PUT_CUSTOM_FAILURE, FAILING_JOB_ID).path("failureDetails");
        assertThat(config.path("type").asText()).isEqualTo("ConfigurationError");
        assertThat(config.path("message").asText()).contains("Environment").contains("required");

        JsonNode denied = cp.awaitRequest(PUT_CUSTOM_FAILURE, DENIED_JOB_ID).path("failureDetails");
        assertThat(denied.path("type").asText()).isEqualTo("PermissionError");
        assertThat(denied.path("message").asText()).isEqualTo("no deploy rights for prod");
        assertThat(denied.path("externalExecutionId").asText()).isEqualTo("audit-9");

        assertThat(cp.requests(ACK_CUSTOM)).hasSize(2);
        assertThat(cp.requests(PUT_CUSTOM_SUCCESS)).isEmpty();
        await("failed events", () -> cp.listener().has("failed:" + FAILING_JOB_ID + ":ConfigurationError")
                && cp.listener().has("failed:" + DENIED_JOB_ID + ":PermissionError"));
    }
}

package dev.pipelineworker.integration;

import static dev.pipelineworker.integration.EmulatorTestbed.ACCOUNT;
import static dev.pipelineworker.integration.EmulatorTestbed.CUSTOM_TYPE;
import static dev.pipelineworker.integration.EmulatorTestbed.job;
import static dev.pipelineworker.testkit.emulator.Operation.ACKNOWLEDGE_JOB;
import static dev.pipelineworker.testkit.emulator.Operation.POLL_FOR_JOBS;
import static dev.pipelineworker.testkit.emulator.Operation.PUT_JOB_FAILURE_RESULT;
import static dev.pipelineworker.testkit.emulator.Operation.PUT_JOB_SUCCESS_RESULT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.testkit.emulator.JobInfo;
import dev.pipelineworker.testkit.emulator.JobState;
import dev.pipelineworker.testkit.emulator.RecordedCall;
import dev.pipelineworker.testkit.emulator.RecordedResult;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The custom-action flow on the emulator: whole jobs from the poll, acknowledge with the nonce, report with output variables. */
class CustomFlowTest extends EmulatorTest {

    @Test
    void claimsACustomJobAndReportsOutputVariables() {
        JobInfo job = cp.enqueue(job(CUSTOM_TYPE, "exec-c1").configuration("Environment", "prod"));
        AtomicReference<String> seen = new AtomicReference<>();
        cp.start(cp.customWorker(context -> {
            seen.set(context.jobId() + "|" + context.accountId().orElseThrow() + "|" + context.configuration().requireString("Environment")
                    + "|" + context.actionTypeId() + "|" + context.pipeline().actionExecutionId());
            return JobOutcome.success("deployed").withOutputVariables(Map.of("DeployUrl", "https://prod.example",
                    "Version", "42"));
        }).maxConcurrentJobs(2));

        JsonNode put = cp.awaitCall(PUT_JOB_SUCCESS_RESULT, job.jobId());
        JsonNode poll = cp.bodies(POLL_FOR_JOBS).get(0);
        assertThat(poll.path("maxBatchSize").asInt()).isEqualTo(2);
        assertThat(poll.path("actionTypeId").path("owner").asText()).isEqualTo("Custom");
        assertThat(poll.path("actionTypeId").path("category").asText()).isEqualTo("Deploy");
        assertThat(poll.has("queryParam")).isFalse();

        // The emulator accepts only the nonce the poll handed out.
        assertThat(cp.calls(ACKNOWLEDGE_JOB, job.jobId())).singleElement().satisfies(ack -> {
            assertThat(ack.succeeded()).isTrue();
            assertThat(EmulatorTestbed.body(ack).path("nonce").asText()).isNotBlank();
            assertThat(EmulatorTestbed.body(ack).has("clientToken")).isFalse();
        });

        assertThat(seen.get()).isEqualTo(job.jobId() + "|" + ACCOUNT + "|prod|Deploy/Custom/AcmeDeploy/2|exec-c1");
        assertThat(put.path("outputVariables").path("DeployUrl").asText()).isEqualTo("https://prod.example");
        assertThat(cp.emulator().resultsForJob(job.jobId())).singleElement()
                .isInstanceOfSatisfying(RecordedResult.Success.class, success -> {
                    assertThat(success.outputVariables())
                            .containsExactlyInAnyOrderEntriesOf(Map.of("DeployUrl", "https://prod.example", "Version", "42"));
                    assertThat(success.executionDetails().summary()).isEqualTo("deployed");
                    assertThat(success.continuationToken()).isNull();
                });
        await("succeeded").until(() -> cp.listener().has("succeeded:" + job.jobId()));
        assertThat(cp.calls(PUT_JOB_FAILURE_RESULT)).isEmpty();
    }

    @Test
    void sendsTheQueryParam() {
        JobInfo payments = cp.enqueue(job(CUSTOM_TYPE, "exec-p").configuration("Team", "payments"));
        JobInfo search = cp.enqueue(job(CUSTOM_TYPE, "exec-s").configuration("Team", "search"));
        cp.start(cp.customWorker(context -> JobOutcome.success()).customQueryParam("Team", "payments"));

        cp.awaitCall(PUT_JOB_SUCCESS_RESULT, payments.jobId());
        assertThat(cp.bodies(POLL_FOR_JOBS)).allSatisfy(
                poll -> assertThat(poll.path("queryParam").path("Team").asText()).isEqualTo("payments"));
        // Every later poll carries the query too, so the emulator never hands out the other team's job.
        int polls = cp.calls(POLL_FOR_JOBS).size();
        cp.awaitCalls(POLL_FOR_JOBS, polls + 2);
        assertThat(cp.emulator().job(search.jobId())).get().satisfies(job -> {
            assertThat(job.state()).isEqualTo(JobState.Queued);
            assertThat(job.offerCount()).isZero();
        });
    }

    @Test
    void reportsHandlerFailuresWithTheirType() {
        // One job lacks a required configuration key, the other is refused by the handler.
        JobInfo failing = cp.enqueue(job(CUSTOM_TYPE, "exec-f"));
        JobInfo denied = cp.enqueue(job(CUSTOM_TYPE, "exec-d").configuration("Environment", "prod"));
        cp.start(cp.customWorker(context -> {
            String environment = context.configuration().requireString("Environment");
            return JobOutcome.fail(FailureType.PERMISSION_ERROR, "no deploy rights for " + environment)
                    .withExternalExecutionId("audit-9");
        }));

        cp.awaitCall(PUT_JOB_FAILURE_RESULT, failing.jobId());
        assertThat(cp.emulator().resultsForJob(failing.jobId())).singleElement()
                .isInstanceOfSatisfying(RecordedResult.Failure.class, config -> {
                    assertThat(config.type()).isEqualTo(FailureType.CONFIGURATION_ERROR);
                    assertThat(config.message()).contains("Environment").contains("required");
                });
        cp.awaitCall(PUT_JOB_FAILURE_RESULT, denied.jobId());
        assertThat(cp.emulator().resultsForJob(denied.jobId())).singleElement()
                .isInstanceOfSatisfying(RecordedResult.Failure.class, refused -> {
                    assertThat(refused.type()).isEqualTo(FailureType.PERMISSION_ERROR);
                    assertThat(refused.message()).isEqualTo("no deploy rights for prod");
                    assertThat(refused.externalExecutionId()).isEqualTo("audit-9");
                });

        assertThat(cp.calls(ACKNOWLEDGE_JOB)).hasSize(2).allMatch(RecordedCall::succeeded);
        assertThat(cp.calls(PUT_JOB_SUCCESS_RESULT)).isEmpty();
        await("failed events").until(() -> cp.listener().has("failed:" + failing.jobId() + ":ConfigurationError")
                && cp.listener().has("failed:" + denied.jobId() + ":PermissionError"));
    }
}

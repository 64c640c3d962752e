package dev.pipelineworker.it;

import static dev.pipelineworker.it.CodePipelineWireMock.CLIENT_ID;
import static dev.pipelineworker.it.CodePipelineWireMock.GET_THIRD_PARTY_DETAILS;
import static dev.pipelineworker.it.CodePipelineWireMock.POLL_THIRD_PARTY;
import static dev.pipelineworker.it.CodePipelineWireMock.PUT_THIRD_PARTY_FAILURE;
import static dev.pipelineworker.it.CodePipelineWireMock.PUT_THIRD_PARTY_SUCCESS;
import static dev.pipelineworker.it.CodePipelineWireMock.THIRD_PARTY_TYPE;
import static dev.pipelineworker.it.CodePipelineWireMock.await;
import static dev.pipelineworker.it.CodePipelineWireMock.jobData;
import static dev.pipelineworker.it.CodePipelineWireMock.jobs;
import static dev.pipelineworker.it.CodePipelineWireMock.ok;
import static dev.pipelineworker.it.CodePipelineWireMock.thirdPartyDetails;
import static dev.pipelineworker.it.CodePipelineWireMock.thirdPartyJob;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipelineworker.CurrentRevision;
import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobHandler;
import dev.pipelineworker.JobOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * What a handler returns is fitted to the CodePipeline model before it goes on the wire; what
 * cannot be sent becomes a failure that says why. Handler exceptions and timeouts become failures.
 */
class OutcomeComplianceTest extends WireMockCodePipelineTest {


    private static final String MARKER = "... [truncated]";



    /** One poll hands out a job per case; each job's configuration names its case. */
    private void stubCases(String... cases) {
        List<JsonNode> polled = new ArrayList<>();
        for (String c : cases) {
            cp.stubForJob(GET_THIRD_PARTY_DETAILS, c,
                    ok(thirdPartyDetails(c, "nonce-" + c, jobData(THIRD_PARTY_TYPE, "exec-" + c, Map.of("Case", c), null))));
            polled.add(thirdPartyJob(c, CLIENT_ID));
        }
        cp.stubSequence(POLL_THIRD_PARTY, ok(jobs(polled.toArray(JsonNode[]::new))));
    }

    private static JobOutcome outcomeFor(String c) {
        return switch (c) {
            case "long-summary" -> JobOutcome.success("s".repeat(10_000)).withExternalExecutionId("e".repeat(2_000));
            case "long-message" -> JobOutcome.fail(FailureType.JOB_FAILED, "m".repeat(6_000));
            case "percent-high" -> JobOutcome.success("done").withPercentComplete(250);
            case "percent-low" -> JobOutcome.success("done").withPercentComplete(-5);
            case "blank-summary" -> JobOutcome.success("   ");
            case "long-token" -> JobOutcome.continueWith("t".repeat(3_000));
            case "long-state" -> JobOutcome.continueWithState(Map.of("log", "x".repeat(3_000)));
            case "output-variables" -> JobOutcome.success().withOutputVariables(Map.of("Url", "https://x"));
            case "long-revision-summary" -> JobOutcome.success().withCurrentRevision(CurrentRevision.of("rev-1", "change-1")
                    .withCreated(Instant.ofEpochSecond(1_700_000_000L)).withRevisionSummary("r".repeat(3_000)));
            case "null-outcome" -> null;
            default -> throw new AssertionError(c);
        };
    }

    @Test
    void fitsEveryOutcomeToTheModel() {
        String[] cases = {"long-summary", "long-message", "percent-high", "percent-low", "blank-summary", "long-token",
                "long-state", "output-variables", "long-revision-summary", "null-outcome"};
        stubCases(cases);
        cp.start(cp.thirdPartyWorker(context -> outcomeFor(context.configuration().requireString("Case")))
                .maxConcurrentJobs(cases.length));
        await("a result for every case", () -> cp.allReports().size() >= cases.length);

        JsonNode summary = cp.requests(PUT_THIRD_PARTY_SUCCESS, "long-summary").get(0).path("executionDetails");
        assertThat(summary.path("summary").asText()).hasSize(2048).startsWith("sss").endsWith(MARKER);
        assertThat(summary.path("externalExecutionId").asText()).hasSize(1500).endsWith(MARKER);

        JsonNode message = failure("long-message");
        assertThat(message.path("type").asText()).isEqualTo("JobFailed");
        assertThat(message.path("message").asText()).hasSize(5000).startsWith("mmm").endsWith(MARKER);

        assertThat(cp.requests(PUT_THIRD_PARTY_SUCCESS, "percent-high").get(0)
                .path("executionDetails").path("percentComplete").asInt()).isEqualTo(100);
        assertThat(cp.requests(PUT_THIRD_PARTY_SUCCESS, "percent-low").get(0)
                .path("executionDetails").path("percentComplete").asInt()).isZero();
        // A blank summary is omitted, never sent empty.
        assertThat(cp.requests(PUT_THIRD_PARTY_SUCCESS, "blank-summary").get(0).has("executionDetails")).isFalse();

        assertThat(failure("long-token").path("type").asText()).isEqualTo("JobFailed");
        assertThat(failure("long-token").path("message").asText())
                .contains("continuation token is 3000 characters").contains("1-2048");
        assertThat(failure("long-state").path("message").asText()).contains("continuation state is")
                .contains("1-2048");
        assertThat(failure("output-variables").path("message").asText())
                .contains("output variables are only allowed on custom actions");
        assertThat(failure("null-outcome").path("message").asText()).isEqualTo("handler returned no outcome");

        JsonNode revision = cp.requests(PUT_THIRD_PARTY_SUCCESS, "long-revision-summary").get(0).path("currentRevision");
        assertThat(revision.path("revision").asText()).isEqualTo("rev-1");
        assertThat(revision.path("changeIdentifier").asText()).isEqualTo("change-1");
        assertThat(revision.path("created").isNumber()).isTrue();
        assertThat(revision.path("created").asLong()).isEqualTo(1_700_000_000L);
        assertThat(revision.path("revisionSummary").asText()).hasSize(2048).endsWith(MARKER);

        // Outcomes that cannot be sent are never attempted as successes.
        for (String c : List.of("long-token", "long-state", "output-variables", "null-outcome", "long-message")) {
            assertThat(cp.requests(PUT_THIRD_PARTY_SUCCESS, c)).as(c).isEmpty();
        }
        // Exactly one result per job.
        assertThat(cp.allReports()).hasSize(cases.length);
    }

    private JsonNode failure(String jobId) {
        List<JsonNode> puts = cp.requests(PUT_THIRD_PARTY_FAILURE, jobId);
        assertThat(puts).as("failure results for %s", jobId).hasSize(1);
        return puts.get(0).path("failureDetails");
    }

    @Test
    void aHandlerExceptionFailsTheJob() {
        stubCases("throws");
        cp.start(cp.thirdPartyWorker(context -> {
            throw new IllegalStateException("database unreachable");
        }));

        JsonNode details = cp.awaitRequest(PUT_THIRD_PARTY_FAILURE, "throws").path("failureDetails");
        assertThat(details.path("type").asText()).isEqualTo("JobFailed");
        assertThat(details.path("message").asText()).isEqualTo("handler failed: IllegalStateException: database unreachable");
        await("failed", () -> cp.listener().has("failed:throws:JobFailed"));
        // The poll loop survives the handler's exception.
        int polls = cp.requests(POLL_THIRD_PARTY).size();
        cp.awaitCalls(POLL_THIRD_PARTY, polls + 2);
    }

    @Test
    void aHandlerPastItsDeadlineIsReportedAsTimedOutAndInterrupted() {
        stubCases("slow");
        AtomicBoolean interrupted = new AtomicBoolean();
        JobHandler slow = context -> {
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException e) {
                interrupted.set(true);
                throw e;
            }
            return JobOutcome.success("too late");
        };
        cp.start(cp.thirdPartyWorker(slow).jobTimeout(Duration.ofMillis(300)));

        JsonNode details = cp.awaitRequest(PUT_THIRD_PARTY_FAILURE, "slow").path("failureDetails");
        assertThat(details.path("type").asText()).isEqualTo("JobFailed");
        assertThat(details.path("message").asText()).contains("timed out").contains("PT0.3S");
        await("handler interrupted", interrupted::get);
        int polls = cp.requests(POLL_THIRD_PARTY).size();
        cp.awaitCalls(POLL_THIRD_PARTY, polls + 2);
        // The handler's late exception does not produce a second result.
        assertThat(cp.allReports()).hasSize(1);
        assertThat(cp.listener().events()).contains("failed:slow:JobFailed");
    }
}

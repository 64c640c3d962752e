package dev.pipelineworker.it;

import static dev.pipelineworker.it.CodePipelineWireMock.CLIENT_ID;
import static dev.pipelineworker.it.CodePipelineWireMock.PUT_THIRD_PARTY_FAILURE;
import static dev.pipelineworker.it.CodePipelineWireMock.PUT_THIRD_PARTY_SUCCESS;
import static dev.pipelineworker.it.CodePipelineWireMock.THIRD_PARTY_TYPE;
import static dev.pipelineworker.it.CodePipelineWireMock.await;
import static dev.pipelineworker.it.CodePipelineWireMock.jobData;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipelineworker.JobOutcome;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A continuation chain end to end: typed state out in job 1's result, back in job 2's data. */
class ContinuationTest extends WireMockCodePipelineTest {


    /** The state carried from one job of the action execution to the next. */
    record BuildState(String externalBuildId, int checks, Instant startedAt) {
    }



    @Test
    void carriesTypedStateFromOneJobToTheNext() {
        BuildState state = new BuildState("ext-build-42", 3, Instant.parse("2025-01-02T03:04:05Z"));
        List<Optional<BuildState>> seen = new CopyOnWriteArrayList<>();
        cp.stubThirdPartyJob("tp-cont-1", CLIENT_ID, "nonce-1", jobData(THIRD_PARTY_TYPE, "exec-chain", Map.of(), null));
        cp.start(cp.thirdPartyWorker(context -> {
            Optional<BuildState> previous = context.continuationState(BuildState.class);
            seen.add(previous);
            if (previous.isEmpty()) {
                return JobOutcome.continueWithState(state).withSummary("build started")
                        .withExternalExecutionId(state.externalBuildId()).withPercentComplete(10);
            }
            return JobOutcome.success("build " + previous.get().externalBuildId() + " passed "
                    + previous.get().checks() + " checks");
        }));

        JsonNode first = cp.awaitRequest(PUT_THIRD_PARTY_SUCCESS, "tp-cont-1");
        String token = first.path("continuationToken").asText(null);
        assertThat(token).isNotBlank().hasSizeLessThanOrEqualTo(2048).contains("ext-build-42");
        assertThat(first.path("executionDetails").path("summary").asText()).isEqualTo("build started");
        assertThat(first.path("executionDetails").path("externalExecutionId").asText()).isEqualTo("ext-build-42");
        assertThat(first.path("executionDetails").path("percentComplete").asInt()).isEqualTo(10);
        await("continued", () -> cp.listener().has("continued:tp-cont-1"));

        // CodePipeline creates the next job of the same action execution, carrying the token.
        cp.stubThirdPartyJob("tp-cont-2", CLIENT_ID, "nonce-2", jobData(THIRD_PARTY_TYPE, "exec-chain", Map.of(), token));

        JsonNode second = cp.awaitRequest(PUT_THIRD_PARTY_SUCCESS, "tp-cont-2");
        assertThat(second.has("continuationToken")).isFalse();
        assertThat(second.path("executionDetails").path("summary").asText())
                .isEqualTo("build ext-build-42 passed 3 checks");
        assertThat(seen).containsExactly(Optional.empty(), Optional.of(state));
        await("succeeded", () -> cp.listener().has("succeeded:tp-cont-2"));
        assertThat(cp.requests(PUT_THIRD_PARTY_FAILURE)).isEmpty();
    }

    @Test
    void aPlainTokenIsSentAndReceivedAsIs() {
        List<Optional<String>> seen = new CopyOnWriteArrayList<>();
        cp.stubThirdPartyJob("tp-plain-1", CLIENT_ID, "nonce-1", jobData(THIRD_PARTY_TYPE, "exec-plain", Map.of(), null));
        cp.start(cp.thirdPartyWorker(context -> {
            seen.add(context.continuationToken());
            return context.continuationToken().isEmpty() ? JobOutcome.continueWith("poll-again:7")
                    : JobOutcome.success();
        }));

        String token = cp.awaitRequest(PUT_THIRD_PARTY_SUCCESS, "tp-plain-1").path("continuationToken").asText();
        assertThat(token).isEqualTo("poll-again:7");
        cp.stubThirdPartyJob("tp-plain-2", CLIENT_ID, "nonce-2", jobData(THIRD_PARTY_TYPE, "exec-plain", Map.of(), token));
        assertThat(cp.awaitRequest(PUT_THIRD_PARTY_SUCCESS, "tp-plain-2").has("continuationToken")).isFalse();
        assertThat(seen).containsExactly(Optional.empty(), Optional.of("poll-again:7"));
    }

    @Test
    void aForeignTokenReadAsTypedStateFailsTheJob() {
        cp.stubThirdPartyJob("tp-foreign-token", CLIENT_ID, "nonce-1",
                jobData(THIRD_PARTY_TYPE, "exec-f", Map.of(), "not-our-token"));
        cp.start(cp.thirdPartyWorker(context -> {
            context.continuationState(BuildState.class);
            return JobOutcome.success();
        }));

        JsonNode failure = cp.awaitRequest(PUT_THIRD_PARTY_FAILURE, "tp-foreign-token").path("failureDetails");
        assertThat(failure.path("type").asText()).isEqualTo("JobFailed");
        assertThat(failure.path("message").asText()).contains("not written by pipeline-worker");
    }
}

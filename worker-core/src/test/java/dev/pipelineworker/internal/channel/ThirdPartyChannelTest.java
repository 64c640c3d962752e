package dev.pipelineworker.internal.channel;

import static dev.pipelineworker.it.CodePipelineWireMock.CLIENT_ID;
import static dev.pipelineworker.it.CodePipelineWireMock.CLIENT_TOKEN;
import static dev.pipelineworker.it.CodePipelineWireMock.GET_THIRD_PARTY_DETAILS;
import static dev.pipelineworker.it.CodePipelineWireMock.JSON;
import static dev.pipelineworker.it.CodePipelineWireMock.POLL_THIRD_PARTY;
import static dev.pipelineworker.it.CodePipelineWireMock.PUT_THIRD_PARTY_FAILURE;
import static dev.pipelineworker.it.CodePipelineWireMock.PUT_THIRD_PARTY_SUCCESS;
import static dev.pipelineworker.it.CodePipelineWireMock.THIRD_PARTY_TYPE;
import static dev.pipelineworker.it.CodePipelineWireMock.awsError;
import static dev.pipelineworker.it.CodePipelineWireMock.jobData;
import static dev.pipelineworker.it.CodePipelineWireMock.jobs;
import static dev.pipelineworker.it.CodePipelineWireMock.ok;
import static dev.pipelineworker.it.CodePipelineWireMock.serverError;
import static dev.pipelineworker.it.CodePipelineWireMock.thirdPartyDetails;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipelineworker.ArtifactCredentials;
import dev.pipelineworker.ClientTokenProvider;
import dev.pipelineworker.CurrentRevision;
import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobQueue;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.codepipeline.model.CodePipelineException;
import software.amazon.awssdk.services.codepipeline.model.InvalidClientTokenException;
import software.amazon.awssdk.services.codepipeline.model.InvalidJobStateException;
import software.amazon.awssdk.services.codepipeline.model.JobNotFoundException;
import software.amazon.awssdk.services.codepipeline.model.ValidationException;

/**
 * What {@link ThirdPartyChannel} sends for a poll, a result and a credentials refresh, and that CodePipeline's
 * refusals of those calls reach the runtime as the SDK's exceptions, which decide whether it retries.
 */
class ThirdPartyChannelTest extends ChannelWireTest {

    private static final String JOB = "tp-1";
    private static final ClaimedJob CLAIMED = new ClaimedJob(JOB, CLIENT_ID, CLIENT_TOKEN, null, null);

    private ThirdPartyChannel channel;

    @BeforeEach
    void channel() {
        channel = new ThirdPartyChannel(cp.client(), THIRD_PARTY_TYPE,
                ClientTokenProvider.fromMap(Map.of(CLIENT_ID, CLIENT_TOKEN)), acknowledgement(ACK_CALLS));
    }

    @Test
    void theQueueIsTheActionTypeInTheClientsRegion() {
        assertThat(channel.queue()).isEqualTo(JobQueue.of(THIRD_PARTY_TYPE, Region.US_EAST_1));
    }

    // ---------------------------------------------------------------- poll

    @Test
    void aPollAsksForTheActionTypeAndBatchSizeAndReturnsEachJobWithItsClient() {
        cp.stubSequence(POLL_THIRD_PARTY, ok(jobs(
                JSON.createObjectNode().put("jobId", "tp-1").put("clientId", CLIENT_ID),
                JSON.createObjectNode().put("jobId", "tp-2").put("clientId", "client-b"))));

        List<PolledJob> polled = channel.poll(7);

        assertThat(polled).containsExactly(new PolledJob("tp-1", CLIENT_ID, null), new PolledJob("tp-2", "client-b", null));
        JsonNode request = cp.requests(POLL_THIRD_PARTY).get(0);
        assertThat(request.path("maxBatchSize").asInt()).isEqualTo(7);
        assertThat(request.path("actionTypeId")).isEqualTo(JSON.createObjectNode().put("category", "Build")
                .put("owner", "ThirdParty").put("provider", "AcmeBuild").put("version", "1"));
    }

    @Test
    void anEmptyPollReturnsNoJobs() {
        assertThat(channel.poll(1)).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("pollRefusals")
    void aRefusedPollReachesTheCallerAsTheSdksException(Class<? extends CodePipelineException> refusal) {
        cp.stubSequence(POLL_THIRD_PARTY, awsError(refusal.getSimpleName(), "refused"));

        assertThatThrownBy(() -> channel.poll(1)).isInstanceOf(refusal);
    }

    @Test
    void aPollThatGetsNoAnswerReachesTheCallerOnceTheSdkGaveUp() {
        cp.stubSequence(POLL_THIRD_PARTY, times(SDK_ATTEMPTS, serverError(503)));

        assertThatThrownBy(() -> channel.poll(1)).isInstanceOf(AwsServiceException.class)
                .satisfies(e -> assertThat(((AwsServiceException) e).statusCode()).isEqualTo(503));
        assertThat(cp.requests(POLL_THIRD_PARTY)).hasSize(SDK_ATTEMPTS);
    }

    // ---------------------------------------------------------------- results

    @Test
    void aSuccessCarriesTheTokenAndEveryMemberOfTheReport() {
        Instant created = Instant.ofEpochSecond(1_700_000_000L);
        channel.report(CLAIMED, new Report.Success("built", "run-9", 100,
                CurrentRevision.of("rev-1", "change-1").withCreated(created).withRevisionSummary("the summary"),
                "state-1", Map.of()));

        JsonNode put = cp.requests(PUT_THIRD_PARTY_SUCCESS).get(0);
        assertThat(put.path("jobId").asText()).isEqualTo(JOB);
        assertThat(put.path("clientToken").asText()).isEqualTo(CLIENT_TOKEN);
        assertThat(put.path("executionDetails")).isEqualTo(JSON.createObjectNode()
                .put("summary", "built").put("externalExecutionId", "run-9").put("percentComplete", 100));
        JsonNode revision = put.path("currentRevision");
        assertThat(revision.path("revision").asText()).isEqualTo("rev-1");
        assertThat(revision.path("changeIdentifier").asText()).isEqualTo("change-1");
        assertThat(revision.path("created").asLong()).isEqualTo(created.getEpochSecond());
        assertThat(revision.path("revisionSummary").asText()).isEqualTo("the summary");
        assertThat(put.path("continuationToken").asText()).isEqualTo("state-1");
    }

    @Test
    void aSuccessWithoutOptionalMembersSendsOnlyTheJobAndTheToken() {
        channel.report(CLAIMED, new Report.Success(null, null, null, null, null, null));

        assertThat(cp.requests(PUT_THIRD_PARTY_SUCCESS)).containsExactly(
                JSON.createObjectNode().put("jobId", JOB).put("clientToken", CLIENT_TOKEN));
    }

    @Test
    void aRevisionWithOnlyItsRequiredMembersIsSentWithoutTheOthers() {
        channel.report(CLAIMED, new Report.Success(null, null, null, CurrentRevision.of("rev-1", "change-1"), null,
                null));

        assertThat(cp.requests(PUT_THIRD_PARTY_SUCCESS).get(0).path("currentRevision")).isEqualTo(
                JSON.createObjectNode().put("revision", "rev-1").put("changeIdentifier", "change-1"));
    }

    @Test
    void eachExecutionDetailAloneIsSent() {
        channel.report(CLAIMED, new Report.Success("only a summary", null, null, null, null, null));
        channel.report(CLAIMED, new Report.Success(null, "only-an-id", null, null, null, null));
        channel.report(CLAIMED, new Report.Success(null, null, 0, null, null, null));

        assertThat(cp.requests(PUT_THIRD_PARTY_SUCCESS)).extracting(put -> put.path("executionDetails")).containsExactly(
                JSON.createObjectNode().put("summary", "only a summary"),
                JSON.createObjectNode().put("externalExecutionId", "only-an-id"),
                JSON.createObjectNode().put("percentComplete", 0));
    }

    @Test
    void aFailureCarriesTheTokenItsTypeMessageAndExecutionId() {
        channel.report(CLAIMED, new Report.Failure(FailureType.CONFIGURATION_ERROR, "no such key", "run-9"));
        channel.report(CLAIMED, new Report.Failure(FailureType.JOB_FAILED, "it broke", null));

        List<JsonNode> puts = cp.requests(PUT_THIRD_PARTY_FAILURE);
        assertThat(puts.get(0)).isEqualTo(JSON.createObjectNode().put("jobId", JOB).put("clientToken", CLIENT_TOKEN)
                .set("failureDetails", JSON.createObjectNode().put("type", "ConfigurationError")
                        .put("message", "no such key").put("externalExecutionId", "run-9")));
        assertThat(puts.get(1).path("failureDetails")).isEqualTo(JSON.createObjectNode().put("type", "JobFailed")
                .put("message", "it broke"));
    }

    static Stream<Class<? extends CodePipelineException>> resultRefusals() {
        return Stream.of(JobNotFoundException.class, InvalidJobStateException.class, InvalidClientTokenException.class,
                ValidationException.class);
    }

    @ParameterizedTest
    @MethodSource("resultRefusals")
    void aRefusedResultReachesTheCallerAsTheSdksException(Class<? extends CodePipelineException> refusal) {
        cp.stubSequence(PUT_THIRD_PARTY_SUCCESS, awsError(refusal.getSimpleName(), "refused"));
        cp.stubSequence(PUT_THIRD_PARTY_FAILURE, awsError(refusal.getSimpleName(), "refused"));

        assertThatThrownBy(() -> channel.report(CLAIMED, new Report.Success("done", null, null, null, null, null)))
                .isInstanceOf(refusal);
        assertThatThrownBy(() -> channel.report(CLAIMED, new Report.Failure(FailureType.JOB_FAILED, "failed", null)))
                .isInstanceOf(refusal);
    }

    @Test
    void aResultThatGetsNoAnswerReachesTheCallerOnceTheSdkGaveUp() {
        cp.stubSequence(PUT_THIRD_PARTY_SUCCESS, times(SDK_ATTEMPTS, serverError(500)));

        assertThatThrownBy(() -> channel.report(CLAIMED, new Report.Success("done", null, null, null, null, null)))
                .isInstanceOf(AwsServiceException.class);
        assertThat(cp.requests(PUT_THIRD_PARTY_SUCCESS)).hasSize(SDK_ATTEMPTS);
    }

    // ---------------------------------------------------------------- credentials refresh

    @Test
    void freshCredentialsAreReadFromTheDetailsWithTheJobsToken() {
        cp.stubSequence(GET_THIRD_PARTY_DETAILS, ok(thirdPartyDetails(JOB, "nonce-2", jobData("exec-1"))));

        ArtifactCredentials credentials = channel.refreshCredentials(CLAIMED);

        assertThat(credentials).isEqualTo(ArtifactCredentials.of("ASIAJOBCREDENTIALS", "job-secret-access-key",
                "job-session-token"));
        assertThat(cp.requests(GET_THIRD_PARTY_DETAILS)).containsExactly(
                JSON.createObjectNode().put("jobId", JOB).put("clientToken", CLIENT_TOKEN));
    }

    @Test
    void detailsWithoutCredentialsGiveNone() {
        ObjectNode withoutCredentials = jobData("exec-1");
        withoutCredentials.remove("artifactCredentials");
        ObjectNode withoutData = JSON.createObjectNode();
        withoutData.putObject("jobDetails").put("id", JOB).put("nonce", "nonce-2");
        cp.stubSequence(GET_THIRD_PARTY_DETAILS, ok(thirdPartyDetails(JOB, "nonce-2", withoutCredentials)),
                ok(withoutData), ok(JSON.createObjectNode()));

        assertThat(channel.refreshCredentials(CLAIMED)).isNull();
        assertThat(channel.refreshCredentials(CLAIMED)).isNull();
        assertThat(channel.refreshCredentials(CLAIMED)).isNull();
    }

    @Test
    void aRefusedRefreshReachesTheCaller() {
        cp.stubSequence(GET_THIRD_PARTY_DETAILS, awsError("JobNotFoundException", "no such job"));

        assertThatThrownBy(() -> channel.refreshCredentials(CLAIMED)).isInstanceOf(JobNotFoundException.class);
    }

    // ---------------------------------------------------------------- restore from the journal

    @Test
    void aJournaledJobIsRestoredWithTheTokenOfItsClient() {
        assertThat(channel.restore(JOB, CLIENT_ID)).isEqualTo(CLAIMED);
    }

    @Test
    void aJournaledJobOfAClientWithoutATokenCannotBeRestored() {
        assertThatThrownBy(() -> channel.restore(JOB, "client-b")).isInstanceOf(IllegalStateException.class)
                .hasMessage("no client token is configured for clientId client-b");
    }
}

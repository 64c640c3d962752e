package dev.pipelineworker.internal.channel;

import static dev.pipelineworker.it.CodePipelineWireMock.ACK_CUSTOM;
import static dev.pipelineworker.it.CodePipelineWireMock.GET_CUSTOM_DETAILS;
import static dev.pipelineworker.it.CodePipelineWireMock.JSON;
import static dev.pipelineworker.it.CodePipelineWireMock.POLL_CUSTOM;
import static dev.pipelineworker.it.CodePipelineWireMock.PUT_CUSTOM_FAILURE;
import static dev.pipelineworker.it.CodePipelineWireMock.PUT_CUSTOM_SUCCESS;
import static dev.pipelineworker.it.CodePipelineWireMock.awsError;
import static dev.pipelineworker.it.CodePipelineWireMock.jobData;
import static dev.pipelineworker.it.CodePipelineWireMock.jobs;
import static dev.pipelineworker.it.CodePipelineWireMock.ok;
import static dev.pipelineworker.it.CodePipelineWireMock.serverError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.ArtifactCredentials;
import dev.pipelineworker.CurrentRevision;
import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobQueue;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.codepipeline.model.CodePipelineException;
import software.amazon.awssdk.services.codepipeline.model.InvalidJobStateException;
import software.amazon.awssdk.services.codepipeline.model.JobNotFoundException;
import software.amazon.awssdk.services.codepipeline.model.JobStatus;
import software.amazon.awssdk.services.codepipeline.model.OutputVariablesSizeExceededException;
import software.amazon.awssdk.services.codepipeline.model.ValidationException;

/**
 * {@link CustomChannel} against CodePipeline's answers: polls return whole jobs with their nonce, a claim is the
 * acknowledgement alone, and only an InProgress answer makes a job this worker's to run.
 */
class CustomChannelTest extends ChannelWireTest {

    private static final ActionTypeId CUSTOM_TYPE = ActionTypeId.custom(ActionCategory.DEPLOY, "AcmeDeploy", "2");
    private static final String JOB = "0b9a5e7c-1111-4c3e-9f00-123456789abc";
    private static final String NONCE = "nonce-1";
    private static final String ACCOUNT = "111122223333";
    private static final ClaimedJob CLAIMED = new ClaimedJob(JOB, null, null, null, null);

    private final RecordingGate admit = new RecordingGate(ACK_CUSTOM);

    private CustomChannel channel;

    @BeforeEach
    void channel() {
        channel = channel(Map.of());
    }

    private CustomChannel channel(Map<String, String> queryParam) {
        return new CustomChannel(cp.client(), CUSTOM_TYPE, queryParam, acknowledgement(ACK_CALLS));
    }

    private static ObjectNode customJob(String nonce) {
        ObjectNode data = jobData("exec-1");
        data.putObject("actionTypeId").put("category", "Deploy").put("owner", "Custom").put("provider", "AcmeDeploy")
                .put("version", "2");
        ObjectNode job = JSON.createObjectNode().put("id", JOB).put("accountId", ACCOUNT);
        if (nonce != null) {
            job.put("nonce", nonce);
        }
        job.set("data", data);
        return job;
    }

    /** The job as a poll of the channel returns it. */
    private PolledJob polled(ObjectNode job) {
        cp.stubSequence(POLL_CUSTOM, ok(jobs(job)));
        return channel.poll(1).get(0);
    }

    private ClaimResult claim() {
        return channel.claim(polled(customJob(NONCE)), admit);
    }

    private void acknowledgementAnswers(ResponseDefinitionBuilder... answers) {
        cp.stubSequence(ACK_CUSTOM, answers);
    }

    private static ClaimedJob claimed(ClaimResult result) {
        assertThat(result).isInstanceOf(ClaimResult.Claimed.class);
        return ((ClaimResult.Claimed) result).job();
    }

    @Test
    void theQueueIsTheActionTypeInTheClientsRegion() {
        assertThat(channel.queue()).isEqualTo(JobQueue.of(CUSTOM_TYPE, Region.US_EAST_1));
    }

    // ---------------------------------------------------------------- poll

    @Test
    void aPollAsksForTheActionTypeAndBatchSizeWithoutAQueryParamWhenNoneIsGiven() {
        PolledJob job = polled(customJob(NONCE));

        assertThat(job.jobId()).isEqualTo(JOB);
        assertThat(job.clientId()).as("custom jobs have no client").isNull();
        assertThat(cp.requests(POLL_CUSTOM)).containsExactly(JSON.createObjectNode()
                .put("maxBatchSize", 1)
                .set("actionTypeId", JSON.createObjectNode().put("category", "Deploy").put("owner", "Custom")
                        .put("provider", "AcmeDeploy").put("version", "2")));
    }

    @Test
    void aPollSendsTheQueryParam() {
        channel = channel(Map.of("Environment", "prod"));

        channel.poll(5);

        JsonNode poll = cp.requests(POLL_CUSTOM).get(0);
        assertThat(poll.path("queryParam")).isEqualTo(JSON.createObjectNode().put("Environment", "prod"));
        assertThat(poll.path("maxBatchSize").asInt()).isEqualTo(5);
    }

    @ParameterizedTest
    @MethodSource("pollRefusals")
    void aRefusedPollReachesTheCallerAsTheSdksException(Class<? extends CodePipelineException> refusal) {
        cp.stubSequence(POLL_CUSTOM, awsError(refusal.getSimpleName(), "refused"));

        assertThatThrownBy(() -> channel.poll(1)).isInstanceOf(refusal);
    }

    // ---------------------------------------------------------------- claim

    @Test
    void aClaimJournalsThenAcknowledgesWithThePolledNonceAndReadsTheJobsData() {
        ClaimedJob job = claimed(claim());

        assertThat(job.jobId()).isEqualTo(JOB);
        assertThat(job.clientId()).isNull();
        assertThat(job.clientToken()).isNull();
        assertThat(job.data().accountId()).isEqualTo(ACCOUNT);
        assertThat(job.data().actionTypeId()).isEqualTo(CUSTOM_TYPE);
        assertThat(job.data().pipeline().actionExecutionId()).isEqualTo("exec-1");
        assertThat(admit.claims).containsExactly(new PendingClaim(JOB, null, NONCE));
        assertThat(admit.acknowledgementsBefore).containsExactly(0);
        assertThat(cp.requests(ACK_CUSTOM)).containsExactly(JSON.createObjectNode().put("jobId", JOB).put("nonce", NONCE));
        assertThat(cp.requests(GET_CUSTOM_DETAILS)).as("a custom claim needs no details read").isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = JobStatus.class, names = {"IN_PROGRESS", "UNKNOWN_TO_SDK_VERSION"},
            mode = EnumSource.Mode.EXCLUDE)
    void aJobAcknowledgedWithAnotherStatusThanInProgressIsNotThisWorkersToRun(JobStatus answered) {
        acknowledgementAnswers(status(answered.toString()));

        assertThat(claim()).isEqualTo(new ClaimResult.Lost("acknowledged with status " + answered));
    }

    @Test
    void aPolledJobWithoutANonceIsNotAcknowledged() {
        assertThat(channel.claim(polled(customJob(null)), admit))
                .isEqualTo(new ClaimResult.Lost("the polled job carries no nonce"));
        assertThat(admit.claims).isEmpty();
        assertThat(cp.requests(ACK_CUSTOM)).isEmpty();
    }

    @Test
    void aClaimTheGateRefusesIsNotAcknowledged() {
        assertThat(channel.claim(polled(customJob(NONCE)), claim -> false))
                .isEqualTo(new ClaimResult.Skipped("the worker is shutting down"));
        assertThat(cp.requests(ACK_CUSTOM)).isEmpty();
    }

    @Test
    void aNonceRefusedAtTheFirstAttemptMeansAnotherWorkerHasTheJob() {
        acknowledgementAnswers(awsError("InvalidNonceException", "nonce already used"));

        assertThat(claim()).isEqualTo(new ClaimResult.Lost("another worker acknowledged it first"));
    }

    @Test
    void aJobGoneWhenAcknowledgedIsLost() {
        acknowledgementAnswers(awsError("JobNotFoundException", "no such job"));

        assertThat(claim()).isEqualTo(new ClaimResult.Lost("the job no longer exists"));
    }

    @Test
    void aNonceRefusedAfterOurOwnLostAttemptIsTakenAsOursForThereIsNoNonceToCompare() {
        acknowledgementAnswers(serverError(500), awsError("InvalidNonceException", "nonce already used"));

        assertThat(claimed(claim()).data()).isNotNull();
        assertThat(cp.requests(GET_CUSTOM_DETAILS)).isEmpty();
    }

    @Test
    void aJobWhoseDataCannotBeReadIsStillClaimedSoThatItCanBeFailed() {
        ObjectNode job = customJob(NONCE);
        ((ObjectNode) job.path("data").path("outputArtifacts").get(0)).remove("name");

        ClaimedJob claimed = claimed(channel.claim(polled(job), admit));

        assertThat(claimed.data()).isNull();
        assertThat(claimed.malformed().type()).isEqualTo(FailureType.JOB_FAILED);
        assertThat(claimed.malformed()).hasMessage("malformed job data: the output artifact 'null' has no S3 location");
    }

    @Test
    void aJobWithoutDataIsClaimedAsMalformed() {
        ObjectNode job = customJob(NONCE);
        job.remove("data");

        ClaimedJob claimed = claimed(channel.claim(polled(job), admit));

        assertThat(claimed.malformed()).hasMessage("malformed job data: the job carries no job data");
    }

    // ---------------------------------------------------------------- reclaim after a restart

    @Test
    void aJournaledClaimIsAcknowledgedAgainWithItsStoredNonce() {
        assertThat(channel.reclaim(new PendingClaim(JOB, null, "stored-nonce")))
                .isEqualTo(new ClaimResult.Claimed(CLAIMED));
        assertThat(cp.requests(ACK_CUSTOM)).containsExactly(
                JSON.createObjectNode().put("jobId", JOB).put("nonce", "stored-nonce"));
    }

    @Test
    void aJournaledClaimWhoseNonceIsRefusedIsTakenAsSpentByTheEarlierRun() {
        acknowledgementAnswers(awsError("InvalidNonceException", "nonce already used"));

        assertThat(channel.reclaim(new PendingClaim(JOB, null, "stored-nonce")))
                .isEqualTo(new ClaimResult.Claimed(CLAIMED));
    }

    @Test
    void aJournaledClaimAnsweredWithAnotherStatusIsLost() {
        acknowledgementAnswers(status("Failed"));

        assertThat(channel.reclaim(new PendingClaim(JOB, null, "stored-nonce")))
                .isEqualTo(new ClaimResult.Lost("acknowledged with status Failed"));
    }

    @Test
    void aJournaledJobIsRestoredWithoutClientOrToken() {
        assertThat(channel.restore(JOB, null)).isEqualTo(CLAIMED);
    }

    // ---------------------------------------------------------------- results

    @Test
    void aSuccessCarriesEveryMemberOfTheReportAndItsOutputVariables() {
        channel.report(CLAIMED, new Report.Success("deployed", "run-9", 50,
                CurrentRevision.of("rev-1", "change-1"), null, Map.of("Url", "https://acme.example")));

        assertThat(cp.requests(PUT_CUSTOM_SUCCESS)).containsExactly(JSON.createObjectNode().put("jobId", JOB)
                .<ObjectNode>set("executionDetails", JSON.createObjectNode().put("summary", "deployed")
                        .put("externalExecutionId", "run-9").put("percentComplete", 50))
                .<ObjectNode>set("currentRevision", JSON.createObjectNode().put("revision", "rev-1")
                        .put("changeIdentifier", "change-1"))
                .set("outputVariables", JSON.createObjectNode().put("Url", "https://acme.example")));
    }

    @Test
    void aContinuationCarriesItsTokenAndNoOutputVariables() {
        channel.report(CLAIMED, new Report.Success(null, null, null, null, "state-1", Map.of()));

        assertThat(cp.requests(PUT_CUSTOM_SUCCESS)).containsExactly(
                JSON.createObjectNode().put("jobId", JOB).put("continuationToken", "state-1"));
    }

    @Test
    void aFailureCarriesItsTypeMessageAndExecutionId() {
        channel.report(CLAIMED, new Report.Failure(FailureType.PERMISSION_ERROR, "access denied", "run-9"));

        assertThat(cp.requests(PUT_CUSTOM_FAILURE)).containsExactly(JSON.createObjectNode().put("jobId", JOB)
                .set("failureDetails", JSON.createObjectNode().put("type", "PermissionError")
                        .put("message", "access denied").put("externalExecutionId", "run-9")));
    }

    static Stream<Class<? extends CodePipelineException>> successRefusals() {
        return Stream.of(JobNotFoundException.class, InvalidJobStateException.class,
                OutputVariablesSizeExceededException.class, ValidationException.class);
    }

    @ParameterizedTest
    @MethodSource("successRefusals")
    void aRefusedSuccessReachesTheCallerAsTheSdksException(Class<? extends CodePipelineException> refusal) {
        cp.stubSequence(PUT_CUSTOM_SUCCESS, awsError(refusal.getSimpleName(), "refused"));

        assertThatThrownBy(() -> channel.report(CLAIMED, new Report.Success("done", null, null, null, null, null)))
                .isInstanceOf(refusal);
    }

    static Stream<Class<? extends CodePipelineException>> failureRefusals() {
        return Stream.of(JobNotFoundException.class, InvalidJobStateException.class, ValidationException.class);
    }

    @ParameterizedTest
    @MethodSource("failureRefusals")
    void aRefusedFailureReachesTheCallerAsTheSdksException(Class<? extends CodePipelineException> refusal) {
        cp.stubSequence(PUT_CUSTOM_FAILURE, awsError(refusal.getSimpleName(), "refused"));

        assertThatThrownBy(() -> channel.report(CLAIMED, new Report.Failure(FailureType.JOB_FAILED, "failed", null)))
                .isInstanceOf(refusal);
    }

    // ---------------------------------------------------------------- credentials refresh

    @Test
    void freshCredentialsAreReadFromTheJobsDetails() {
        ObjectNode details = JSON.createObjectNode();
        details.putObject("jobDetails").put("id", JOB).put("accountId", ACCOUNT).set("data", customJob(NONCE).get("data"));
        cp.stubSequence(GET_CUSTOM_DETAILS, ok(details));

        assertThat(channel.refreshCredentials(CLAIMED)).isEqualTo(
                ArtifactCredentials.of("ASIAJOBCREDENTIALS", "job-secret-access-key", "job-session-token"));
        assertThat(cp.requests(GET_CUSTOM_DETAILS)).containsExactly(JSON.createObjectNode().put("jobId", JOB));
    }

    @Test
    void detailsWithoutDataGiveNoCredentials() {
        ObjectNode withoutData = JSON.createObjectNode();
        withoutData.putObject("jobDetails").put("id", JOB);
        cp.stubSequence(GET_CUSTOM_DETAILS, ok(withoutData), ok(JSON.createObjectNode()));

        assertThat(channel.refreshCredentials(CLAIMED)).isNull();
        assertThat(channel.refreshCredentials(CLAIMED)).isNull();
    }

    @Test
    void aRefusedRefreshReachesTheCaller() {
        cp.stubSequence(GET_CUSTOM_DETAILS, awsError("JobNotFoundException", "no such job"));

        assertThatThrownBy(() -> channel.refreshCredentials(CLAIMED)).isInstanceOf(JobNotFoundException.class);
    }
}

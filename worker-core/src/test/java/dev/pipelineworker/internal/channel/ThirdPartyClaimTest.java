package dev.pipelineworker.internal.channel;

import static dev.pipelineworker.it.CodePipelineWireMock.ACK_THIRD_PARTY;
import static dev.pipelineworker.it.CodePipelineWireMock.CLIENT_ID;
import static dev.pipelineworker.it.CodePipelineWireMock.CLIENT_TOKEN;
import static dev.pipelineworker.it.CodePipelineWireMock.GET_THIRD_PARTY_DETAILS;
import static dev.pipelineworker.it.CodePipelineWireMock.JSON;
import static dev.pipelineworker.it.CodePipelineWireMock.THIRD_PARTY_TYPE;
import static dev.pipelineworker.it.CodePipelineWireMock.awsError;
import static dev.pipelineworker.it.CodePipelineWireMock.jobData;
import static dev.pipelineworker.it.CodePipelineWireMock.ok;
import static dev.pipelineworker.it.CodePipelineWireMock.serverError;
import static dev.pipelineworker.it.CodePipelineWireMock.thirdPartyDetails;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.pipelineworker.ClientTokenProvider;
import dev.pipelineworker.FailureType;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.codepipeline.model.CodePipelineException;
import software.amazon.awssdk.services.codepipeline.model.InvalidClientTokenException;
import software.amazon.awssdk.services.codepipeline.model.InvalidJobException;
import software.amazon.awssdk.services.codepipeline.model.JobStatus;
import software.amazon.awssdk.services.codepipeline.model.ValidationException;

/**
 * How {@link ThirdPartyChannel} claims a polled job and resolves a journaled claim after a restart, answer by answer:
 * the client token it may use, the details it reads with it, the nonce it acknowledges with, and what each refusal
 * of each call means for the claim.
 */
class ThirdPartyClaimTest extends ChannelWireTest {

    private static final String JOB = "tp-claim";
    private static final String NONCE = "nonce-1";

    private final RecordingGate admit = new RecordingGate(ACK_THIRD_PARTY);

    private ThirdPartyChannel channel;

    @BeforeEach
    void channelWithTheTokenOfClientA() {
        channel = channel(Map.of(CLIENT_ID, CLIENT_TOKEN));
    }

    private ThirdPartyChannel channel(Map<String, String> tokens) {
        return new ThirdPartyChannel(cp.client(), THIRD_PARTY_TYPE, ClientTokenProvider.fromMap(tokens),
                acknowledgement(ACK_CALLS));
    }

    private ClaimResult claim() {
        return channel.claim(new PolledJob(JOB, CLIENT_ID, null), admit);
    }

    private void detailsAnswer(ResponseDefinitionBuilder... answers) {
        cp.stubSequence(GET_THIRD_PARTY_DETAILS, answers);
    }

    private static ResponseDefinitionBuilder detailsWithNonce(String nonce) {
        return ok(thirdPartyDetails(JOB, nonce, jobData("exec-1")));
    }

    private void acknowledgementAnswers(ResponseDefinitionBuilder... answers) {
        cp.stubSequence(ACK_THIRD_PARTY, answers);
    }

    private static ClaimedJob claimed(ClaimResult result) {
        assertThat(result).isInstanceOf(ClaimResult.Claimed.class);
        return ((ClaimResult.Claimed) result).job();
    }

    private static void assertLost(ClaimResult result, String reason) {
        assertThat(result).isEqualTo(new ClaimResult.Lost(reason));
    }

    // ---------------------------------------------------------------- the claim that succeeds

    @Test
    void aClaimReadsTheDetailsWithTheClientTokenThenJournalsAndAcknowledgesWithTheirNonce() {
        detailsAnswer(detailsWithNonce(NONCE));

        ClaimedJob job = claimed(claim());

        assertThat(job.jobId()).isEqualTo(JOB);
        assertThat(job.clientId()).isEqualTo(CLIENT_ID);
        assertThat(job.clientToken()).isEqualTo(CLIENT_TOKEN);
        assertThat(job.malformed()).isNull();
        assertThat(job.data().pipeline().actionExecutionId()).isEqualTo("exec-1");
        assertThat(job.data().accountId()).as("third-party job data names no account").isNull();
        assertThat(cp.requests(GET_THIRD_PARTY_DETAILS)).singleElement().satisfies(read -> {
            assertThat(read.path("jobId").asText()).isEqualTo(JOB);
            assertThat(read.path("clientToken").asText()).isEqualTo(CLIENT_TOKEN);
        });
        assertThat(admit.claims).containsExactly(new PendingClaim(JOB, CLIENT_ID, NONCE));
        assertThat(admit.acknowledgementsBefore).as("journaled before the acknowledgement leaves").containsExactly(0);
        assertThat(cp.requests(ACK_THIRD_PARTY)).singleElement().satisfies(ack -> {
            assertThat(ack.path("jobId").asText()).isEqualTo(JOB);
            assertThat(ack.path("nonce").asText()).isEqualTo(NONCE);
            assertThat(ack.path("clientToken").asText()).isEqualTo(CLIENT_TOKEN);
        });
        assertThat(slept).isEmpty();
    }

    @Test
    void neitherTheClaimedJobNorItsDataShowsTheClientTokenOrTheArtifactCredentials() {
        detailsAnswer(detailsWithNonce(NONCE));

        ClaimedJob job = claimed(claim());

        assertThat(job.data().credentials().secretAccessKey()).isEqualTo("job-secret-access-key");
        for (String shown : List.of(job.toString(), job.data().toString(), admit.claims.get(0).toString())) {
            assertThat(shown).doesNotContain(CLIENT_TOKEN, "ASIAJOBCREDENTIALS", "job-secret-access-key",
                    "job-session-token");
        }
    }

    @Test
    void aJobWhoseDataCannotBeReadIsStillClaimedSoThatItCanBeFailed() {
        ObjectNode data = jobData("exec-1");
        data.putObject("encryptionKey").put("id", "alias/acme").put("type", "AES");
        detailsAnswer(ok(thirdPartyDetails(JOB, NONCE, data)));

        ClaimedJob job = claimed(claim());

        assertThat(job.data()).isNull();
        assertThat(job.clientToken()).as("needed to report the failure").isEqualTo(CLIENT_TOKEN);
        assertThat(job.malformed().type()).isEqualTo(FailureType.JOB_FAILED);
        assertThat(job.malformed()).hasMessage(
                "malformed job data: the job's encryption key has type 'AES'; only KMS is supported");
        assertThat(cp.requests(ACK_THIRD_PARTY)).hasSize(1);
    }

    @Test
    void detailsWithoutJobDataAreClaimedAsMalformed() {
        ObjectNode details = JSON.createObjectNode();
        details.putObject("jobDetails").put("id", JOB).put("nonce", NONCE);
        detailsAnswer(ok(details));

        ClaimedJob job = claimed(claim());

        assertThat(job.data()).isNull();
        assertThat(job.malformed()).hasMessage("malformed job data: the job details carry no job data");
    }

    // ---------------------------------------------------------------- the client token

    @Test
    void aJobOfAClientWithoutATokenIsLeftToOtherWorkersWithoutAnyCall() {
        ClaimResult result = channel.claim(new PolledJob(JOB, "client-b", null), admit);

        assertThat(result).isEqualTo(new ClaimResult.Skipped(
                "no valid client token (1-256 characters) is configured for clientId client-b"));
        assertThat(cp.requests(GET_THIRD_PARTY_DETAILS)).isEmpty();
        assertThat(admit.claims).isEmpty();
    }

    @ParameterizedTest(name = "{0} characters")
    @ValueSource(ints = {0, 257})
    void aTokenOutsideTheApisOneTo256CharactersIsNeverSent(int length) {
        channel = channel(Map.of(CLIENT_ID, "t".repeat(length)));

        ClaimResult result = claim();

        assertThat(result).isInstanceOf(ClaimResult.Skipped.class);
        assertThat(((ClaimResult.Skipped) result).reason()).contains(CLIENT_ID).doesNotContain("tt");
        assertThat(cp.requests(GET_THIRD_PARTY_DETAILS)).isEmpty();
    }

    @ParameterizedTest(name = "{0} characters")
    @ValueSource(ints = {1, 256})
    void aTokenOfOneTo256CharactersIsUsed(int length) {
        String token = "t".repeat(length);
        channel = channel(Map.of(CLIENT_ID, token));
        detailsAnswer(detailsWithNonce(NONCE));

        assertThat(claimed(claim()).clientToken()).isEqualTo(token);
        assertThat(cp.requests(ACK_THIRD_PARTY)).singleElement()
                .satisfies(ack -> assertThat(ack.path("clientToken").asText()).isEqualTo(token));
    }

    // ---------------------------------------------------------------- answers of the details read

    @Test
    void aJobGoneBeforeItsDetailsAreReadIsLostWithoutAnAcknowledgement() {
        detailsAnswer(awsError("JobNotFoundException", "no such job"));

        assertLost(claim(), "the job no longer exists");
        assertThat(admit.claims).isEmpty();
        assertThat(cp.requests(ACK_THIRD_PARTY)).isEmpty();
    }

    @Test
    void detailsWithoutANonceCannotBeAcknowledged() {
        ObjectNode details = JSON.createObjectNode();
        details.putObject("jobDetails").put("id", JOB).set("data", jobData("exec-1"));
        detailsAnswer(ok(details));

        assertLost(claim(), "the job details carry no nonce");
        assertThat(admit.claims).isEmpty();
        assertThat(cp.requests(ACK_THIRD_PARTY)).isEmpty();
    }

    @Test
    void anAnswerWithoutJobDetailsCannotBeAcknowledged() {
        detailsAnswer(ok(JSON.createObjectNode()));

        assertLost(claim(), "the job details carry no nonce");
        assertThat(cp.requests(ACK_THIRD_PARTY)).isEmpty();
    }

    static Stream<Class<? extends CodePipelineException>> detailsRefusals() {
        return Stream.of(InvalidClientTokenException.class, InvalidJobException.class, ValidationException.class);
    }

    @ParameterizedTest
    @MethodSource("detailsRefusals")
    void anyOtherRefusalOfTheDetailsReadReachesTheCallerWithoutTheToken(Class<? extends CodePipelineException> refusal) {
        detailsAnswer(awsError(refusal.getSimpleName(), "refused"));

        assertThatThrownBy(this::claim).isInstanceOf(refusal)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(CLIENT_TOKEN));
        assertThat(admit.claims).isEmpty();
        assertThat(cp.requests(ACK_THIRD_PARTY)).isEmpty();
    }

    // ---------------------------------------------------------------- the gate

    @Test
    void aClaimTheGateRefusesIsNotAcknowledged() {
        detailsAnswer(detailsWithNonce(NONCE));

        ClaimResult result = channel.claim(new PolledJob(JOB, CLIENT_ID, null), claim -> false);

        assertThat(result).isEqualTo(new ClaimResult.Skipped("the worker is shutting down"));
        assertThat(cp.requests(ACK_THIRD_PARTY)).isEmpty();
    }

    // ---------------------------------------------------------------- answers of the acknowledgement

    @ParameterizedTest
    @EnumSource(value = JobStatus.class, names = {"IN_PROGRESS", "UNKNOWN_TO_SDK_VERSION"},
            mode = EnumSource.Mode.EXCLUDE)
    void anAcknowledgementAnsweredWithAnotherStatusThanInProgressDoesNotClaimTheJob(JobStatus answered) {
        detailsAnswer(detailsWithNonce(NONCE));
        acknowledgementAnswers(status(answered.toString()));

        assertLost(claim(), "acknowledged with status " + answered);
    }

    @Test
    void aNonceRefusedAtTheFirstAttemptMeansAnotherWorkerHasTheJob() {
        detailsAnswer(detailsWithNonce(NONCE));
        acknowledgementAnswers(awsError("InvalidNonceException", "nonce already used"));

        assertLost(claim(), "another worker acknowledged it first");
        assertThat(cp.requests(GET_THIRD_PARTY_DETAILS)).as("no second read to compare nonces").hasSize(1);
        assertThat(cp.requests(ACK_THIRD_PARTY)).hasSize(1);
    }

    @Test
    void aJobGoneWhenAcknowledgedIsLost() {
        detailsAnswer(detailsWithNonce(NONCE));
        acknowledgementAnswers(awsError("JobNotFoundException", "no such job"));

        assertLost(claim(), "the job no longer exists");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ValidationException", "InvalidClientTokenException"})
    void anAcknowledgementRefusedForAnyOtherReasonFailsAtOnce(String refusal) {
        detailsAnswer(detailsWithNonce(NONCE));
        acknowledgementAnswers(awsError(refusal, "refused"));

        assertThatThrownBy(this::claim).isInstanceOf(CodePipelineException.class)
                .satisfies(e -> assertThat(((CodePipelineException) e).awsErrorDetails().errorCode()).isEqualTo(refusal))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(CLIENT_TOKEN));
        assertThat(cp.requests(ACK_THIRD_PARTY)).hasSize(1);
        assertThat(slept).isEmpty();
    }

    // ---------------------------------------------------------------- a refused nonce after our own lost attempt

    private void ownAcknowledgementAppliedButItsAnswerLost() {
        acknowledgementAnswers(serverError(500), awsError("InvalidNonceException", "nonce already used"));
    }

    @Test
    void aNonceRefusedAfterOurOwnLostAttemptIsOursWhileTheJobStillHasIt() {
        detailsAnswer(detailsWithNonce(NONCE), detailsWithNonce(NONCE));
        ownAcknowledgementAppliedButItsAnswerLost();

        assertThat(claimed(claim()).data()).isNotNull();
        List<JsonNode> reads = cp.requests(GET_THIRD_PARTY_DETAILS);
        assertThat(reads).hasSize(2);
        assertThat(reads.get(1).path("clientToken").asText()).isEqualTo(CLIENT_TOKEN);
        assertThat(reads.get(1).path("jobId").asText()).isEqualTo(JOB);
    }

    @Test
    void aNonceRefusedAfterOurOwnLostAttemptIsNotOursWhenTheJobHasANewNonce() {
        detailsAnswer(detailsWithNonce(NONCE), detailsWithNonce("nonce-of-another-worker"));
        ownAcknowledgementAppliedButItsAnswerLost();

        assertLost(claim(), "another worker acknowledged it first");
    }

    @Test
    void aNonceRefusedAfterOurOwnLostAttemptIsNotOursWhenTheJobIsGone() {
        detailsAnswer(detailsWithNonce(NONCE), awsError("JobNotFoundException", "no such job"));
        ownAcknowledgementAppliedButItsAnswerLost();

        assertLost(claim(), "another worker acknowledged it first");
    }

    @Test
    void aNonceRefusedAfterOurOwnLostAttemptIsNotOursWhenTheDetailsAreEmpty() {
        detailsAnswer(detailsWithNonce(NONCE), ok(JSON.createObjectNode()));
        ownAcknowledgementAppliedButItsAnswerLost();

        assertLost(claim(), "another worker acknowledged it first");
    }

    @Test
    void theNonceIsReadAgainUpToThreeTimesWhenTheDetailsGetNoAnswer() {
        detailsAnswer(concat(answers(detailsWithNonce(NONCE)), times(2 * SDK_ATTEMPTS, serverError(503)),
                answers(detailsWithNonce("nonce-of-another-worker"))));
        ownAcknowledgementAppliedButItsAnswerLost();

        assertLost(claim(), "another worker acknowledged it first");
        assertThat(cp.requests(GET_THIRD_PARTY_DETAILS)).hasSize(1 + 2 * SDK_ATTEMPTS + 1);
    }

    @Test
    void whenTheNonceCannotBeReadInThreeTriesTheJobIsTakenAsOursRatherThanLeftHanging() {
        detailsAnswer(concat(answers(detailsWithNonce(NONCE)), times(3 * SDK_ATTEMPTS, serverError(503)),
                answers(detailsWithNonce("nonce-of-another-worker"))));
        ownAcknowledgementAppliedButItsAnswerLost();

        assertThat(claimed(claim()).clientToken()).isEqualTo(CLIENT_TOKEN);
        assertThat(cp.requests(GET_THIRD_PARTY_DETAILS)).hasSize(1 + 3 * SDK_ATTEMPTS);
    }

    @Test
    void aNonceReadRefusedForAnotherReasonThanAGoneJobTakesTheJobAsOursWithoutReadingAgain() {
        detailsAnswer(detailsWithNonce(NONCE), awsError("ValidationException", "refused"),
                detailsWithNonce("nonce-of-another-worker"));
        ownAcknowledgementAppliedButItsAnswerLost();

        assertThat(claimed(claim()).jobId()).isEqualTo(JOB);
        assertThat(cp.requests(GET_THIRD_PARTY_DETAILS)).hasSize(2);
    }

    // ---------------------------------------------------------------- reclaim after a restart

    @Test
    void aJournaledClaimIsAcknowledgedAgainWithItsStoredNonceAndTheCurrentToken() {
        ClaimResult result = channel.reclaim(new PendingClaim(JOB, CLIENT_ID, "stored-nonce"));

        assertThat(result).isEqualTo(new ClaimResult.Claimed(new ClaimedJob(JOB, CLIENT_ID, CLIENT_TOKEN, null, null)));
        assertThat(cp.requests(ACK_THIRD_PARTY)).singleElement().satisfies(ack -> {
            assertThat(ack.path("jobId").asText()).isEqualTo(JOB);
            assertThat(ack.path("nonce").asText()).isEqualTo("stored-nonce");
            assertThat(ack.path("clientToken").asText()).isEqualTo(CLIENT_TOKEN);
        });
        assertThat(cp.requests(GET_THIRD_PARTY_DETAILS)).isEmpty();
    }

    @Test
    void aJournaledClaimWhoseNonceIsRefusedIsOursWhileTheJobStillHasThatNonce() {
        detailsAnswer(detailsWithNonce("stored-nonce"));
        acknowledgementAnswers(awsError("InvalidNonceException", "nonce already used"));

        ClaimResult result = channel.reclaim(new PendingClaim(JOB, CLIENT_ID, "stored-nonce"));

        assertThat(result).isEqualTo(new ClaimResult.Claimed(new ClaimedJob(JOB, CLIENT_ID, CLIENT_TOKEN, null, null)));
        assertThat(cp.requests(GET_THIRD_PARTY_DETAILS)).singleElement()
                .satisfies(read -> assertThat(read.path("clientToken").asText()).isEqualTo(CLIENT_TOKEN));
    }

    @Test
    void aJournaledClaimWhoseNonceIsRefusedIsLostWhenTheJobHasANewNonce() {
        detailsAnswer(detailsWithNonce("nonce-of-another-worker"));
        acknowledgementAnswers(awsError("InvalidNonceException", "nonce already used"));

        assertLost(channel.reclaim(new PendingClaim(JOB, CLIENT_ID, "stored-nonce")),
                "another worker acknowledged it first");
    }

    @Test
    void aJournaledClaimAnsweredWithAnotherStatusIsLost() {
        acknowledgementAnswers(status("Succeeded"));

        assertLost(channel.reclaim(new PendingClaim(JOB, CLIENT_ID, "stored-nonce")), "acknowledged with status Succeeded");
    }

    @Test
    void aJournaledClaimOfAClientWhoseTokenIsNoLongerConfiguredIsLostWithoutAnyCall() {
        ClaimResult result = channel.reclaim(new PendingClaim(JOB, "client-b", "stored-nonce"));

        assertLost(result, "no valid client token is configured for clientId client-b any more");
        assertThat(cp.requests(ACK_THIRD_PARTY)).isEmpty();
    }

    @Test
    void aJournaledClaimWhoseTokenIsNowTooLongIsLostWithoutAnyCall() {
        channel = channel(Map.of(CLIENT_ID, "t".repeat(257)));

        assertThat(channel.reclaim(new PendingClaim(JOB, CLIENT_ID, "stored-nonce")))
                .isInstanceOf(ClaimResult.Lost.class);
        assertThat(cp.requests(ACK_THIRD_PARTY)).isEmpty();
    }
}

package dev.pipelineworker.internal.channel;

import static dev.pipelineworker.it.CodePipelineWireMock.ACK_THIRD_PARTY;
import static dev.pipelineworker.it.CodePipelineWireMock.CLIENT_ID;
import static dev.pipelineworker.it.CodePipelineWireMock.CLIENT_TOKEN;
import static dev.pipelineworker.it.CodePipelineWireMock.GET_THIRD_PARTY_DETAILS;
import static dev.pipelineworker.it.CodePipelineWireMock.THIRD_PARTY_TYPE;
import static dev.pipelineworker.it.CodePipelineWireMock.awsError;
import static dev.pipelineworker.it.CodePipelineWireMock.jobData;
import static dev.pipelineworker.it.CodePipelineWireMock.ok;
import static dev.pipelineworker.it.CodePipelineWireMock.serverError;
import static dev.pipelineworker.it.CodePipelineWireMock.thirdPartyDetails;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.pipelineworker.ClientTokenProvider;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.codepipeline.model.InvalidNonceException;

/**
 * The acknowledgement's own layer of retries on top of the SDK's: an acknowledgement that got no answer is sent
 * again, with the worker's report backoff between calls, because it may have been applied; a nonce refused after
 * such a call is taken as spent by this worker. Driven through {@link ThirdPartyChannel}, whose details read tells
 * whether the nonce is still the job's.
 */
class AcknowledgementRetryTest extends ChannelWireTest {

    private static final String JOB = "tp-ack";
    private static final String NONCE = "nonce-1";

    private ClaimResult claimWith(int maxCalls, ResponseDefinitionBuilder... acknowledgementAnswers) {
        cp.stubSequence(ACK_THIRD_PARTY, acknowledgementAnswers);
        ThirdPartyChannel channel = new ThirdPartyChannel(cp.client(), THIRD_PARTY_TYPE,
                ClientTokenProvider.fromMap(Map.of(CLIENT_ID, CLIENT_TOKEN)), acknowledgement(maxCalls));
        return channel.claim(new PolledJob(JOB, CLIENT_ID, null), claim -> true);
    }

    private void detailsAnswer(ResponseDefinitionBuilder... answers) {
        cp.stubSequence(GET_THIRD_PARTY_DETAILS, answers);
    }

    private static ResponseDefinitionBuilder detailsWithNonce(String nonce) {
        return ok(thirdPartyDetails(JOB, nonce, jobData("exec-1")));
    }

    private static ResponseDefinitionBuilder[] oneUnansweredCallThen(ResponseDefinitionBuilder answer) {
        return concat(times(SDK_ATTEMPTS, serverError(500)), answers(answer));
    }

    @Test
    void anAcknowledgementThatGotNoAnswerIsSentAgainAfterTheFirstBackoff() {
        detailsAnswer(detailsWithNonce(NONCE));

        ClaimResult result = claimWith(ACK_CALLS, oneUnansweredCallThen(status("InProgress")));

        assertThat(result).isInstanceOf(ClaimResult.Claimed.class);
        assertThat(cp.requests(ACK_THIRD_PARTY)).hasSize(SDK_ATTEMPTS + 1)
                .allSatisfy(ack -> assertThat(ack.path("nonce").asText()).isEqualTo(NONCE));
        assertThat(slept).containsExactly(FIRST_BACKOFF);
    }

    @Test
    void whenNoCallGetsAnAnswerTheLastErrorIsThrownAfterTheConfiguredNumberOfCalls() {
        detailsAnswer(detailsWithNonce(NONCE));

        assertThatThrownBy(() -> claimWith(3, times(3 * SDK_ATTEMPTS, serverError(500))))
                .isInstanceOf(AwsServiceException.class)
                .satisfies(e -> assertThat(((AwsServiceException) e).statusCode()).isEqualTo(500));

        assertThat(cp.requests(ACK_THIRD_PARTY)).hasSize(3 * SDK_ATTEMPTS);
        assertThat(slept).as("the backoff doubles from call to call").containsExactly(FIRST_BACKOFF,
                FIRST_BACKOFF.multipliedBy(2));
    }

    @Test
    void aThrottledAcknowledgementIsSentAgainToo() {
        detailsAnswer(detailsWithNonce(NONCE));

        ClaimResult result = claimWith(ACK_CALLS, concat(times(SDK_ATTEMPTS,
                awsError("ThrottlingException", "slow down")), answers(status("InProgress"))));

        assertThat(result).isInstanceOf(ClaimResult.Claimed.class);
        assertThat(slept).hasSize(1);
    }

    @Test
    void anInterruptedBackoffEndsTheClaimWithTheErrorOfTheLastCall() {
        detailsAnswer(detailsWithNonce(NONCE));
        sleepCompletes = false;

        assertThatThrownBy(() -> claimWith(ACK_CALLS, oneUnansweredCallThen(status("InProgress"))))
                .isInstanceOf(AwsServiceException.class);

        assertThat(cp.requests(ACK_THIRD_PARTY)).hasSize(SDK_ATTEMPTS);
        assertThat(slept).hasSize(1);
    }

    @Test
    void aNonceRefusedAtTheFirstAttemptOfTheNextCallIsOursWhenTheJobStillHasIt() {
        detailsAnswer(detailsWithNonce(NONCE), detailsWithNonce(NONCE));

        ClaimResult result = claimWith(ACK_CALLS,
                oneUnansweredCallThen(awsError("InvalidNonceException", "nonce already used")));

        assertThat(result).isInstanceOf(ClaimResult.Claimed.class);
        assertThat(cp.requests(GET_THIRD_PARTY_DETAILS)).as("the nonce was compared").hasSize(2);
    }

    @Test
    void aNonceRefusedAtTheFirstAttemptOfTheNextCallIsNotOursWhenTheJobHasANewNonce() {
        detailsAnswer(detailsWithNonce(NONCE), detailsWithNonce("nonce-of-another-worker"));

        ClaimResult result = claimWith(ACK_CALLS,
                oneUnansweredCallThen(awsError("InvalidNonceException", "nonce already used")));

        assertThat(result).isEqualTo(new ClaimResult.Lost("another worker acknowledged it first"));
    }

    @Test
    void aJobGoneBetweenTwoCallsIsLost() {
        detailsAnswer(detailsWithNonce(NONCE));

        ClaimResult result = claimWith(ACK_CALLS,
                oneUnansweredCallThen(awsError("JobNotFoundException", "no such job")));

        assertThat(result).isEqualTo(new ClaimResult.Lost("the job no longer exists"));
    }

    @Test
    void aSingleCallIsNotRepeated() {
        detailsAnswer(detailsWithNonce(NONCE));

        assertThatThrownBy(() -> claimWith(1, oneUnansweredCallThen(status("InProgress"))))
                .isInstanceOf(AwsServiceException.class);

        assertThat(cp.requests(ACK_THIRD_PARTY)).hasSize(SDK_ATTEMPTS);
        assertThat(slept).isEmpty();
    }

    @Test
    void aRefusalThatDoesNotSayHowManyAttemptsWereMadeIsNotTakenAsARetriedOne() {
        assertThat(Acknowledgement.ownAttemptMayHaveSucceeded(InvalidNonceException.builder().build())).isFalse();
        assertThat(Acknowledgement.ownAttemptMayHaveSucceeded(InvalidNonceException.builder().numAttempts(1).build()))
                .isFalse();
        assertThat(Acknowledgement.ownAttemptMayHaveSucceeded(InvalidNonceException.builder().numAttempts(2).build()))
                .isTrue();
    }
}

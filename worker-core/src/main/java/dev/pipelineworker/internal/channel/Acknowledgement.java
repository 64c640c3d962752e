package dev.pipelineworker.internal.channel;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.codepipeline.model.InvalidNonceException;

/**
 * Sends an acknowledgement and reads one refused for its nonce.
 *
 * <p>An acknowledgement can be applied by CodePipeline while its answer is lost (connection reset, truncated
 * body, attempt timeout). The SDK retries such a call; if an earlier attempt did reach CodePipeline, the retry is
 * refused because the nonce is spent by this very worker. And when every SDK attempt loses its answer, the call
 * fails although the job may be ours. Treating either as "not ours" would leave a job acknowledged and never
 * reported, hanging its pipeline until the service timeout. So a call that got no answer is sent again (a few
 * times, a short pause apart: this layer exists to learn the outcome, not to outlast an outage), and a refusal
 * for the nonce after an attempt that may have been applied is taken as ours. A competitor claiming the job
 * within those few seconds is far less likely: CodePipeline hands a job to another worker only after its
 * acknowledgement is overdue.
 */
final class Acknowledgement {

    private static final Logger LOG = LoggerFactory.getLogger(Acknowledgement.class);

    /** Calls of the acknowledge operation, each with the SDK's own retries, before the claim fails. */
    static final int MAX_CALLS = 4;
    private static final Duration[] PAUSES = {Duration.ofMillis(250), Duration.ofSeconds(1), Duration.ofSeconds(2)};

    private Acknowledgement() {
    }

    /**
     * Acknowledges with {@code call}. Returns its answer, or empty when the nonce was refused after an earlier
     * attempt of ours may have been applied (the job is ours, status InProgress). Throws
     * {@link InvalidNonceException} when another worker claimed the job, and the last error when no call got an
     * answer.
     */
    static <R> Optional<R> send(Supplier<R> call) {
        boolean earlierMayHaveApplied = false;
        for (int calls = 1; ; calls++) {
            try {
                return Optional.of(call.get());
            } catch (InvalidNonceException e) {
                if (earlierMayHaveApplied || ownAttemptMayHaveSucceeded(e)) {
                    LOG.warn("the acknowledgement was refused for its nonce after an earlier attempt whose answer "
                            + "was lost; that attempt probably succeeded, so the job is taken as this worker's");
                    return Optional.empty();
                }
                throw e;
            } catch (SdkException e) {
                if (calls >= MAX_CALLS || !answerMayBeLost(e)) {
                    throw e;
                }
                earlierMayHaveApplied = true;
                LOG.debug("acknowledgement call {} got no answer; asking again", calls, e);
                if (!pause(PAUSES[Math.min(calls, PAUSES.length) - 1])) {
                    throw e;
                }
            }
        }
    }

    /** Whether the SDK itself retried before the nonce was refused, so an earlier attempt may have succeeded. */
    static boolean ownAttemptMayHaveSucceeded(InvalidNonceException refused) {
        Integer attempts = refused.numAttempts();
        return attempts != null && attempts > 1;
    }

    /** I/O errors, unreadable answers, timeouts, throttling and 5xx: CodePipeline may have applied the call. */
    private static boolean answerMayBeLost(SdkException error) {
        if (error instanceof SdkClientException) {
            return true;
        }
        return error instanceof AwsServiceException e
                && (e.isThrottlingException() || e.statusCode() >= 500 || e.statusCode() == 429);
    }

    private static boolean pause(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}

package dev.pipelineworker.internal.channel;

import dev.pipelineworker.Backoff;
import dev.pipelineworker.internal.Sleeper;
import java.util.Optional;
import java.util.Random;
import java.util.function.BooleanSupplier;
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
 * reported, hanging its pipeline until the service timeout. So a call that got no answer is sent again, with
 * the patience the worker has for reporting results (a job it may own must not be dropped sooner), and a refusal
 * for the nonce after an attempt that may have been applied is taken as ours. A competitor claiming the job
 * meanwhile is less likely: CodePipeline hands a job to another worker only after its
 * acknowledgement is overdue. Where the channel can tell (third-party job details carry the job's current nonce)
 * it confirms that the nonce is still the one it was given; a custom job's details carry no nonce, so there a
 * claim that outlives CodePipeline's acknowledgement timeout may run a job another worker also runs.
 */
public final class Acknowledgement {

    private static final Logger LOG = LoggerFactory.getLogger(Acknowledgement.class);

    private final int maxCalls;
    private final Backoff backoff;
    private final Random random;

    /**
     * At most {@code maxCalls} calls of the acknowledge operation, each with the SDK's own retries, with
     * {@code backoff} between them: the worker's report retry settings, so that the worker waits as long to learn
     * whether it owns a job as it would to report it.
     */
    public Acknowledgement(int maxCalls, Backoff backoff, Random random) {
        this.maxCalls = maxCalls;
        this.backoff = backoff;
        this.random = random;
    }

    /**
     * Acknowledges with {@code call}. Returns its answer, or empty when the nonce was refused after an earlier
     * attempt of ours may have been applied and {@code nonceStillCurrent} confirms that the job was not handed to
     * another worker with a new nonce since (the job is ours, status InProgress). Throws
     * {@link InvalidNonceException} when another worker claimed the job, and the last error when no call got an
     * answer.
     */
    <R> Optional<R> send(Supplier<R> call, BooleanSupplier nonceStillCurrent) {
        boolean earlierMayHaveApplied = false;
        for (int calls = 1; ; calls++) {
            try {
                return Optional.of(call.get());
            } catch (InvalidNonceException e) {
                if ((earlierMayHaveApplied || ownAttemptMayHaveSucceeded(e)) && nonceStillCurrent.getAsBoolean()) {
                    LOG.warn("the acknowledgement was refused for its nonce after an earlier attempt whose answer "
                            + "was lost; that attempt probably succeeded, so the job is taken as this worker's");
                    return Optional.empty();
                }
                throw e;
            } catch (SdkException e) {
                if (calls >= maxCalls || !answerMayBeLost(e)) {
                    throw e;
                }
                earlierMayHaveApplied = true;
                LOG.debug("acknowledgement call {} got no answer; asking again", calls, e);
                if (!Sleeper.THREAD.sleep(backoff.delay(calls, random))) {
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
}

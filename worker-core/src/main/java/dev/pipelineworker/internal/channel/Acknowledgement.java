package dev.pipelineworker.internal.channel;

import dev.pipelineworker.Backoff;
import dev.pipelineworker.internal.Sleeper;
import dev.pipelineworker.internal.TransientErrors;
import java.util.Random;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.codepipeline.model.InvalidNonceException;
import software.amazon.awssdk.services.codepipeline.model.JobNotFoundException;
import software.amazon.awssdk.services.codepipeline.model.JobStatus;

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
 *
 * <p>The same reading resolves, after a restart, a claim that an earlier run journaled but may not have sent: the
 * acknowledgement is sent again with the stored nonce, as one that may already have been applied.
 */
public final class Acknowledgement {

    private static final Logger LOG = LoggerFactory.getLogger(Acknowledgement.class);

    private final int maxCalls;
    private final Backoff backoff;
    private final Random random;
    private final Sleeper sleeper;

    /**
     * At most {@code maxCalls} calls of the acknowledge operation, each with the SDK's own retries, with
     * {@code backoff} between them, slept through {@code sleeper}: the worker's report retry settings, so that the
     * worker waits as long to learn whether it owns a job as it would to report it.
     */
    public Acknowledgement(int maxCalls, Backoff backoff, Random random, Sleeper sleeper) {
        this.maxCalls = maxCalls;
        this.backoff = backoff;
        this.random = random;
        this.sleeper = sleeper;
    }

    /**
     * Acknowledges with {@code call} and says what that means for the claim: {@link ClaimResult.Claimed} with
     * {@code owned} when CodePipeline answered InProgress, or when the nonce was refused after an attempt of ours
     * may have been applied and {@code nonceStillCurrent} confirms that the job was not handed to another worker
     * since; {@link ClaimResult.Lost} when another worker claimed it, the job is gone, or it is in another state.
     * {@code mayAlreadyBeApplied} says that an earlier run may have sent this very acknowledgement. Throws the last
     * error when no call got an answer.
     */
    ClaimResult acknowledge(Supplier<JobStatus> call, boolean mayAlreadyBeApplied, BooleanSupplier nonceStillCurrent,
                            Supplier<ClaimedJob> owned) {
        JobStatus status;
        try {
            status = send(call, mayAlreadyBeApplied, nonceStillCurrent);
        } catch (InvalidNonceException e) {
            return new ClaimResult.Lost("another worker acknowledged it first");
        } catch (JobNotFoundException e) {
            return new ClaimResult.Lost("the job no longer exists");
        }
        if (status != JobStatus.IN_PROGRESS) {
            return new ClaimResult.Lost("acknowledged with status " + status);
        }
        return new ClaimResult.Claimed(owned.get());
    }

    /** The status answered; InProgress when a refused nonce was taken as spent by this worker. */
    private JobStatus send(Supplier<JobStatus> call, boolean mayAlreadyBeApplied, BooleanSupplier nonceStillCurrent) {
        boolean earlierMayHaveApplied = mayAlreadyBeApplied;
        for (int calls = 1; ; calls++) {
            try {
                return call.get();
            } catch (InvalidNonceException e) {
                if ((earlierMayHaveApplied || ownAttemptMayHaveSucceeded(e)) && nonceStillCurrent.getAsBoolean()) {
                    LOG.warn("the acknowledgement was refused for its nonce after an earlier attempt that may have "
                            + "been applied; that attempt probably succeeded, so the job is taken as this worker's");
                    return JobStatus.IN_PROGRESS;
                }
                throw e;
            } catch (SdkException e) {
                if (calls >= maxCalls || !TransientErrors.isTransient(e)) {
                    throw e;
                }
                earlierMayHaveApplied = true;
                LOG.debug("acknowledgement call {} got no answer; asking again", calls, e);
                if (!sleeper.sleep(backoff.delay(calls, random))) {
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
}

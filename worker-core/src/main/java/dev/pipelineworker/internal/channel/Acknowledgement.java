package dev.pipelineworker.internal.channel;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.codepipeline.model.InvalidNonceException;

/**
 * Reads an acknowledgement refused for its nonce. The SDK retries an acknowledgement whose first
 * attempt failed on I/O or a 5xx; if that first attempt did reach CodePipeline, the retry is refused
 * because the nonce is spent by this very worker. Treating that as "another worker won" would leave
 * a job acknowledged by us and never reported, hanging its pipeline until the service timeout.
 * A competitor claiming the job within the few hundred milliseconds of the retry is far less likely,
 * so the job is taken as ours.
 */
final class Acknowledgement {

    private static final Logger LOG = LoggerFactory.getLogger(Acknowledgement.class);

    private Acknowledgement() {
    }

    static boolean ownAttemptMayHaveSucceeded(InvalidNonceException refused) {
        Integer attempts = refused.numAttempts();
        boolean retried = attempts != null && attempts > 1;
        if (retried) {
            LOG.warn("the acknowledgement was refused for its nonce after {} attempts; an earlier attempt "
                    + "probably succeeded, so the job is taken as this worker's", attempts);
        }
        return retried;
    }
}

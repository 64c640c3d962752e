package dev.pipelineworker;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * How one queue's polls are going: when the last one succeeded, how many failed since, and why the last failure
 * happened.
 *
 * @param queue               the queue
 * @param lastSuccessfulPoll  when a poll last succeeded (empty: none yet)
 * @param consecutiveFailures polls failed since the last success
 * @param lastFailure         the kind of the last failed poll (empty: none since the start)
 */
public record QueueHealth(JobQueue queue, Optional<Instant> lastSuccessfulPoll, int consecutiveFailures,
                          Optional<PollFailure> lastFailure) {

    public QueueHealth {
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(lastSuccessfulPoll, "lastSuccessfulPoll");
        Objects.requireNonNull(lastFailure, "lastFailure");
    }

    /** Why a poll failed, in the terms an operator acts on. */
    public enum PollFailure {
        /** CodePipeline throttled the poll: too many workers or calls; it backs off longer. */
        THROTTLED,
        /** The worker's credentials may not poll this queue: an IAM policy, or the region's SCPs. */
        ACCESS_DENIED,
        /** CodePipeline does not know the action type in this region: a typo, or not registered there. */
        ACTION_TYPE_NOT_FOUND,
        /** CodePipeline could not be reached or did not answer in time. */
        NETWORK,
        /** Anything else: a 5xx, an unreadable answer. */
        OTHER
    }
}

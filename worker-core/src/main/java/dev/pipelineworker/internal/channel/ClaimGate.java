package dev.pipelineworker.internal.channel;

/**
 * Asked by a channel just before it sends an acknowledgement: the runtime journals the claim there, so that no
 * instant exists in which CodePipeline holds the job as this worker's while the journal does not know it.
 */
@FunctionalInterface
public interface ClaimGate {

    /** Whether to acknowledge now; false (the worker is shutting down) leaves the job free for other workers. */
    boolean beforeAcknowledge(PendingClaim claim);
}

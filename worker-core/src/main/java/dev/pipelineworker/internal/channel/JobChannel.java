package dev.pipelineworker.internal.channel;

import dev.pipelineworker.ArtifactCredentials;
import dev.pipelineworker.JobQueue;
import java.util.List;

/**
 * The one seam between the runtime and CodePipeline's job APIs, so that neither the runtime nor
 * a handler branches on whether the action is third-party or custom. Calls throw the SDK's
 * exceptions as they come.
 */
public interface JobChannel {

    /** The queue this channel serves: its action type, and the region of its client. */
    JobQueue queue();

    /** Asks for up to {@code maxBatchSize} jobs. */
    List<PolledJob> poll(int maxBatchSize);

    /** Reads the job's details and acknowledges it, but only if {@code gate} admits the claim just before. */
    ClaimResult claim(PolledJob job, ClaimGate gate);

    /**
     * Finds out whether a claim that an earlier run journaled, and may or may not have sent, made the job this
     * worker's: the acknowledgement is sent again with the stored nonce. {@link ClaimResult.Claimed} (with a job
     * that can only be reported) when it is ours, {@link ClaimResult.Lost} when another worker has it or it is gone;
     * throws when CodePipeline cannot be asked.
     */
    ClaimResult reclaim(PendingClaim claim);

    /** Sends the job's result. */
    void report(ClaimedJob job, Report report);

    /** A job claimed by an earlier run of this worker, rebuilt from its journal entry so it can be reported. */
    ClaimedJob restore(String jobId, String clientId);

    /** Reads the job's details again for fresh artifact credentials. */
    ArtifactCredentials refreshCredentials(ClaimedJob job);
}

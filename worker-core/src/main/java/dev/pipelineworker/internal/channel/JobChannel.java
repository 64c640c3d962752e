package dev.pipelineworker.internal.channel;

import dev.pipelineworker.ArtifactCredentials;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The one seam between the runtime and CodePipeline's job APIs, so that neither the runtime nor
 * a handler branches on whether the action is third-party or custom. Calls throw the SDK's
 * exceptions as they come.
 */
public interface JobChannel {

    /** Asks for up to {@code maxBatchSize} jobs. */
    List<PolledJob> poll(int maxBatchSize);

    /** Reads the job's details and acknowledges it, but only if {@code stillWanted} holds just before. */
    ClaimResult claim(PolledJob job, BooleanSupplier stillWanted);

    /** Sends the job's result. */
    void report(ClaimedJob job, Report report);

    /** A job claimed by an earlier run of this worker, rebuilt from its journal entry so it can be reported. */
    ClaimedJob restore(String jobId, String clientId);

    /** Reads the job's details again for fresh artifact credentials. */
    ArtifactCredentials refreshCredentials(ClaimedJob job);
}

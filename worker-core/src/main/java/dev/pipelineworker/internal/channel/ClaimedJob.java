package dev.pipelineworker.internal.channel;

import dev.pipelineworker.JobFailureException;
import dev.pipelineworker.internal.JobData;
import dev.pipelineworker.internal.SharedInternal;
import java.util.Objects;

/**
 * A job this worker acknowledged and now owns. {@code data} is what the handler sees; it is
 * {@code null} when {@code malformed} says why the job data could not be read (the job is then
 * failed at once), and for a job restored from the outcome journal only to be reported.
 * {@code clientId} and {@code clientToken} belong to third-party jobs and are {@code null} for
 * custom ones; the token is a secret.
 */
@SharedInternal
public record ClaimedJob(String jobId, String clientId, String clientToken, JobData data,
                         JobFailureException malformed) {
    public ClaimedJob {
        Objects.requireNonNull(jobId, "jobId");
        if (data != null && malformed != null) {
            throw new IllegalArgumentException("a claimed job has data or a reason it is malformed, not both");
        }
    }

    @Override
    public String toString() {
        return "ClaimedJob[" + jobId + "]";
    }
}

package dev.pipelineworker.internal.channel;

import dev.pipelineworker.JobFailureException;
import dev.pipelineworker.internal.JobData;
import java.util.Objects;

/**
 * A job this worker acknowledged and now owns. Either {@code data} is set, or {@code malformed}
 * says why the job data could not be read (the job is then failed at once). {@code clientToken} is
 * the third-party secret for the job's client, {@code null} for custom jobs.
 */
public record ClaimedJob(String jobId, JobData data, JobFailureException malformed, String clientToken) {
    public ClaimedJob {
        Objects.requireNonNull(jobId, "jobId");
        if ((data == null) == (malformed == null)) {
            throw new IllegalArgumentException("a claimed job has either data or a reason it is malformed");
        }
    }

    @Override
    public String toString() {
        return "ClaimedJob[" + jobId + "]";
    }
}

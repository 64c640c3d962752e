package dev.pipelineworker.testkit.emulator;

import java.util.Objects;

/**
 * A snapshot of one emulated job.
 *
 * @param jobId      the lower-case UUID the emulator gave the job
 * @param state      its state when the snapshot was taken
 * @param offerCount how many times a poll has handed it out
 * @param spec       the job as enqueued, with the emulator's defaults (client id, action execution id) filled in
 */
public record JobInfo(String jobId, JobState state, int offerCount, JobSpec spec) {

    /** Checks the members. */
    public JobInfo {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(spec, "spec");
    }

    /** The action execution the job belongs to. */
    public String actionExecutionId() {
        return spec.context().actionExecutionId();
    }

    /** The region the job runs in: only callers signing for it are handed the job or may work on it. */
    public String region() {
        return spec.region();
    }

    /** Whether this is a third-party job (served by the *ThirdParty* operations). */
    public boolean isThirdParty() {
        return spec.isThirdParty();
    }
}

package dev.pipelineworker.testkit.emulator.internal;

import dev.pipelineworker.testkit.emulator.JobInfo;
import dev.pipelineworker.testkit.emulator.JobSpec;
import dev.pipelineworker.testkit.emulator.JobState;
import java.time.Instant;

/** One job's mutable state; every access is guarded by the {@link EmulatorState} monitor. */
final class JobRecord {

    final String id;
    /** Replaced only to renew the artifact credentials. */
    JobSpec spec;
    final Instant availableAt;
    final Instant deadline;
    /** The pipeline execution: the spec's, or one the emulator made up for a job whose spec names none. */
    final String executionId;
    JobState state;
    /** When the job reached a terminal state; null before. */
    Instant endedAt;
    /** Whether an Abandoned job was cancelled by a pipeline update rather than stopped and abandoned. */
    boolean cancelled;
    String nonce;
    Instant ackDeadline;
    int offerCount;

    JobRecord(String id, JobSpec spec, String executionId, JobState state, Instant availableAt, Instant deadline) {
        this.id = id;
        this.executionId = executionId;
        this.spec = spec;
        this.state = state;
        this.availableAt = availableAt;
        this.deadline = deadline;
    }

    /** Fixed when the job is enqueued; continuations keep it. */
    String region() {
        return spec.region();
    }

    /** The spec's pipeline ARN, or the one the service would give the pipeline. */
    String pipelineArn() {
        String arn = spec.context().pipelineArn();
        return arn != null ? arn
                : "arn:aws:codepipeline:" + region() + ":" + spec.accountId() + ":" + spec.context().pipelineName();
    }

    String pipelineName() {
        return spec.context().pipelineName();
    }

    boolean isThirdParty() {
        return spec.isThirdParty();
    }

    /** Queued jobs, and dispatched ones whose acknowledgement is overdue, go to the next poll. */
    boolean offerable(Instant now) {
        return state == JobState.Queued || (state == JobState.Dispatched && !now.isBefore(ackDeadline));
    }

    void offer(String newNonce, Instant newAckDeadline) {
        state = JobState.Dispatched;
        nonce = newNonce;
        ackDeadline = newAckDeadline;
        offerCount++;
    }

    JobInfo info() {
        return new JobInfo(id, state, offerCount, spec);
    }

    JobView view() {
        return new JobView(id, spec, nonce);
    }

    /** What a response needs of a job, taken under the monitor. */
    record JobView(String id, JobSpec spec, String nonce) {
    }
}

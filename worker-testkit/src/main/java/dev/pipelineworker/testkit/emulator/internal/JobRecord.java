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
    JobState state;
    String nonce;
    Instant ackDeadline;
    int offerCount;

    JobRecord(String id, JobSpec spec, JobState state, Instant availableAt, Instant deadline) {
        this.id = id;
        this.spec = spec;
        this.state = state;
        this.availableAt = availableAt;
        this.deadline = deadline;
    }

    /** Fixed when the job is enqueued; continuations keep it. */
    String region() {
        return spec.region();
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

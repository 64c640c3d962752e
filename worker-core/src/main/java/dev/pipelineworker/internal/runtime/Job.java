package dev.pipelineworker.internal.runtime;

import dev.pipelineworker.JobObserver;
import dev.pipelineworker.JobQueue;
import dev.pipelineworker.internal.Cancellation;
import dev.pipelineworker.internal.channel.ClaimedJob;
import dev.pipelineworker.internal.channel.JobChannel;
import dev.pipelineworker.internal.channel.PendingClaim;
import dev.pipelineworker.internal.channel.PolledJob;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One polled job on its way through the worker, with its state and its slot. The state only moves forward:
 * {@code POLLED → CLAIMING → RUNNING → REPORTING → DONE}, or straight to {@code DONE} from a state before
 * {@code RUNNING} when the job is lost, skipped or never started. {@link #takeReport()} is the one place that
 * decides who reports a job (the handler returning, the deadline, or the end of the shutdown grace), so each
 * claimed job gets exactly one report sequence. The slot is released once, when the job's thread is free again
 * (a handler that ignores its interrupt keeps its slot, because it keeps its thread).
 */
final class Job {

    /** Where a job is. */
    enum State { POLLED, CLAIMING, RUNNING, REPORTING, DONE }

    private final JobChannel channel;
    private final PolledJob polled;
    private final Capacity.Permit permit;
    private final AtomicReference<State> state = new AtomicReference<>(State.POLLED);
    private volatile ClaimedJob claimed;
    private volatile PendingClaim journaled;
    private volatile Future<?> execution;
    private volatile Future<?> deadline;
    private volatile JobObserver.JobObservation observation = JobObserver.JobObservation.NONE;
    private volatile long claimedAtNanos;
    private final Cancellation cancellation = new Cancellation();

    Job(JobChannel channel, PolledJob polled, Capacity.Permit permit) {
        this.channel = channel;
        this.polled = polled;
        this.permit = permit;
    }

    /** The signal the handler's context reads; set when CodePipeline cancelled the job while it ran. */
    Cancellation cancellation() {
        return cancellation;
    }

    String id() {
        return polled.jobId();
    }

    PolledJob polled() {
        return polled;
    }

    /** The channel of the queue the job came from, which every call about it goes through. */
    JobChannel channel() {
        return channel;
    }

    JobQueue queue() {
        return channel.queue();
    }

    State state() {
        return state.get();
    }

    /** The job as claimed; {@code null} before {@link #claimed(ClaimedJob)}. */
    ClaimedJob claimed() {
        return claimed;
    }

    /** Starts the claim; false when the job was ended before its thread got to it. */
    boolean startClaiming() {
        return state.compareAndSet(State.POLLED, State.CLAIMING);
    }

    /** How this job is observed; NONE until its thread starts it. */
    JobObserver.JobObservation observation() {
        return observation;
    }

    void observation(JobObserver.JobObservation observation) {
        this.observation = observation;
    }

    /** When the acknowledgement was accepted, on the monotonic clock. */
    long claimedAtNanos() {
        return claimedAtNanos;
    }

    /** The acknowledgement made the job ours. */
    void claimed(ClaimedJob job) {
        claimedAtNanos = System.nanoTime();
        claimed = job;
        state.compareAndSet(State.CLAIMING, State.RUNNING);
    }

    /** The claim this job wrote to the journal, or {@code null}; ending the job unclaimed must remove it. */
    PendingClaim journaledClaim() {
        return journaled;
    }

    void journaled(PendingClaim claim) {
        journaled = claim;
    }

    /** True for exactly one caller: the one that reports the job. */
    boolean takeReport() {
        return state.compareAndSet(State.RUNNING, State.REPORTING);
    }

    /** Ends the job; true for the one caller that ended it. */
    boolean finish() {
        return state.getAndSet(State.DONE) != State.DONE;
    }

    /** The job's slot, which its thread may pass on to the next poll instead of releasing it. */
    Capacity.Permit slot() {
        return permit;
    }

    /** Gives the job's slot back to the worker; once. */
    void releaseSlot() {
        permit.release();
    }

    void execution(Future<?> future) {
        execution = future;
    }

    /** Cancels the job's execution if it has not started; true if it was cancelled. */
    boolean cancelIfNotStarted() {
        Future<?> future = execution;
        return future != null && future.cancel(false);
    }

    /** Interrupts the job's thread, if it runs. */
    void interrupt() {
        Future<?> future = execution;
        if (future != null) {
            future.cancel(true);
        }
    }

    void deadline(Future<?> timer) {
        deadline = timer;
    }

    void cancelDeadline() {
        Future<?> timer = deadline;
        if (timer != null) {
            timer.cancel(false);
        }
    }

    @Override
    public String toString() {
        return "Job[" + id() + ", " + queue() + ", " + state.get() + "]";
    }
}

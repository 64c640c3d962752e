package dev.pipelineworker;

import java.util.List;
import java.util.Objects;

/**
 * A snapshot of how a {@link JobWorker} is doing, for health endpoints and gauges: its state, each queue's polls,
 * its slots and its journal. Taking one never calls AWS. {@link #isReady()} is what a readiness probe should
 * read; {@link #isLive()} never depends on AWS being reachable, so a liveness probe on it does not restart a
 * worker that merely waits out an outage.
 *
 * @param state          where the worker is in its life
 * @param queues         every queue it serves, in the order of {@link JobWorker#queues()}
 * @param slotsInUse     jobs holding one of the {@code maxConcurrentJobs} slots (claiming, running or reporting)
 * @param slotsFree      slots free for the next poll
 * @param jobsInFlight   jobs claimed or being claimed and not yet reported
 * @param journalBacklog outcome journal entries not yet settled (claims and outcomes waiting for CodePipeline)
 * @param extensions     how each {@link WorkerExtension} that reported its health is doing; never part of
 *                       {@link #isReady()}
 */
public record WorkerHealth(State state, List<QueueHealth> queues, int slotsInUse, int slotsFree, int jobsInFlight,
                           int journalBacklog, List<ExtensionHealth> extensions) {

    public WorkerHealth {
        Objects.requireNonNull(state, "state");
        queues = List.copyOf(queues);
        extensions = List.copyOf(extensions);
    }

    /** A worker's health without extensions. */
    public WorkerHealth(State state, List<QueueHealth> queues, int slotsInUse, int slotsFree, int jobsInFlight,
                        int journalBacklog) {
        this(state, queues, slotsInUse, slotsFree, jobsInFlight, journalBacklog, List.of());
    }

    /** Where a worker is in its life. */
    public enum State {
        /** Built or started, and no queue has polled successfully yet. */
        STARTING,
        /** Polling: at least one queue has polled successfully since the start. */
        READY,
        /** Shutting down: no more polls, running jobs finishing. */
        DRAINING,
        /** Every job reported, or never started and shut down. */
        STOPPED
    }

    /**
     * Whether the worker should receive traffic, in the probe's sense: it has polled successfully (one queue
     * suffices, so a region where the action is not registered does not hold the whole worker back) and is not
     * draining.
     */
    public boolean isReady() {
        return state == State.READY;
    }

    /** Whether the process is alive in the probe's sense: the worker has not stopped. Never depends on AWS. */
    public boolean isLive() {
        return state != State.STOPPED;
    }
}

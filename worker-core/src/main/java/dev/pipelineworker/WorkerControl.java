package dev.pipelineworker;

import java.util.List;

/**
 * What a {@link WorkerExtension} may do to the worker it is attached to. Thread-safe; every method returns at once
 * and never calls AWS.
 */
public interface WorkerControl {

    /** The queues the worker serves, as {@link JobWorker#queues()}. */
    List<JobQueue> queues();

    /**
     * Ends the idle wait of {@code queue}'s poller now, so it polls at once; a wake-up while the poller is busy
     * makes its next idle wait end at once instead. Unknown queues are ignored.
     */
    void wakeUp(JobQueue queue);

    /** The idle backoff the worker was built with ({@link JobWorker.Builder#idleBackoff(Backoff)}). */
    Backoff configuredIdleBackoff();

    /**
     * The idle backoff of {@code queue}'s poller from its next wait on, e.g. a longer maximum while another
     * signal (a queue of pipeline events) says when jobs arrive; {@link #configuredIdleBackoff()} restores it.
     */
    void idleBackoff(JobQueue queue, Backoff backoff);

    /** The jobs whose handlers run now. */
    List<RunningJob> runningJobs();

    /**
     * Cancels a running job because CodePipeline no longer wants its result: its context says
     * {@link JobContext#isCancelled() cancelled} and runs the handler's {@link JobContext#onCancel cancel actions},
     * its handler thread is interrupted, nothing is reported for it, its journal entry is removed, and one line
     * logs {@code reason}. False when no such job runs (it was never here, or its report is already under way).
     */
    boolean cancel(String jobId, String reason);

    /** Reports how the extension is doing; shown in {@link JobWorker#health()} under its name, the latest wins. */
    void health(ExtensionHealth health);
}

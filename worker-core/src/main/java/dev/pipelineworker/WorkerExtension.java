package dev.pipelineworker;

/**
 * Something that runs beside a {@link JobWorker} and steers it through a {@link WorkerControl}: wakes a queue's
 * poller when a job is known to exist, relaxes idle polling while it can, cancels jobs CodePipeline gave up on.
 * worker-events' {@code WorkerEvents} is one. Attach it with {@link JobWorker.Builder#extension(WorkerExtension)};
 * the worker starts it after its own start and closes it when it shuts down. An extension must never stop job
 * polling: when it breaks it says so in {@link WorkerControl#health(ExtensionHealth)} and the worker polls on.
 */
public interface WorkerExtension extends AutoCloseable {

    /** Starts the extension's own work (threads it makes itself); called once, after the worker started. */
    void start(WorkerControl control);

    /** Stops the extension's work and releases what it made; called once, when the worker shuts down. */
    @Override
    void close();
}

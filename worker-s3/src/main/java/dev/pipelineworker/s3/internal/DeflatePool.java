package dev.pipelineworker.s3.internal;

import dev.pipelineworker.internal.archive.DirectoryZipper;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that deflate output zips for all of a factory's stores: the executor the user gave
 * (theirs to close), or else a pool of its own with one daemon thread per configured core, made on
 * the first zip (a factory that never zips has no threads) and shut down by {@link #close()}.
 * Twice as many chunks as threads may be in flight, so a thread finds the next chunk ready.
 */
public final class DeflatePool implements AutoCloseable {

    private static final AtomicInteger THREADS = new AtomicInteger();

    private final S3StoreSettings settings;
    private ExecutorService owned;
    private DirectoryZipper zipper;
    private boolean closed;

    public DeflatePool(S3StoreSettings settings) {
        this.settings = settings;
    }

    /** The zipper to use, on the given executor or this pool's threads. */
    public synchronized DirectoryZipper zipper() {
        if (closed) {
            throw new IllegalStateException("the S3 artifact store factory is closed");
        }
        if (zipper == null) {
            int threads = settings.deflateParallelism();
            if (settings.deflateExecutor() != null) {
                zipper = new DirectoryZipper(settings.deflateExecutor(), 2 * threads);
            } else {
                owned = Executors.newFixedThreadPool(threads, DeflatePool::thread);
                zipper = new DirectoryZipper(owned, 2 * threads);
            }
        }
        return zipper;
    }

    private static Thread thread(Runnable task) {
        Thread thread = new Thread(task, "pipeline-worker-deflate-" + THREADS.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    }

    /** Stops this pool's own threads; an executor handed in stays as it is. */
    @Override
    public synchronized void close() {
        closed = true;
        if (owned != null) {
            owned.shutdownNow();
            owned = null;
        }
    }
}

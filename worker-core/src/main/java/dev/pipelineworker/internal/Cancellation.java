package dev.pipelineworker.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cancellation signal of one job, behind {@link dev.pipelineworker.JobContext#isCancelled()} and
 * {@link dev.pipelineworker.JobContext#onCancel(Runnable)}: set once, and each registered action runs once.
 */
public final class Cancellation {

    private static final Logger LOG = LoggerFactory.getLogger(Cancellation.class);

    private final List<Runnable> actions = new ArrayList<>();
    private boolean cancelled;

    /** Whether {@link #cancel()} was called. */
    public synchronized boolean isCancelled() {
        return cancelled;
    }

    /** Runs {@code action} when cancelled, or now if already cancelled. */
    public void onCancel(Runnable action) {
        Objects.requireNonNull(action, "action");
        synchronized (this) {
            if (!cancelled) {
                actions.add(action);
                return;
            }
        }
        runSafely(action);
    }

    /** Cancels; true for the first call, which runs the registered actions on the calling thread. */
    public boolean cancel() {
        List<Runnable> toRun;
        synchronized (this) {
            if (cancelled) {
                return false;
            }
            cancelled = true;
            toRun = List.copyOf(actions);
            actions.clear();
        }
        toRun.forEach(Cancellation::runSafely);
        return true;
    }

    private static void runSafely(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            LOG.warn("a job's cancellation action failed: {}", RateLimitedLog.describe(e));
        }
    }
}

package dev.pipelineworker.internal;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A signal that ends one waiter's {@link Sleeper#sleep(Duration, WakeUp) sleep} early. Signals given while no one
 * waits are kept, but only one: many wake-ups before a wait end that one wait, not the waits after it.
 */
public final class WakeUp {

    private final Semaphore signal = new Semaphore(0);

    /** Ends the current wait, or the next one if none runs. */
    public synchronized void signal() {
        if (signal.availablePermits() == 0) {
            signal.release();
        }
    }

    /** Takes a kept signal; true if there was one. */
    boolean consume() {
        return signal.tryAcquire();
    }

    /** Waits up to {@code duration} or until signalled; false when interrupted. */
    boolean await(Duration duration) {
        try {
            signal.tryAcquire(duration.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}

package dev.pipelineworker.internal;

import java.time.Duration;

/** Waits between polls; a seam so that loop tests run without real time passing. */
@FunctionalInterface
public interface Sleeper {

    /** Sleeps for {@code duration}; false when interrupted, which means: stop. */
    boolean sleep(Duration duration);

    /** Sleeps on the calling thread. */
    Sleeper THREAD = duration -> {
        try {
            Thread.sleep(duration.toMillis(), (int) (duration.toNanos() % 1_000_000));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    };
}

package dev.pipelineworker.internal;

import java.time.Duration;

/** Waits between polls; a seam so that loop tests run without real time passing. */
@FunctionalInterface
@SharedInternal
public interface Sleeper {

    /** Sleeps for {@code duration}; false when interrupted, which means: stop. */
    boolean sleep(Duration duration);

    /**
     * Sleeps as {@link #sleep(Duration)} but ends early, returning true, when {@code wakeUp} is signalled. This
     * default honours only a signal given before the call, so that a test sleeper sees every wait it is asked for.
     */
    default boolean sleep(Duration duration, WakeUp wakeUp) {
        return wakeUp.consume() || sleep(duration);
    }

    /** Sleeps on the calling thread; a wake-up ends the sleep at once. */
    Sleeper THREAD = new Sleeper() {
        @Override
        public boolean sleep(Duration duration) {
            try {
                Thread.sleep(duration.toMillis(), (int) (duration.toNanos() % 1_000_000));
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        @Override
        public boolean sleep(Duration duration, WakeUp wakeUp) {
            return wakeUp.await(duration);
        }
    };
}

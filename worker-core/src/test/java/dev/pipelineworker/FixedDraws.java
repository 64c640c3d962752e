package dev.pipelineworker;

import java.util.Random;

/** Randomness for backoff tests: every {@link Random#nextDouble()} draw is the same value, so jitter is exact. */
final class FixedDraws {

    private FixedDraws() {
    }

    /** A random source whose every draw is {@code value}, from 0 (inclusive) to 1 (exclusive). */
    static Random of(double value) {
        return new Random() {
            @Override
            public double nextDouble() {
                return value;
            }
        };
    }
}

package dev.pipelineworker;

import java.time.Duration;
import java.util.Objects;
import java.util.Random;

/**
 * An exponential backoff with jitter: attempt {@code n} waits {@code initial * multiplier^(n-1)},
 * capped at {@code max}, then spread by {@code ±jitter} (a fraction, 0-1) so that many workers do
 * not poll in step.
 *
 * <p>Build one with {@link #exponential(Duration, Duration)} and the {@code with...} methods. The
 * canonical constructor is public because records must have it, but it gains a parameter whenever
 * a member is added; the factory and the {@code with...} methods stay as they are.
 */
public record Backoff(Duration initial, Duration max, double multiplier, double jitter) {

    public Backoff {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isNegative() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 <= initial <= max");
        }
        if (multiplier < 1.0) {
            throw new IllegalArgumentException("backoff multiplier must be at least 1, got " + multiplier);
        }
        if (jitter < 0.0 || jitter > 1.0) {
            throw new IllegalArgumentException("backoff jitter must be within 0-1, got " + jitter);
        }
    }

    /** Doubling from {@code initial} up to {@code max}, with 20% jitter. */
    public static Backoff exponential(Duration initial, Duration max) {
        return new Backoff(initial, max, 2.0, 0.2);
    }

    /** This backoff with another multiplier. */
    public Backoff withMultiplier(double multiplier) {
        return new Backoff(initial, max, multiplier, jitter);
    }

    /** This backoff with another jitter fraction. */
    public Backoff withJitter(double jitter) {
        return new Backoff(initial, max, multiplier, jitter);
    }

    /** The wait before attempt {@code attempt} (1 for the first retry), drawn with {@code random}. */
    public Duration delay(int attempt, Random random) {
        double base = initial.toNanos() * Math.pow(multiplier, Math.max(0, attempt - 1));
        double capped = Math.min(base, max.toNanos());
        double spread = capped * (1.0 - jitter + 2.0 * jitter * random.nextDouble());
        return Duration.ofNanos((long) Math.min(spread, max.toNanos()));
    }
}

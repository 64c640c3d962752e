package dev.pipelineworker;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * How a {@link WorkerExtension} is doing, in {@link WorkerHealth#extensions()}. An unhealthy extension never makes
 * the worker unready: job polling goes on without it.
 *
 * @param name                what the extension is, e.g. {@code events:https://sqs.../queue}
 * @param healthy             whether its last attempt worked
 * @param lastSuccess         when its work last succeeded (empty: not yet)
 * @param consecutiveFailures attempts failed since the last success
 * @param problem             a one-line description of the last failure (empty: none since the last success);
 *                            never a secret
 */
public record ExtensionHealth(String name, boolean healthy, Optional<Instant> lastSuccess, int consecutiveFailures,
                              Optional<String> problem) {

    public ExtensionHealth {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(lastSuccess, "lastSuccess");
        Objects.requireNonNull(problem, "problem");
    }

    /** A success now. */
    public static ExtensionHealth ok(String name, Instant at) {
        return new ExtensionHealth(name, true, Optional.of(at), 0, Optional.empty());
    }

    /** One more failure after {@code previous} (may be null), described by {@code problem}. */
    public static ExtensionHealth failing(String name, ExtensionHealth previous, String problem) {
        return new ExtensionHealth(name, false, previous == null ? Optional.empty() : previous.lastSuccess(),
                previous == null ? 1 : previous.consecutiveFailures() + 1, Optional.of(problem));
    }
}

package dev.pipelineworker.testkit.emulator;

import dev.pipelineworker.testkit.emulator.internal.RegionNames;
import java.util.Objects;
import java.util.Set;

/**
 * Selects calls for a {@link Fault}: the calls of some operations (all operations, unknown ones included,
 * when {@code operations} is empty) from callers signing for some regions (every region when {@code regions} is
 * empty), either the next N of them or each with a probability drawn from the emulator's injectable
 * {@link java.util.Random}.
 *
 * <pre>{@code
 * // eu-west-1 looks unreachable; every other region is served normally
 * FaultRule.withProbability(1.0, Fault.dropConnection()).inRegion("eu-west-1")
 * }</pre>
 *
 * @param regions the regions whose callers the rule applies to, as {@link RecordedCall#region()} names them
 */
public record FaultRule(Set<Operation> operations, Fault fault, Trigger trigger, Set<String> regions) {

    /** Checks the members and copies the sets. */
    public FaultRule {
        operations = Set.copyOf(Objects.requireNonNull(operations, "operations"));
        Objects.requireNonNull(fault, "fault");
        Objects.requireNonNull(trigger, "trigger");
        regions = Set.copyOf(Objects.requireNonNull(regions, "regions"));
        regions.forEach(region -> RegionNames.requireValid(region, "region"));
    }

    /** A rule for callers of every region, as rules were made before they could name regions. */
    public FaultRule(Set<Operation> operations, Fault fault, Trigger trigger) {
        this(operations, fault, trigger, Set.of());
    }

    /** The fault for the next {@code count} calls of these operations (of every operation when none is named). */
    public static FaultRule nextCalls(int count, Fault fault, Operation... operations) {
        return new FaultRule(Set.of(operations), fault, new Trigger.NextCalls(count));
    }

    /** The fault for each call of these operations (every operation when none is named) with this probability. */
    public static FaultRule withProbability(double probability, Fault fault, Operation... operations) {
        return new FaultRule(Set.of(operations), fault, new Trigger.Probability(probability));
    }

    /**
     * This rule for callers signing for these regions only, e.g. to make one region fail while the others serve.
     * A {@link Trigger.NextCalls} count then counts only those regions' calls.
     */
    public FaultRule inRegion(String... names) {
        return new FaultRule(operations, fault, trigger, Set.of(names));
    }

    /** Whether the rule covers calls with this wire operation name (from a caller of any region it covers). */
    public boolean covers(String wireOperation) {
        return operations.isEmpty()
                || operations.stream().anyMatch(op -> op.wireName().equals(wireOperation));
    }

    /** Whether the rule covers calls with this wire operation name from a caller signing for this region. */
    public boolean covers(String wireOperation, String region) {
        return covers(wireOperation) && (regions.isEmpty() || regions.contains(region));
    }

    /** When a rule fires. */
    public sealed interface Trigger {

        /** For the next {@code count} matching calls, then the rule is spent. */
        record NextCalls(int count) implements Trigger {
            /** Checks that the count is positive. */
            public NextCalls {
                if (count < 1) {
                    throw new IllegalArgumentException("count must be at least 1, got " + count);
                }
            }
        }

        /** For each matching call with this probability, for as long as the rule is installed. */
        record Probability(double probability) implements Trigger {
            /** Checks that the probability is in (0, 1]. */
            public Probability {
                if (!(probability > 0.0 && probability <= 1.0)) {
                    throw new IllegalArgumentException("probability must be in (0, 1], got " + probability);
                }
            }
        }
    }
}

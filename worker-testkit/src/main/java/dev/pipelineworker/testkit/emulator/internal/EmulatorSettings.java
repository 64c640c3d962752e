package dev.pipelineworker.testkit.emulator.internal;

import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.testkit.emulator.FaultRule;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;

/**
 * The emulator's configuration as {@link dev.pipelineworker.testkit.LocalCodePipeline.Builder} collected it.
 *
 * @param clients             client id to client token, in registration order; {@link #toString()} shows only
 *                            the ids
 * @param actionTypes         the action types known in every region
 * @param defaultRegion       the region of jobs that name none, and of callers that sign for none
 * @param regionalActionTypes region to the action types known in that region only
 */
public record EmulatorSettings(
        String host,
        int port,
        Clock clock,
        Random random,
        Duration ackTimeout,
        Duration jobTimeout,
        Duration continuationDelay,
        Map<String, String> clients,
        Set<ActionTypeId> actionTypes,
        List<FaultRule> faultRules,
        String defaultRegion,
        Map<String, Set<ActionTypeId>> regionalActionTypes) {

    /** Checks the members and copies the collections. */
    public EmulatorSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(random, "random");
        requireNotNegative(ackTimeout, "ackTimeout");
        requireNotNegative(jobTimeout, "jobTimeout");
        requireNotNegative(continuationDelay, "continuationDelay");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0-65535, got " + port);
        }
        clients = Collections.unmodifiableMap(new LinkedHashMap<>(clients));
        actionTypes = Set.copyOf(actionTypes);
        faultRules = List.copyOf(faultRules);
        RegionNames.requireValid(defaultRegion, "defaultRegion");
        Map<String, Set<ActionTypeId>> regional = new LinkedHashMap<>();
        regionalActionTypes.forEach((region, types) ->
                regional.put(RegionNames.requireValid(region, "region"), Set.copyOf(types)));
        regionalActionTypes = Collections.unmodifiableMap(regional);
    }

    private static void requireNotNegative(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative");
        }
    }

    @Override
    public String toString() {
        return "EmulatorSettings[host=" + host + ", port=" + port + ", clock=" + clock
                + ", ackTimeout=" + ackTimeout + ", jobTimeout=" + jobTimeout
                + ", continuationDelay=" + continuationDelay + ", clientIds=" + clients.keySet()
                + ", actionTypes=" + actionTypes + ", faultRules=" + faultRules
                + ", defaultRegion=" + defaultRegion + ", regionalActionTypes=" + regionalActionTypes + "]";
    }
}

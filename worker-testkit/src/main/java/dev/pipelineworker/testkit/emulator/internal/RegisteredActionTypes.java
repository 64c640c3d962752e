package dev.pipelineworker.testkit.emulator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipelineworker.ActionTypeId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The action types registered with the emulator, by region: what {@code GetActionType} and {@code ListActionTypes}
 * answer. Each is kept as the service returns it (an {@code ActionTypeDeclaration} for third-party types, an
 * {@code ActionType} for custom ones). Those given when the emulator was built come back on {@link #reset()}.
 */
public final class RegisteredActionTypes {

    /** One registration: the type, and its declaration in the form its owner's operations answer with. */
    public record Registration(ActionTypeId id, JsonNode declaration) {
    }

    private final Map<String, Map<ActionTypeId, Registration>> byRegion = new LinkedHashMap<>();
    private final List<Map.Entry<String, Registration>> seeds = new ArrayList<>();

    /** Registers {@code registration} in {@code region} now and after every reset. */
    public synchronized void seed(String region, Registration registration) {
        seeds.add(Map.entry(region, registration));
        put(region, registration);
    }

    /** Registers or replaces {@code registration} in {@code region}. */
    public synchronized void put(String region, Registration registration) {
        byRegion.computeIfAbsent(region, r -> new LinkedHashMap<>()).put(registration.id(), registration);
    }

    /** The registration of {@code id} in {@code region}. */
    public synchronized Optional<Registration> get(String region, ActionTypeId id) {
        return Optional.ofNullable(byRegion.getOrDefault(region, Map.of()).get(id));
    }

    /** Every registration in {@code region}, in registration order. */
    public synchronized List<Registration> all(String region) {
        return List.copyOf(byRegion.getOrDefault(region, Map.of()).values());
    }

    /** Every registration, with its region. */
    public synchronized List<Map.Entry<String, Registration>> all() {
        List<Map.Entry<String, Registration>> all = new ArrayList<>();
        byRegion.forEach((region, types) -> types.values().forEach(r -> all.add(Map.entry(region, r))));
        return all;
    }

    /** Back to the seeded registrations. */
    public synchronized void reset() {
        byRegion.clear();
        seeds.forEach(seed -> put(seed.getKey(), seed.getValue()));
    }
}

package dev.pipelineworker;

import dev.pipelineworker.actiontype.ActionTypeDefinition;
import dev.pipelineworker.actiontype.ConfigurationProperty;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The action's configuration values, with typed accessors. A required value that is missing, or
 * any value that is malformed, throws a {@link JobFailureException} of type
 * {@link FailureType#CONFIGURATION_ERROR} that names the key. Values may be secret: they never
 * appear in {@code toString} or in error messages.
 *
 * <p>A configuration {@link #declaredBy(ActionTypeDefinition) declared by} an action type definition (as the worker
 * and the testkit hand it to a handler whose worker has one) knows the declared properties: reading a key the
 * definition does not declare throws an {@link IllegalStateException} that names it, because CodePipeline never
 * sends a value for such a key, so the read is a typo or a property missing from the definition.
 */
public final class ActionConfiguration {

    private static final ActionConfiguration EMPTY = new ActionConfiguration(Map.of(), null);

    private final Map<String, String> values;
    private final ActionTypeDefinition definition;

    private ActionConfiguration(Map<String, String> values, ActionTypeDefinition definition) {
        this.values = values;
        this.definition = definition;
    }

    /** A configuration holding these values (copied). */
    public static ActionConfiguration of(Map<String, String> values) {
        if (values == null || values.isEmpty()) {
            return EMPTY;
        }
        return new ActionConfiguration(Collections.unmodifiableMap(new LinkedHashMap<>(values)), null);
    }

    /** These values, declared by {@code definition}: reading a key it does not declare is an error. */
    public ActionConfiguration declaredBy(ActionTypeDefinition definition) {
        return new ActionConfiguration(values, Objects.requireNonNull(definition, "definition"));
    }

    /** The property {@code key} is declared as, when the configuration is declared by a definition that has it. */
    public Optional<ConfigurationProperty> declaredProperty(String key) {
        return definition == null ? Optional.empty() : definition.property(key);
    }

    /** A configuration with no values. */
    public static ActionConfiguration empty() {
        return EMPTY;
    }

    /** All values, unmodifiable. */
    public Map<String, String> asMap() {
        return values;
    }

    /** The keys present. */
    public Set<String> keys() {
        return values.keySet();
    }

    /** The value of {@code key}, if present and not blank. */
    public Optional<String> optionalString(String key) {
        requireDeclared(key);
        String value = values.get(key);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    /** The value of {@code key}; fails with ConfigurationError when missing or blank. */
    public String requireString(String key) {
        return optionalString(key).orElseThrow(() -> missing(key));
    }

    /** The integer value of {@code key}, if present; fails with ConfigurationError when not an integer. */
    public OptionalInt optionalInt(String key) {
        Optional<String> value = optionalString(key);
        if (value.isEmpty()) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseInt(value.get().trim()));
        } catch (NumberFormatException e) {
            throw malformed(key, "must be an integer");
        }
    }

    /** The integer value of {@code key} within {@code [min, max]}, if present. */
    public OptionalInt optionalInt(String key, int min, int max) {
        OptionalInt value = optionalInt(key);
        if (value.isPresent() && (value.getAsInt() < min || value.getAsInt() > max)) {
            throw malformed(key, "must be between " + min + " and " + max);
        }
        return value;
    }

    /** The integer value of {@code key}; fails with ConfigurationError when missing or not an integer. */
    public int requireInt(String key) {
        return optionalInt(key).orElseThrow(() -> missing(key));
    }

    /** The integer value of {@code key} within {@code [min, max]}; fails with ConfigurationError otherwise. */
    public int requireInt(String key, int min, int max) {
        return optionalInt(key, min, max).orElseThrow(() -> missing(key));
    }

    /** The boolean value ({@code true} or {@code false}, any case) of {@code key}, if present. */
    public Optional<Boolean> optionalBoolean(String key) {
        return optionalString(key).map(v -> switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw malformed(key, "must be true or false");
        });
    }

    /** The boolean value of {@code key}; fails with ConfigurationError when missing or malformed. */
    public boolean requireBoolean(String key) {
        return optionalBoolean(key).orElseThrow(() -> missing(key));
    }

    /**
     * The enum constant named by {@code key}, if present. Matching ignores case, underscores and
     * hyphens, so {@code JobFailed}, {@code job-failed} and {@code JOB_FAILED} all name {@code JOB_FAILED}.
     */
    public <E extends Enum<E>> Optional<E> optionalEnum(String key, Class<E> type) {
        return optionalString(key).map(v -> {
            String wanted = normalise(v);
            for (E constant : type.getEnumConstants()) {
                if (normalise(constant.name()).equals(wanted)) {
                    return constant;
                }
            }
            throw malformed(key, "must be one of " + allowed(type));
        });
    }

    /** The enum constant named by {@code key}; fails with ConfigurationError when missing or unknown. */
    public <E extends Enum<E>> E requireEnum(String key, Class<E> type) {
        return optionalEnum(key, type).orElseThrow(() -> missing(key));
    }

    private static String normalise(String name) {
        return name.replace("_", "").replace("-", "").trim().toLowerCase(Locale.ROOT);
    }

    private static <E extends Enum<E>> String allowed(Class<E> type) {
        StringBuilder names = new StringBuilder();
        for (E constant : type.getEnumConstants()) {
            if (names.length() > 0) {
                names.append(", ");
            }
            names.append(constant.name());
        }
        return names.toString();
    }

    private void requireDeclared(String key) {
        if (definition != null && definition.property(key).isEmpty()) {
            throw new IllegalStateException("configuration key '" + key + "' is not declared by the action type "
                    + definition.id() + "; add it to the ActionTypeDefinition's properties (and to the registration), "
                    + "or correct the key");
        }
    }

    private static JobFailureException missing(String key) {
        return new JobFailureException(FailureType.CONFIGURATION_ERROR,
                "configuration key '" + key + "' is required but missing");
    }

    private static JobFailureException malformed(String key, String rule) {
        return new JobFailureException(FailureType.CONFIGURATION_ERROR,
                "configuration key '" + key + "' " + rule);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ActionConfiguration other && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return "ActionConfiguration" + values.keySet();
    }
}

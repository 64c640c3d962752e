package dev.pipelineworker.internal;

import dev.pipelineworker.actiontype.ActionTypeDefinition;
import dev.pipelineworker.actiontype.ConfigurationProperty;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Checks a job's configuration against the declared action type before its handler runs, and hands the handler a
 * configuration that knows the declared properties. Jobs of another action type than the definition's (another
 * version, or a type served with {@code alsoServe}) pass unchecked: the definition does not describe them.
 */
@SharedInternal
public final class ConfigurationCheck {

    private static final ConfigurationCheck NONE = new ConfigurationCheck(null);

    private final ActionTypeDefinition definition;

    private ConfigurationCheck(ActionTypeDefinition definition) {
        this.definition = definition;
    }

    /** No definition: every job passes as it is. */
    public static ConfigurationCheck none() {
        return NONE;
    }

    /** Checks jobs of {@code definition}'s type against it. */
    public static ConfigurationCheck of(ActionTypeDefinition definition) {
        return new ConfigurationCheck(Objects.requireNonNull(definition, "definition"));
    }

    /** The definition checked against, if any. */
    public Optional<ActionTypeDefinition> definition() {
        return Optional.ofNullable(definition);
    }

    /** {@code job} with its configuration declared by the definition, when the definition describes it. */
    public JobData declare(JobData job) {
        return describes(job) ? job.withConfiguration(job.configuration().declaredBy(definition)) : job;
    }

    /**
     * Why the job cannot run, naming the keys (never their values): a required property it lacks. Empty when it
     * can.
     */
    public Optional<String> problem(JobData job) {
        if (!describes(job)) {
            return Optional.empty();
        }
        List<String> missing = definition.properties().stream()
                .filter(ConfigurationProperty::required)
                .map(ConfigurationProperty::name)
                .filter(name -> {
                    String value = job.configuration().asMap().get(name);
                    return value == null || value.isBlank();
                })
                .toList();
        if (missing.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of((missing.size() == 1 ? "configuration key '" + missing.get(0) + "' is"
                : "configuration keys '" + String.join("', '", missing) + "' are")
                + " required by the action type " + definition.id() + " but missing");
    }

    private boolean describes(JobData job) {
        return definition != null && definition.id().equals(job.actionTypeId());
    }
}

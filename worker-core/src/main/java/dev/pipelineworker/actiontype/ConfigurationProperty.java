package dev.pipelineworker.actiontype;

import dev.pipelineworker.internal.ActionTypeLimits;
import java.util.Objects;

/**
 * One configuration property of an action type: what a pipeline author fills in for the action, and what the
 * handler reads from {@link dev.pipelineworker.ActionConfiguration}. Start with {@link #required(String)} or
 * {@link #optional(String)} and refine with the {@code with...} methods; each returns a new property.
 *
 * @param name        the key, 1-50 characters
 * @param required    whether every action of the type must set it
 * @param secret      whether the value is hidden in the console and in {@code GetPipeline}; the worker never logs
 *                    any configuration value, secret or not
 * @param key         whether the property identifies the action's resource (part of the action's identity)
 * @param queryable   whether a custom worker may filter its polls by the value ({@code PollForJobs}'s
 *                    {@code queryParam}); at most one property of a type, required and not secret
 * @param description what it is for, shown to pipeline authors; {@code null} for none, else 1-160 characters
 * @param type        the value's type; {@code null} for none (custom types only; third-party types have none)
 */
public record ConfigurationProperty(String name, boolean required, boolean secret, boolean key, boolean queryable,
                                    String description, PropertyType type) {

    public ConfigurationProperty {
        ActionTypeLimits.checkProperty(name, description);
    }

    /** A property every action of the type must set, of type String, not secret, key or queryable. */
    public static ConfigurationProperty required(String name) {
        return new ConfigurationProperty(name, true, false, false, false, null, PropertyType.STRING);
    }

    /** A property actions may leave out, of type String, not secret, key or queryable. */
    public static ConfigurationProperty optional(String name) {
        return new ConfigurationProperty(name, false, false, false, false, null, PropertyType.STRING);
    }

    /** This property, secret. */
    public ConfigurationProperty withSecret() {
        return new ConfigurationProperty(name, required, true, key, queryable, description, type);
    }

    /** This property, a key property. */
    public ConfigurationProperty withKey() {
        return new ConfigurationProperty(name, required, secret, true, queryable, description, type);
    }

    /** This property, queryable. */
    public ConfigurationProperty withQueryable() {
        return new ConfigurationProperty(name, required, secret, key, true, description, type);
    }

    /** This property with {@code description}. */
    public ConfigurationProperty withDescription(String description) {
        return new ConfigurationProperty(name, required, secret, key, queryable,
                Objects.requireNonNull(description, "description"), type);
    }

    /** This property with values of {@code type}. */
    public ConfigurationProperty withType(PropertyType type) {
        return new ConfigurationProperty(name, required, secret, key, queryable, description,
                Objects.requireNonNull(type, "type"));
    }
}

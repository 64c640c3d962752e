package dev.pipelineworker.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipelineworker.ActionOwner;
import dev.pipelineworker.actiontype.ConfigurationProperty;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every limit the CodePipeline API puts on an action type's registration ({@code UpdateActionType}'s
 * {@code ActionTypeDeclaration} for third-party types, {@code CreateCustomActionType} for custom ones), in one
 * place, checked when a definition is built: each failure is an {@link IllegalArgumentException} whose message
 * names the field and the limit, so a registration is never refused by AWS for a limit found out too late.
 */
@SharedInternal
public final class ActionTypeLimits {

    public static final int MAX_PROPERTIES = 10;
    public static final int MAX_PROPERTY_NAME = 50;
    public static final int MAX_PROPERTY_DESCRIPTION = 160;
    public static final int MAX_TYPE_DESCRIPTION = 1024;
    public static final int MAX_ARTIFACTS = 5;
    public static final int MAX_URL = 2048;
    public static final int MAX_POLICY_TEMPLATE = 2048;
    public static final int MAX_POLLING_ACCOUNTS = 1000;
    public static final Duration MIN_JOB_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration MAX_JOB_TIMEOUT = Duration.ofSeconds(43_200);
    /** What CodePipeline allows a custom action's job; custom types have no executor timeout of their own. */
    public static final Duration CUSTOM_JOB_TIMEOUT = Duration.ofHours(24);
    private static final Pattern ACCOUNT = Pattern.compile("[0-9]{12}");
    private static final Pattern CONFIG_REFERENCE = Pattern.compile("\\{Config:([^}]*)}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private ActionTypeLimits() {
    }

    /** A property's own limits: its name and description. */
    public static void checkProperty(String name, String description) {
        if (name == null || name.isEmpty() || name.length() > MAX_PROPERTY_NAME) {
            throw new IllegalArgumentException("configurationProperties.name must be 1-" + MAX_PROPERTY_NAME
                    + " characters, got " + (name == null ? "none" : name.length()));
        }
        if (description != null && (description.isEmpty() || description.length() > MAX_PROPERTY_DESCRIPTION)) {
            throw new IllegalArgumentException("configurationProperties[" + name + "].description must be 1-"
                    + MAX_PROPERTY_DESCRIPTION + " characters, got " + description.length());
        }
    }

    /** An artifact count: {@code 0 <= minimum <= maximum <= 5}. */
    public static void checkArtifactCount(String field, int minimum, int maximum) {
        if (minimum < 0 || minimum > MAX_ARTIFACTS || maximum < 0 || maximum > MAX_ARTIFACTS) {
            throw new IllegalArgumentException(field + " minimum and maximum must be 0-" + MAX_ARTIFACTS + ", got "
                    + minimum + "-" + maximum);
        }
        if (minimum > maximum) {
            throw new IllegalArgumentException(field + " minimum (" + minimum + ") must not exceed its maximum ("
                    + maximum + ")");
        }
    }

    /** The executor's job timeout of a third-party type: 60-43,200 seconds, whole seconds. */
    public static void checkJobTimeout(Duration timeout) {
        if (timeout.compareTo(MIN_JOB_TIMEOUT) < 0 || timeout.compareTo(MAX_JOB_TIMEOUT) > 0
                || timeout.getNano() != 0) {
            throw new IllegalArgumentException("executorJobTimeout must be whole seconds within "
                    + MIN_JOB_TIMEOUT.toSeconds() + "-" + MAX_JOB_TIMEOUT.toSeconds() + " s, got " + timeout);
        }
    }

    /** A URL or URL template: 1-2,048 characters; {@code null} is absent. */
    public static void checkUrl(String field, String url) {
        if (url != null && (url.isEmpty() || url.length() > MAX_URL)) {
            throw new IllegalArgumentException(field + " must be 1-" + MAX_URL + " characters, got " + url.length());
        }
    }

    /** The type's description: 1-1,024 characters; {@code null} is absent. */
    public static void checkDescription(String description) {
        if (description != null && (description.isEmpty() || description.length() > MAX_TYPE_DESCRIPTION)) {
            throw new IllegalArgumentException("description must be 1-" + MAX_TYPE_DESCRIPTION + " characters, got "
                    + description.length());
        }
    }

    /** The policy statements template: third-party only, 1-2,048 characters of JSON; {@code null} is absent. */
    public static void checkPolicyTemplate(ActionOwner owner, String template) {
        if (template == null) {
            return;
        }
        if (owner != ActionOwner.THIRD_PARTY) {
            throw new IllegalArgumentException("policyStatementsTemplate applies to ThirdParty action types only");
        }
        if (template.isEmpty() || template.length() > MAX_POLICY_TEMPLATE) {
            throw new IllegalArgumentException("policyStatementsTemplate must be 1-" + MAX_POLICY_TEMPLATE
                    + " characters, got " + template.length());
        }
        try {
            JSON.readTree(template);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("policyStatementsTemplate must be JSON (an IAM policy document's "
                    + "statements); it does not parse at line " + e.getLocation().getLineNr());
        }
    }

    /** Polling accounts of a third-party job worker executor: 12 digits each, at most 1,000, each once. */
    public static void checkPollingAccounts(ActionOwner owner, List<String> accounts) {
        if (accounts.isEmpty()) {
            return;
        }
        if (owner != ActionOwner.THIRD_PARTY) {
            throw new IllegalArgumentException("pollingAccounts applies to ThirdParty action types only");
        }
        if (accounts.size() > MAX_POLLING_ACCOUNTS) {
            throw new IllegalArgumentException("pollingAccounts must name at most " + MAX_POLLING_ACCOUNTS
                    + " accounts, got " + accounts.size());
        }
        Set<String> seen = new HashSet<>();
        for (String account : accounts) {
            if (account == null || !ACCOUNT.matcher(account).matches()) {
                throw new IllegalArgumentException("pollingAccounts must be AWS account ids of 12 digits, got '"
                        + account + "'");
            }
            if (!seen.add(account)) {
                throw new IllegalArgumentException("pollingAccounts names " + account + " twice");
            }
        }
    }

    /**
     * The properties together: at most 10, names unique, at most one queryable and that one required and not
     * secret, and every {@code {Config:name}} in the URL templates a required, non-secret property (the console
     * fills the templates in from the action's configuration).
     */
    public static void checkProperties(List<ConfigurationProperty> properties, List<String> urlTemplates) {
        if (properties.size() > MAX_PROPERTIES) {
            throw new IllegalArgumentException("configurationProperties must be at most " + MAX_PROPERTIES
                    + ", got " + properties.size());
        }
        Set<String> names = new HashSet<>();
        ConfigurationProperty queryable = null;
        for (ConfigurationProperty property : properties) {
            if (!names.add(property.name())) {
                throw new IllegalArgumentException("configurationProperties names '" + property.name() + "' twice");
            }
            if (property.queryable()) {
                if (queryable != null) {
                    throw new IllegalArgumentException("configurationProperties: at most one property may be "
                            + "queryable, got '" + queryable.name() + "' and '" + property.name() + "'");
                }
                if (!property.required() || property.secret()) {
                    throw new IllegalArgumentException("configurationProperties[" + property.name()
                            + "]: a queryable property must be required and not secret");
                }
                queryable = property;
            }
        }
        for (String template : urlTemplates) {
            if (template == null) {
                continue;
            }
            Matcher reference = CONFIG_REFERENCE.matcher(template);
            while (reference.find()) {
                String name = reference.group(1);
                boolean usable = properties.stream()
                        .anyMatch(p -> p.name().equals(name) && p.required() && !p.secret());
                if (!usable) {
                    throw new IllegalArgumentException("URL templates may name {Config:" + name + "} only if '"
                            + name + "' is a required, non-secret configuration property");
                }
            }
        }
    }
}

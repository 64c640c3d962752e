package dev.pipelineworker.actiontype;

import dev.pipelineworker.ActionOwner;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.internal.ActionTypeLimits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An action type declared in code, next to its handler: what the worker serves, what is registered with
 * CodePipeline ({@link RegistrationFiles}), and what jobs are checked against before the handler runs
 * ({@link dev.pipelineworker.JobWorker.Builder#actionType(ActionTypeDefinition)}). Immutable; build one with
 * {@link #builder(ActionTypeId)}, which checks every limit of the API.
 */
public final class ActionTypeDefinition {

    private final ActionTypeId id;
    private final String description;
    private final Duration executorJobTimeout;
    private final ArtifactCount inputArtifacts;
    private final ArtifactCount outputArtifacts;
    private final List<ConfigurationProperty> properties;
    private final String configurationUrl;
    private final String entityUrlTemplate;
    private final String executionUrlTemplate;
    private final String revisionUrlTemplate;
    private final String policyStatementsTemplate;
    private final List<String> pollingAccounts;

    private ActionTypeDefinition(Builder b) {
        this.id = b.id;
        this.description = b.description;
        this.executorJobTimeout = b.executorJobTimeout != null ? b.executorJobTimeout
                : b.id.owner() == ActionOwner.THIRD_PARTY ? Builder.DEFAULT_THIRD_PARTY_TIMEOUT
                : ActionTypeLimits.CUSTOM_JOB_TIMEOUT;
        this.inputArtifacts = b.inputArtifacts;
        this.outputArtifacts = b.outputArtifacts;
        this.properties = List.copyOf(b.properties);
        this.configurationUrl = b.configurationUrl;
        this.entityUrlTemplate = b.entityUrlTemplate;
        this.executionUrlTemplate = b.executionUrlTemplate;
        this.revisionUrlTemplate = b.revisionUrlTemplate;
        this.policyStatementsTemplate = b.policyStatementsTemplate;
        this.pollingAccounts = List.copyOf(b.pollingAccounts);
    }

    /** A builder for the type {@code id}. */
    public static Builder builder(ActionTypeId id) {
        return new Builder(id);
    }

    /** The action type's identity, which the worker serves. */
    public ActionTypeId id() {
        return id;
    }

    /** Who owns the type: the id's owner. */
    public ActionOwner owner() {
        return id.owner();
    }

    /** What the type does, for the registration; third-party types only. */
    public Optional<String> description() {
        return Optional.ofNullable(description);
    }

    /**
     * How long CodePipeline gives a job before it times it out: the executor's {@code jobTimeout} for a third-party
     * type, the fixed 24 hours for a custom one. A worker's own job timeout must be shorter, so that the worker, not
     * the service, says why a job took too long.
     */
    public Duration executorJobTimeout() {
        return executorJobTimeout;
    }

    /** How many input artifacts an action of the type takes. */
    public ArtifactCount inputArtifacts() {
        return inputArtifacts;
    }

    /** How many output artifacts an action of the type produces. */
    public ArtifactCount outputArtifacts() {
        return outputArtifacts;
    }

    /** The configuration properties, in declaration order. */
    public List<ConfigurationProperty> properties() {
        return properties;
    }

    /** The property named {@code name}, if declared. */
    public Optional<ConfigurationProperty> property(String name) {
        return properties.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** Where users configure the external system (third-party {@code configurationUrl}, custom {@code thirdPartyConfigurationUrl}). */
    public Optional<String> configurationUrl() {
        return Optional.ofNullable(configurationUrl);
    }

    /** The console's link to the action's resource, with {@code {Config:name}} placeholders. */
    public Optional<String> entityUrlTemplate() {
        return Optional.ofNullable(entityUrlTemplate);
    }

    /** The console's link to one execution, with {@code {ExternalExecutionId}} and {@code {Config:name}}. */
    public Optional<String> executionUrlTemplate() {
        return Optional.ofNullable(executionUrlTemplate);
    }

    /** The console's link to a revision, with {@code {RevisionId}}. */
    public Optional<String> revisionUrlTemplate() {
        return Optional.ofNullable(revisionUrlTemplate);
    }

    /** The IAM policy statements the customer's pipeline role needs for the action; third-party types only. */
    public Optional<String> policyStatementsTemplate() {
        return Optional.ofNullable(policyStatementsTemplate);
    }

    /** The accounts whose job workers may poll for the type's jobs; third-party types only. */
    public List<String> pollingAccounts() {
        return pollingAccounts;
    }

    @Override
    public String toString() {
        return "ActionTypeDefinition[" + id + ", " + properties.size() + " properties, input " + inputArtifacts
                + ", output " + outputArtifacts + ", executorJobTimeout " + executorJobTimeout.toSeconds() + " s]";
    }

    /** Configures an {@link ActionTypeDefinition}; {@link #build()} checks the whole against the API's limits. */
    public static final class Builder {
        private static final Duration DEFAULT_THIRD_PARTY_TIMEOUT = Duration.ofHours(1);

        private final ActionTypeId id;
        private String description;
        private Duration executorJobTimeout;
        private ArtifactCount inputArtifacts = ArtifactCount.none();
        private ArtifactCount outputArtifacts = ArtifactCount.none();
        private final List<ConfigurationProperty> properties = new ArrayList<>();
        private String configurationUrl;
        private String entityUrlTemplate;
        private String executionUrlTemplate;
        private String revisionUrlTemplate;
        private String policyStatementsTemplate;
        private final List<String> pollingAccounts = new ArrayList<>();

        private Builder(ActionTypeId id) {
            this.id = Objects.requireNonNull(id, "id");
        }

        /** What the type does, 1-1,024 characters; third-party registrations carry it. Default: none. */
        public Builder description(String description) {
            ActionTypeLimits.checkDescription(Objects.requireNonNull(description, "description"));
            this.description = description;
            return this;
        }

        /**
         * The executor's job timeout of a third-party type, 60-43,200 seconds. Default: 1 hour. Custom types have
         * none to set: CodePipeline gives their jobs 24 hours.
         */
        public Builder executorJobTimeout(Duration timeout) {
            ActionTypeLimits.checkJobTimeout(Objects.requireNonNull(timeout, "timeout"));
            if (id.owner() != ActionOwner.THIRD_PARTY) {
                throw new IllegalArgumentException("executorJobTimeout applies to ThirdParty action types only; "
                        + "CodePipeline gives Custom jobs " + ActionTypeLimits.CUSTOM_JOB_TIMEOUT.toHours() + " hours");
            }
            this.executorJobTimeout = timeout;
            return this;
        }

        /** How many input artifacts an action takes, 0-5. Default: none. */
        public Builder inputArtifacts(ArtifactCount count) {
            this.inputArtifacts = Objects.requireNonNull(count, "count");
            return this;
        }

        /** How many output artifacts an action produces, 0-5. Default: none. */
        public Builder outputArtifacts(ArtifactCount count) {
            this.outputArtifacts = Objects.requireNonNull(count, "count");
            return this;
        }

        /** Adds configuration properties, at most 10 in all. Default: none. */
        public Builder properties(ConfigurationProperty... added) {
            Arrays.stream(added).map(p -> Objects.requireNonNull(p, "property")).forEach(properties::add);
            return this;
        }

        /** Where users set up the external system, 1-2,048 characters. Default: none. */
        public Builder configurationUrl(String url) {
            ActionTypeLimits.checkUrl("configurationUrl", Objects.requireNonNull(url, "url"));
            this.configurationUrl = url;
            return this;
        }

        /** The console's link to the action's resource, 1-2,048 characters. Default: none. */
        public Builder entityUrlTemplate(String template) {
            ActionTypeLimits.checkUrl("entityUrlTemplate", Objects.requireNonNull(template, "template"));
            this.entityUrlTemplate = template;
            return this;
        }

        /** The console's link to one execution, 1-2,048 characters. Default: none. */
        public Builder executionUrlTemplate(String template) {
            ActionTypeLimits.checkUrl("executionUrlTemplate", Objects.requireNonNull(template, "template"));
            this.executionUrlTemplate = template;
            return this;
        }

        /** The console's link to a revision, 1-2,048 characters. Default: none. */
        public Builder revisionUrlTemplate(String template) {
            ActionTypeLimits.checkUrl("revisionUrlTemplate", Objects.requireNonNull(template, "template"));
            this.revisionUrlTemplate = template;
            return this;
        }

        /**
         * The IAM policy statements, as JSON of at most 2,048 characters, that the customer's pipeline role needs;
         * third-party types only. Default: none.
         */
        public Builder policyStatementsTemplate(String template) {
            ActionTypeLimits.checkPolicyTemplate(id.owner(), Objects.requireNonNull(template, "template"));
            this.policyStatementsTemplate = template;
            return this;
        }

        /** Adds the AWS accounts (12 digits) whose job workers poll for a third-party type's jobs. Default: none. */
        public Builder pollingAccounts(String... accounts) {
            pollingAccounts.addAll(Arrays.asList(accounts));
            return this;
        }

        /** Checks the definition as a whole and builds it. */
        public ActionTypeDefinition build() {
            ActionTypeLimits.checkPollingAccounts(id.owner(), pollingAccounts);
            ActionTypeLimits.checkProperties(properties,
                    Arrays.asList(entityUrlTemplate, executionUrlTemplate, revisionUrlTemplate));
            return new ActionTypeDefinition(this);
        }
    }
}

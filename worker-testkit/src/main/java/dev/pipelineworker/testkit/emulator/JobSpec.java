package dev.pipelineworker.testkit.emulator;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A job to enqueue in the emulator: everything a job worker will read from CodePipeline. Whether it is a
 * third-party or a custom job follows from the action type's owner.
 *
 * <p>{@link #toString()} never shows configuration values or artifact credentials.
 *
 * @param actionType          the action type pollers must ask for
 * @param configuration       the action configuration (keys 1-50, values 1-1000 characters)
 * @param context             the pipeline, stage, action and action execution the job belongs to
 * @param inputArtifacts      the artifacts the job reads
 * @param outputArtifacts     the artifacts the job writes
 * @param encryptionKey       the artifact store's KMS key, or null for the S3 default
 * @param artifactCredentials the temporary credentials for the artifact store
 * @param continuationToken   the token of an earlier job of the same action execution, or null
 * @param clientId            the third-party client the job is for (null: the emulator's default client);
 *                            always null for custom jobs
 * @param accountId           the 12-digit account of the pipeline
 */
public record JobSpec(
        ActionType actionType,
        Map<String, String> configuration,
        Context context,
        List<Artifact> inputArtifacts,
        List<Artifact> outputArtifacts,
        EncryptionKey encryptionKey,
        Credentials artifactCredentials,
        String continuationToken,
        String clientId,
        String accountId) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9.@\\-_]{1,100}");
    private static final Pattern ARTIFACT_NAME = Pattern.compile("[a-zA-Z0-9_\\-]{1,100}");
    private static final Pattern TYPE_PART = Pattern.compile("[0-9A-Za-z_-]+");
    private static final Pattern UUID = Pattern.compile(
            "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern ACCOUNT = Pattern.compile("[0-9]{12}");

    /** Checks the members against the service's limits and copies the collections. */
    public JobSpec {
        Objects.requireNonNull(actionType, "actionType");
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(artifactCredentials, "artifactCredentials");
        configuration = Collections.unmodifiableMap(new LinkedHashMap<>(configuration));
        configuration.forEach((key, value) -> {
            check(key.length() >= 1 && key.length() <= 50, "configuration keys are 1-50 characters");
            check(value.length() >= 1 && value.length() <= 1000,
                    "the configuration value of '" + key + "' must be 1-1000 characters");
        });
        inputArtifacts = List.copyOf(inputArtifacts);
        outputArtifacts = List.copyOf(outputArtifacts);
        check(continuationToken == null || (!continuationToken.isEmpty() && continuationToken.length() <= 2048),
                "continuationToken is 1-2048 characters");
        if (clientId != null) {
            check(actionType.isThirdParty(), "only third-party jobs have a clientId");
            check(UUID.matcher(clientId).matches(), "clientId must be a lower-case UUID");
        }
        check(accountId != null && ACCOUNT.matcher(accountId).matches(), "accountId must be 12 digits");
    }

    /** A builder for a job of this action type, with the defaults its setters name. */
    public static Builder builder(ActionType actionType) {
        return new Builder(actionType);
    }

    /** This job for another client. */
    public JobSpec withClientId(String newClientId) {
        return new JobSpec(actionType, configuration, context, inputArtifacts, outputArtifacts, encryptionKey,
                artifactCredentials, continuationToken, newClientId, accountId);
    }

    /** This job in another action execution. */
    public JobSpec withActionExecutionId(String actionExecutionId) {
        return new JobSpec(actionType, configuration, context.withActionExecutionId(actionExecutionId),
                inputArtifacts, outputArtifacts, encryptionKey, artifactCredentials, continuationToken, clientId,
                accountId);
    }

    /** This job carrying another continuation token. */
    public JobSpec withContinuationToken(String token) {
        return new JobSpec(actionType, configuration, context, inputArtifacts, outputArtifacts, encryptionKey,
                artifactCredentials, token, clientId, accountId);
    }

    @Override
    public String toString() {
        return "JobSpec[actionType=" + actionType + ", configurationKeys=" + configuration.keySet()
                + ", context=" + context + ", inputArtifacts=" + inputArtifacts
                + ", outputArtifacts=" + outputArtifacts + ", encryptionKey=" + encryptionKey
                + ", continuationToken=" + continuationToken + ", clientId=" + clientId
                + ", accountId=" + accountId + "]";
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /**
     * An action type id: which pollers see the job.
     *
     * @param category {@code Source|Build|Deploy|Test|Invoke|Approval|Compute}
     * @param owner    {@code ThirdParty} or {@code Custom} (AWS-owned actions have no job workers)
     * @param provider 1-35 characters {@code [0-9A-Za-z_-]}
     * @param version  1-9 characters {@code [0-9A-Za-z_-]}
     */
    public record ActionType(String category, String owner, String provider, String version) {

        /** The categories the service accepts. */
        public static final Set<String> CATEGORIES =
                Set.of("Source", "Build", "Deploy", "Test", "Invoke", "Approval", "Compute");

        /** Checks the members against the service's limits. */
        public ActionType {
            check(category != null && CATEGORIES.contains(category), "category must be one of " + CATEGORIES);
            check("ThirdParty".equals(owner) || "Custom".equals(owner), "owner must be ThirdParty or Custom");
            check(provider != null && provider.length() <= 35 && TYPE_PART.matcher(provider).matches(),
                    "provider is 1-35 characters [0-9A-Za-z_-]");
            check(version != null && version.length() <= 9 && TYPE_PART.matcher(version).matches(),
                    "version is 1-9 characters [0-9A-Za-z_-]");
        }

        /** A third-party action type. */
        public static ActionType thirdParty(String category, String provider, String version) {
            return new ActionType(category, "ThirdParty", provider, version);
        }

        /** A custom action type. */
        public static ActionType custom(String category, String provider, String version) {
            return new ActionType(category, "Custom", provider, version);
        }

        /** Whether the owner is {@code ThirdParty}. */
        public boolean isThirdParty() {
            return "ThirdParty".equals(owner);
        }
    }

    /**
     * Where the job runs.
     *
     * @param actionExecutionId null lets the emulator assign one when the job is enqueued
     */
    public record Context(String pipelineName, String stageName, String actionName, String actionExecutionId) {

        /** Checks the names against the service's pattern. */
        public Context {
            check(pipelineName != null && NAME.matcher(pipelineName).matches(),
                    "pipelineName is 1-100 characters [A-Za-z0-9.@-_]");
            check(stageName != null && NAME.matcher(stageName).matches(),
                    "stageName is 1-100 characters [A-Za-z0-9.@-_]");
            check(actionName != null && NAME.matcher(actionName).matches(),
                    "actionName is 1-100 characters [A-Za-z0-9.@-_]");
            check(actionExecutionId == null || !actionExecutionId.isEmpty(), "actionExecutionId must not be empty");
        }

        /** This context with another action execution id. */
        public Context withActionExecutionId(String id) {
            return new Context(pipelineName, stageName, actionName, id);
        }
    }

    /**
     * An artifact in the S3 artifact store.
     *
     * @param revision null when the artifact has no revision
     */
    public record Artifact(String name, String bucketName, String objectKey, String revision) {

        /** Checks the members against the service's limits. */
        public Artifact {
            check(name != null && ARTIFACT_NAME.matcher(name).matches(),
                    "artifact name is 1-100 characters [a-zA-Z0-9_-]");
            check(bucketName != null && !bucketName.isEmpty(), "bucketName is required");
            check(objectKey != null && !objectKey.isEmpty(), "objectKey is required");
            check(revision == null || (!revision.isEmpty() && revision.length() <= 1500),
                    "revision is 1-1500 characters");
        }

        /** An artifact without a revision. */
        public static Artifact s3(String name, String bucketName, String objectKey) {
            return new Artifact(name, bucketName, objectKey, null);
        }

        /** This artifact with a revision. */
        public Artifact withRevision(String newRevision) {
            return new Artifact(name, bucketName, objectKey, newRevision);
        }
    }

    /** The artifact store's KMS key (type {@code KMS}): a key id, key ARN or alias ARN of 1-400 characters. */
    public record EncryptionKey(String id) {

        /** Checks the id's length. */
        public EncryptionKey {
            check(id != null && !id.isEmpty() && id.length() <= 400, "encryption key id is 1-400 characters");
        }
    }

    /** Temporary artifact-store credentials; {@link #toString()} shows none of them. */
    public record Credentials(String accessKeyId, String secretAccessKey, String sessionToken) {

        /** Fixed fake credentials, the default of {@link Builder#artifactCredentials(Credentials)}. */
        public static final Credentials FAKE =
                new Credentials("ASIAEMULATOREXAMPLE1", "emulator-secret-access-key", "emulator-session-token");

        /** Checks that all three are present. */
        public Credentials {
            check(accessKeyId != null && secretAccessKey != null && sessionToken != null,
                    "accessKeyId, secretAccessKey and sessionToken are required");
        }

        @Override
        public String toString() {
            return "Credentials[redacted]";
        }
    }

    /** Builds a {@link JobSpec}; not thread-safe. */
    public static final class Builder {
        private final ActionType actionType;
        private final Map<String, String> configuration = new LinkedHashMap<>();
        private String pipelineName = "pipeline";
        private String stageName = "Stage";
        private String actionName = "Action";
        private String actionExecutionId;
        private final List<Artifact> inputArtifacts = new ArrayList<>();
        private final List<Artifact> outputArtifacts = new ArrayList<>();
        private EncryptionKey encryptionKey;
        private Credentials artifactCredentials = Credentials.FAKE;
        private String continuationToken;
        private String clientId;
        private String accountId = "123456789012";

        private Builder(ActionType actionType) {
            this.actionType = Objects.requireNonNull(actionType, "actionType");
        }

        /** Adds one configuration entry (default: no configuration). */
        public Builder configuration(String key, String value) {
            configuration.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Adds these configuration entries (default: no configuration). */
        public Builder configuration(Map<String, String> entries) {
            entries.forEach(this::configuration);
            return this;
        }

        /** The pipeline name (default {@code pipeline}). */
        public Builder pipelineName(String name) {
            this.pipelineName = name;
            return this;
        }

        /** The stage name (default {@code Stage}). */
        public Builder stageName(String name) {
            this.stageName = name;
            return this;
        }

        /** The action name (default {@code Action}). */
        public Builder actionName(String name) {
            this.actionName = name;
            return this;
        }

        /** The action execution id (default: the emulator assigns a UUID from its random source). */
        public Builder actionExecutionId(String id) {
            this.actionExecutionId = id;
            return this;
        }

        /** Adds an input artifact (default: none). */
        public Builder inputArtifact(Artifact artifact) {
            inputArtifacts.add(Objects.requireNonNull(artifact, "artifact"));
            return this;
        }

        /** Adds an output artifact (default: none). */
        public Builder outputArtifact(Artifact artifact) {
            outputArtifacts.add(Objects.requireNonNull(artifact, "artifact"));
            return this;
        }

        /** The artifact store's KMS key id or ARN (default: none, S3's default key). */
        public Builder encryptionKey(String keyId) {
            this.encryptionKey = keyId == null ? null : new EncryptionKey(keyId);
            return this;
        }

        /** The artifact credentials (default {@link Credentials#FAKE}). */
        public Builder artifactCredentials(Credentials credentials) {
            this.artifactCredentials = credentials;
            return this;
        }

        /** A continuation token, as a job created by a continuation carries it (default: none). */
        public Builder continuationToken(String token) {
            this.continuationToken = token;
            return this;
        }

        /** The third-party client id (default: the emulator's default client). */
        public Builder clientId(String id) {
            this.clientId = id;
            return this;
        }

        /** The account id (default {@code 123456789012}). */
        public Builder accountId(String id) {
            this.accountId = id;
            return this;
        }

        /** The job specification; throws {@link IllegalArgumentException} when a member breaks a service limit. */
        public JobSpec build() {
            return new JobSpec(actionType, configuration,
                    new Context(pipelineName, stageName, actionName, actionExecutionId),
                    inputArtifacts, outputArtifacts, encryptionKey, artifactCredentials, continuationToken, clientId,
                    accountId);
        }
    }
}

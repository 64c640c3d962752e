package dev.pipelineworker.testkit.emulator;

import dev.pipelineworker.ActionOwner;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.Artifact;
import dev.pipelineworker.ArtifactCredentials;
import dev.pipelineworker.EncryptionKey;
import dev.pipelineworker.PipelineContext;
import dev.pipelineworker.S3Location;
import dev.pipelineworker.testkit.emulator.internal.RegionNames;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A job to enqueue in the emulator: everything a job worker will read from CodePipeline, in worker-core's
 * value types. Whether it is a third-party or a custom job follows from the action type's owner.
 *
 * <p>{@link #toString()} never shows configuration values or artifact credentials.
 *
 * @param actionType          the action type pollers must ask for
 * @param configuration       the action configuration (keys 1-50, values 1-1000 characters)
 * @param context             pipeline, stage and action names and the action execution id (null: the
 *                            emulator assigns one when the job is enqueued); for a custom job the emulator also
 *                            fills in a pipeline execution id and the pipeline's ARN when they are null, as the
 *                            service's job data always carries them
 * @param inputArtifacts      the artifacts the job reads
 * @param outputArtifacts     the artifacts the job writes
 * @param encryptionKey       the artifact store's KMS key, or null for the S3 default
 * @param artifactCredentials the temporary credentials for the artifact store
 * @param continuationToken   the token of an earlier job of the same action execution, or null
 * @param clientId            the third-party client the job is for (null: the emulator's default client);
 *                            always null for custom jobs
 * @param accountId           the 12-digit account of the pipeline
 * @param region              the region whose callers the job is handed out to, e.g. {@code eu-west-1} (null: the
 *                            emulator's default region, filled in when the job is enqueued)
 */
public record JobSpec(
        ActionTypeId actionType,
        Map<String, String> configuration,
        PipelineContext context,
        List<Artifact> inputArtifacts,
        List<Artifact> outputArtifacts,
        EncryptionKey encryptionKey,
        ArtifactCredentials artifactCredentials,
        String continuationToken,
        String clientId,
        String accountId,
        String region) {

    /** Fixed fake credentials, the default of {@link Builder#artifactCredentials(ArtifactCredentials)}. */
    public static final ArtifactCredentials FAKE_CREDENTIALS =
            ArtifactCredentials.of("ASIAEMULATOREXAMPLE1", "emulator-secret-access-key", "emulator-session-token");

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9.@\\-_]{1,100}");
    private static final Pattern ARTIFACT_NAME = Pattern.compile("[a-zA-Z0-9_\\-]{1,100}");
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
        checkName(context.pipelineName(), "pipelineName");
        checkName(context.stageName(), "stageName");
        checkName(context.actionName(), "actionName");
        check(context.actionExecutionId() == null || !context.actionExecutionId().isEmpty(),
                "actionExecutionId must not be empty");
        inputArtifacts = List.copyOf(inputArtifacts);
        outputArtifacts = List.copyOf(outputArtifacts);
        inputArtifacts.forEach(JobSpec::checkArtifact);
        outputArtifacts.forEach(JobSpec::checkArtifact);
        check(continuationToken == null || (!continuationToken.isEmpty() && continuationToken.length() <= 2048),
                "continuationToken is 1-2048 characters");
        if (clientId != null) {
            check(actionType.owner() == ActionOwner.THIRD_PARTY, "only third-party jobs have a clientId");
            check(UUID.matcher(clientId).matches(), "clientId must be a lower-case UUID");
        }
        check(accountId != null && ACCOUNT.matcher(accountId).matches(), "accountId must be 12 digits");
        if (region != null) {
            RegionNames.requireValid(region, "region");
        }
    }

    /** A job in the emulator's default region, as specs were built before jobs had a region. */
    public JobSpec(ActionTypeId actionType, Map<String, String> configuration, PipelineContext context,
            List<Artifact> inputArtifacts, List<Artifact> outputArtifacts, EncryptionKey encryptionKey,
            ArtifactCredentials artifactCredentials, String continuationToken, String clientId, String accountId) {
        this(actionType, configuration, context, inputArtifacts, outputArtifacts, encryptionKey, artifactCredentials,
                continuationToken, clientId, accountId, null);
    }

    /** A builder for a job of this action type, with the defaults its setters name. */
    public static Builder builder(ActionTypeId actionType) {
        return new Builder(actionType);
    }

    /** Whether this is a third-party job (served by the *ThirdParty* operations). */
    public boolean isThirdParty() {
        return actionType.owner() == ActionOwner.THIRD_PARTY;
    }

    /** This job for another client. */
    public JobSpec withClientId(String newClientId) {
        return new JobSpec(actionType, configuration, context, inputArtifacts, outputArtifacts, encryptionKey,
                artifactCredentials, continuationToken, newClientId, accountId, region);
    }

    /** This job in another action execution. */
    public JobSpec withActionExecutionId(String actionExecutionId) {
        PipelineContext moved = context.toBuilder().actionExecutionId(actionExecutionId).build();
        return new JobSpec(actionType, configuration, moved, inputArtifacts, outputArtifacts, encryptionKey,
                artifactCredentials, continuationToken, clientId, accountId, region);
    }

    /** This job in another pipeline context (names, execution ids, ARN). */
    public JobSpec withContext(PipelineContext newContext) {
        return new JobSpec(actionType, configuration, newContext, inputArtifacts, outputArtifacts, encryptionKey,
                artifactCredentials, continuationToken, clientId, accountId, region);
    }

    /** This job with other artifact credentials, as the service hands out fresh ones. */
    public JobSpec withArtifactCredentials(ArtifactCredentials credentials) {
        return new JobSpec(actionType, configuration, context, inputArtifacts, outputArtifacts, encryptionKey,
                credentials, continuationToken, clientId, accountId, region);
    }

    /** This job carrying another continuation token. */
    public JobSpec withContinuationToken(String token) {
        return new JobSpec(actionType, configuration, context, inputArtifacts, outputArtifacts, encryptionKey,
                artifactCredentials, token, clientId, accountId, region);
    }

    /** This job in another region (null: the emulator's default region). */
    public JobSpec withRegion(String newRegion) {
        return new JobSpec(actionType, configuration, context, inputArtifacts, outputArtifacts, encryptionKey,
                artifactCredentials, continuationToken, clientId, accountId, newRegion);
    }

    @Override
    public String toString() {
        return "JobSpec[actionType=" + actionType + ", configurationKeys=" + configuration.keySet()
                + ", context=" + context + ", inputArtifacts=" + inputArtifacts
                + ", outputArtifacts=" + outputArtifacts + ", encryptionKey=" + encryptionKey
                + ", continuationToken=" + continuationToken + ", clientId=" + clientId
                + ", accountId=" + accountId + ", region=" + region + "]";
    }

    private static void checkName(String name, String member) {
        check(name != null && NAME.matcher(name).matches(), member + " is 1-100 characters [A-Za-z0-9.@-_]");
    }

    private static void checkArtifact(Artifact artifact) {
        check(ARTIFACT_NAME.matcher(artifact.name()).matches(), "artifact name is 1-100 characters [a-zA-Z0-9_-]");
        check(artifact.revision() == null
                        || (!artifact.revision().isEmpty() && artifact.revision().length() <= 1500),
                "artifact revision is 1-1500 characters");
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Builds a {@link JobSpec}; not thread-safe. */
    public static final class Builder {
        private final ActionTypeId actionType;
        private final Map<String, String> configuration = new LinkedHashMap<>();
        private String pipelineName = "pipeline";
        private String stageName = "Stage";
        private String actionName = "Action";
        private String actionExecutionId;
        private String pipelineArn;
        private String pipelineExecutionId;
        private final List<Artifact> inputArtifacts = new ArrayList<>();
        private final List<Artifact> outputArtifacts = new ArrayList<>();
        private EncryptionKey encryptionKey;
        private ArtifactCredentials artifactCredentials = FAKE_CREDENTIALS;
        private String continuationToken;
        private String clientId;
        private String accountId = "123456789012";
        private String region;

        private Builder(ActionTypeId actionType) {
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

        /** The pipeline ARN (default: none; for a custom job the emulator makes up the pipeline's ARN). */
        public Builder pipelineArn(String arn) {
            this.pipelineArn = arn;
            return this;
        }

        /**
         * The pipeline execution id (default: none; for a custom job the emulator assigns a UUID, and jobs enqueued
         * with the same id belong to one execution, which {@code StopPipelineExecution} stops as a whole).
         */
        public Builder pipelineExecutionId(String id) {
            this.pipelineExecutionId = id;
            return this;
        }

        /** Adds an input artifact (default: none). */
        public Builder inputArtifact(Artifact artifact) {
            inputArtifacts.add(Objects.requireNonNull(artifact, "artifact"));
            return this;
        }

        /** Adds an input artifact without a revision (default: none). */
        public Builder inputArtifact(String name, String bucketName, String objectKey) {
            return inputArtifact(Artifact.of(name, S3Location.of(bucketName, objectKey)));
        }

        /** Adds an output artifact (default: none). */
        public Builder outputArtifact(Artifact artifact) {
            outputArtifacts.add(Objects.requireNonNull(artifact, "artifact"));
            return this;
        }

        /** Adds an output artifact (default: none). */
        public Builder outputArtifact(String name, String bucketName, String objectKey) {
            return outputArtifact(Artifact.of(name, S3Location.of(bucketName, objectKey)));
        }

        /** The artifact store's KMS key, e.g. {@code EncryptionKey.kms(keyId)} (default: none, S3's default key). */
        public Builder encryptionKey(EncryptionKey key) {
            this.encryptionKey = key;
            return this;
        }

        /** The artifact credentials (default {@link JobSpec#FAKE_CREDENTIALS}). */
        public Builder artifactCredentials(ArtifactCredentials credentials) {
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

        /**
         * The region the job runs in: only callers signing for this region are handed it or may work on it
         * (default: the emulator's default region, see {@code LocalCodePipeline.Builder#defaultRegion}).
         */
        public Builder region(String name) {
            this.region = name;
            return this;
        }

        /** The job specification; throws {@link IllegalArgumentException} when a member breaks a service limit. */
        public JobSpec build() {
            return new JobSpec(actionType, configuration,
                    PipelineContext.builder().pipelineName(pipelineName).stageName(stageName).actionName(actionName)
                            .actionExecutionId(actionExecutionId).pipelineArn(pipelineArn)
                            .pipelineExecutionId(pipelineExecutionId).build(),
                    inputArtifacts, outputArtifacts, encryptionKey, artifactCredentials, continuationToken, clientId,
                    accountId, region);
        }
    }
}

package dev.pipelineworker.lambda.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipelineworker.Artifact;
import dev.pipelineworker.ArtifactCredentials;
import dev.pipelineworker.EncryptionKey;
import dev.pipelineworker.JobContext;
import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.PipelineContext;
import dev.pipelineworker.testkit.HandlerTestEnvironment;
import dev.pipelineworker.testkit.JobResult;
import dev.pipelineworker.testkit.TestJob;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An event as CodePipeline invokes a Lambda action with, plus the bytes of its input artifacts for
 * the in-memory artifact store {@link LocalLambdaInvoker} gives the handler. Immutable. Built
 * fluently with {@link #builder()}, from a testkit {@link TestJob} with {@link #from(TestJob)}, or
 * from raw JSON (an example payload, a malformed one) with {@link #fromJson(String)}.
 */
public final class LambdaEvent {

    /** The fake action credentials every built event carries unless told otherwise. */
    public static final ArtifactCredentials DEFAULT_CREDENTIALS = ArtifactCredentials.of(
            "ASIATESTACCESSKEYID00", "test-secret-access-key", "test-session-token");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String json;
    private final Map<String, byte[]> inputContents;

    private LambdaEvent(String json, Map<String, byte[]> inputContents) {
        this.json = json;
        this.inputContents = inputContents;
    }

    /** A builder holding the testkit's defaults (job id, account, action execution id, bucket) and fake credentials. */
    public static Builder builder() {
        return new Builder(TestJob.builder(), TestJob.DEFAULT_PIPELINE);
    }

    /**
     * The event for {@code job}: its id, account, configuration, artifacts with their input bytes
     * and revisions, encryption key, action execution id and continuation token, and
     * {@link #DEFAULT_CREDENTIALS}. The job is read through {@link HandlerTestEnvironment}, so the
     * event holds exactly what a handler would see there.
     */
    public static LambdaEvent from(TestJob job) {
        return builderFrom(job).build();
    }

    /** A builder starting from {@link #from(TestJob) job}, to change it further. */
    public static Builder builderFrom(TestJob job) {
        return new Builder(job.toBuilder(), job.pipeline());
    }

    /**
     * An event of exactly this text, with no input artifact bytes (add them with
     * {@link #withInput}). The text need not be valid: the function must answer malformed events too.
     */
    public static LambdaEvent fromJson(String json) {
        return new LambdaEvent(Objects.requireNonNull(json, "json"), Map.of());
    }

    /** This event with the named input artifact holding {@code content} in the in-memory store. */
    public LambdaEvent withInput(String artifactName, byte[] content) {
        Map<String, byte[]> inputs = new LinkedHashMap<>(inputContents);
        inputs.put(Objects.requireNonNull(artifactName, "artifactName"), content.clone());
        return new LambdaEvent(json, Collections.unmodifiableMap(inputs));
    }

    /**
     * The event CodePipeline sends after a {@code continue} result: the same event with a new job id
     * (derived from this one, so chains are deterministic) and {@code data.continuationToken} set to
     * {@code state}, the result's {@code continuation.State}.
     */
    public LambdaEvent next(String state) {
        ObjectNode root = tree();
        String jobId = root.path("jobId").asText();
        root.put("jobId", java.util.UUID.nameUUIDFromBytes(jobId.getBytes(StandardCharsets.UTF_8)).toString());
        JsonNode data = root.get("data");
        ObjectNode dataObject = data instanceof ObjectNode o ? o : root.putObject("data");
        dataObject.put("continuationToken", Objects.requireNonNull(state, "state"));
        return new LambdaEvent(root.toString(), inputContents);
    }

    /** The event's JSON text. */
    public String json() {
        return json;
    }

    /** The event's job id, or {@code null} when it has none or is not JSON. */
    public String jobId() {
        try {
            JsonNode id = JSON.readTree(json).path("jobId");
            return id.isTextual() ? id.asText() : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** The input artifacts' bytes, by name. */
    public Map<String, byte[]> inputContents() {
        Map<String, byte[]> copy = new LinkedHashMap<>();
        inputContents.forEach((name, bytes) -> copy.put(name, bytes.clone()));
        return copy;
    }

    /** The names in {@code data.outputArtifacts}, read leniently (empty when the event is malformed). */
    public List<String> outputArtifactNames() {
        List<String> names = new ArrayList<>();
        try {
            for (JsonNode output : JSON.readTree(json).path("data").path("outputArtifacts")) {
                if (output.path("name").isTextual()) {
                    names.add(output.path("name").asText());
                }
            }
        } catch (JsonProcessingException e) {
            return List.of();
        }
        return names;
    }

    private ObjectNode tree() {
        try {
            JsonNode root = JSON.readTree(json);
            if (root instanceof ObjectNode object) {
                return object;
            }
        } catch (JsonProcessingException e) {
            // falls through
        }
        throw new IllegalStateException("this event is not a JSON object");
    }

    /** The JSON text; it holds (fake) credentials, so do not print it in real environments. */
    @Override
    public String toString() {
        return "LambdaEvent[jobId=" + jobId() + ", inputs=" + inputContents.keySet() + "]";
    }

    /**
     * Collects a {@link LambdaEvent}: a testkit {@link TestJob} for what a polled job carries too, plus the
     * Lambda-only members (action credentials). Every member has a realistic default.
     */
    public static final class Builder {
        private final TestJob.Builder job;
        private PipelineContext pipeline;
        private ArtifactCredentials credentials = DEFAULT_CREDENTIALS;

        private Builder(TestJob.Builder job, PipelineContext pipeline) {
            this.job = job;
            this.pipeline = pipeline;
        }

        /** The job id. Default: {@link TestJob#DEFAULT_JOB_ID}. */
        public Builder jobId(String jobId) {
            job.jobId(jobId);
            return this;
        }

        /** The account id, or {@code null} to leave it out. Default: {@link TestJob#DEFAULT_ACCOUNT_ID}. */
        public Builder accountId(String accountId) {
            job.accountId(accountId);
            return this;
        }

        /** Replaces the whole configuration. Default: empty. */
        public Builder configuration(Map<String, String> values) {
            job.configuration(values);
            return this;
        }

        /** Sets one configuration value. */
        public Builder configuration(String key, String value) {
            job.configuration(key, value);
            return this;
        }

        /** Adds (or replaces) an input artifact holding these bytes. */
        public Builder inputBytes(String name, byte[] content) {
            job.inputBytes(name, content);
            return this;
        }

        /** Adds an input artifact holding a zip of these paths with their UTF-8 contents. */
        public Builder inputZip(String name, Map<String, String> files) {
            job.inputZip(name, files);
            return this;
        }

        /** The revision of an input already added. */
        public Builder inputRevision(String name, String revision) {
            job.inputRevision(name, revision);
            return this;
        }

        /** Adds output artifacts by name. Default: none. */
        public Builder outputArtifacts(String... names) {
            job.outputArtifacts(names);
            return this;
        }

        /** The pipeline's KMS key, or {@code null} for none. Default: none. */
        public Builder encryptionKey(EncryptionKey key) {
            job.encryptionKey(key);
            return this;
        }

        /** The action credentials, or {@code null} to leave them out. Default: {@link #DEFAULT_CREDENTIALS}. */
        public Builder credentials(ArtifactCredentials credentials) {
            this.credentials = credentials;
            return this;
        }

        /** The action execution id, or {@code null}. Default: the testkit's. */
        public Builder actionExecutionId(String id) {
            pipeline = pipeline.toBuilder().actionExecutionId(id).build();
            return this;
        }

        /** A raw continuation token, or {@code null}. Default: none. */
        public Builder continuationToken(String token) {
            job.continuationToken(token);
            return this;
        }

        /** A continuation token carrying {@code state}, encoded as the worker encodes it. */
        public Builder continuationState(Object state) {
            job.continuationState(state);
            return this;
        }

        /** The event, holding what a handler reads from the job in {@link HandlerTestEnvironment}. */
        public LambdaEvent build() {
            ObjectNode root = JSON.createObjectNode();
            Map<String, byte[]> inputContents = new LinkedHashMap<>();
            JobResult read = HandlerTestEnvironment.create()
                    .run(context -> write(context, root, inputContents), job.pipeline(pipeline).build());
            if (!read.isSuccess()) {
                throw new IllegalArgumentException("the job cannot be turned into an event: " + read.outcome());
            }
            return new LambdaEvent(root.toString(), Collections.unmodifiableMap(inputContents));
        }

        private JobOutcome write(JobContext context, ObjectNode root, Map<String, byte[]> inputContents)
                throws IOException {
            root.put("jobId", context.jobId());
            putIfPresent(root, "accountId", context.accountId().orElse(null));
            ObjectNode data = root.putObject("data");
            ObjectNode config = data.putObject("actionConfiguration");
            context.configuration().asMap().forEach(config::put);
            context.encryptionKey().ifPresent(key ->
                    data.putObject("encryptionKey").put("id", key.id()).put("type", key.type()));
            artifacts(data.putArray("inputArtifacts"), context.inputArtifacts());
            artifacts(data.putArray("outputArtifacts"), context.outputArtifacts());
            if (credentials != null) {
                ObjectNode creds = data.putObject("actionCredentials")
                        .put("accessKeyId", credentials.accessKeyId())
                        .put("secretAccessKey", credentials.secretAccessKey());
                putIfPresent(creds, "sessionToken", credentials.sessionToken());
            }
            putIfPresent(data, "actionExecutionId", context.pipeline().actionExecutionId());
            putIfPresent(data, "continuationToken", context.continuationToken().orElse(null));
            for (Artifact input : context.inputArtifacts()) {
                try (InputStream in = context.artifacts().openInput(input.name())) {
                    inputContents.put(input.name(), in.readAllBytes());
                }
            }
            return JobOutcome.success();
        }

        private static void artifacts(ArrayNode array, Iterable<Artifact> artifacts) {
            for (Artifact artifact : artifacts) {
                ObjectNode node = array.addObject();
                node.put("name", artifact.name());
                putIfPresent(node, "revision", artifact.revision());
                ObjectNode location = node.putObject("location");
                location.put("type", "S3");
                location.putObject("s3Location")
                        .put("bucketName", artifact.location().bucketName())
                        .put("objectKey", artifact.location().objectKey());
            }
        }

        private static void putIfPresent(ObjectNode node, String field, String value) {
            if (value != null) {
                node.put(field, value);
            }
        }
    }
}

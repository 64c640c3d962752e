package dev.pipelineworker.lambda.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipelineworker.ActionConfiguration;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.Artifact;
import dev.pipelineworker.ArtifactCredentials;
import dev.pipelineworker.EncryptionKey;
import dev.pipelineworker.PipelineContext;
import dev.pipelineworker.S3Location;
import dev.pipelineworker.internal.ContinuationCodec;
import dev.pipelineworker.internal.JobData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.regions.Region;

/**
 * Reads the event CodePipeline invokes a Lambda action with into the same {@link JobData} the
 * polling worker builds. Lenient on members it does not know; strict, with a message naming the
 * field, on members it needs. Messages never quote configuration values or credentials.
 *
 * <p>{@code data.actionConfiguration} is accepted both as the configuration map itself and in the
 * job-worker API's shape, {@code {"configuration": {...}}}: configuration values are strings, so an
 * object under {@code configuration} can only be the nested form.
 */
public final class LambdaEventReader {

    private final ObjectMapper mapper;

    public LambdaEventReader(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The event is not what CodePipeline sends; {@code jobId} is {@code null} when none could be read. */
    public static final class MalformedEventException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private final String jobId;

        MalformedEventException(String jobId, String message) {
            super("malformed Lambda event: " + message);
            this.jobId = jobId;
        }

        /** The job id, when the event had one. */
        public String jobId() {
            return jobId;
        }
    }

    /** The job in {@code event}; throws {@link MalformedEventException} naming the field at fault. */
    public JobData read(byte[] event, ActionTypeId actionType, Region region) {
        JsonNode root;
        try {
            root = mapper.readTree(event);
        } catch (JsonProcessingException e) {
            // The location is safe to show; the parser's message may quote the event, which may hold secrets.
            throw new MalformedEventException(null, "the event is not valid JSON (at line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        } catch (java.io.IOException e) {
            throw new MalformedEventException(null, "the event cannot be read: " + e.getClass().getSimpleName());
        }
        if (root == null || root.isMissingNode() || !root.isObject()) {
            throw new MalformedEventException(null, "the event must be a JSON object, got "
                    + (root == null || root.isMissingNode() ? "nothing" : root.getNodeType().name().toLowerCase()));
        }
        String jobId = text(root, "jobId", null, null);
        if (jobId == null) {
            throw new MalformedEventException(null, "jobId is missing");
        }
        if (jobId.length() > 512) {
            throw new MalformedEventException(null, "jobId is " + jobId.length() + " characters; at most 512");
        }
        String accountId = text(root, "accountId", "accountId", jobId);
        JsonNode data = root.get("data");
        if (data == null || data.isNull()) {
            throw new MalformedEventException(jobId, "data is missing");
        }
        if (!data.isObject()) {
            throw new MalformedEventException(jobId, "data must be an object");
        }
        String actionExecutionId = text(data, "actionExecutionId", "data.actionExecutionId", jobId);
        String continuationToken = text(data, "continuationToken", "data.continuationToken", jobId);
        if (continuationToken != null && continuationToken.length() > ContinuationCodec.MAX_TOKEN_LENGTH) {
            throw new MalformedEventException(jobId, "data.continuationToken is " + continuationToken.length()
                    + " characters; CodePipeline carries at most " + ContinuationCodec.MAX_TOKEN_LENGTH);
        }
        return new JobData(jobId, accountId, actionType,
                PipelineContext.builder().actionExecutionId(actionExecutionId).build(),
                configuration(data.get("actionConfiguration"), jobId),
                artifacts(data.get("inputArtifacts"), "inputArtifacts", jobId),
                artifacts(data.get("outputArtifacts"), "outputArtifacts", jobId),
                encryptionKey(data.get("encryptionKey"), jobId),
                credentials(data.get("actionCredentials"), jobId),
                continuationToken, region);
    }

    private static ActionConfiguration configuration(JsonNode node, String jobId) {
        if (node == null || node.isNull()) {
            return ActionConfiguration.empty();
        }
        if (!node.isObject()) {
            throw new MalformedEventException(jobId, "data.actionConfiguration must be an object");
        }
        String path = "data.actionConfiguration";
        JsonNode nested = node.get("configuration");
        if (nested != null && (nested.isObject() || nested.isNull())) {
            node = nested;
            path = "data.actionConfiguration.configuration";
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            JsonNode value = field.getValue();
            if (value.isNull()) {
                continue;
            }
            if (!value.isValueNode()) {
                // Name the key, never the value: configuration values may be secret.
                throw new MalformedEventException(jobId, path + " value of key '" + field.getKey()
                        + "' must be a string");
            }
            values.put(field.getKey(), value.asText());
        }
        return ActionConfiguration.of(values);
    }

    private static List<Artifact> artifacts(JsonNode node, String field, String jobId) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new MalformedEventException(jobId, "data." + field + " must be an array");
        }
        List<Artifact> artifacts = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode artifact = node.get(i);
            String at = "data." + field + "[" + i + "]";
            if (!artifact.isObject()) {
                throw new MalformedEventException(jobId, at + " must be an object");
            }
            String name = text(artifact, "name", at + ".name", jobId);
            if (name == null) {
                throw new MalformedEventException(jobId, at + ".name is missing");
            }
            JsonNode location = artifact.path("location");
            String type = text(location, "type", at + ".location.type", jobId);
            if (type != null && !"S3".equals(type)) {
                // Refusals name the field, never a value of the event: any of them may carry a secret.
                throw new MalformedEventException(jobId, at + ".location.type is not S3, the only type supported");
            }
            JsonNode s3 = location.path("s3Location");
            String bucket = text(s3, "bucketName", at + ".location.s3Location.bucketName", jobId);
            String key = text(s3, "objectKey", at + ".location.s3Location.objectKey", jobId);
            if (bucket == null || key == null) {
                throw new MalformedEventException(jobId, at + ".location.s3Location."
                        + (bucket == null ? "bucketName" : "objectKey") + " is missing");
            }
            artifacts.add(Artifact.of(name, S3Location.of(bucket, key))
                    .withRevision(text(artifact, "revision", at + ".revision", jobId)));
        }
        return artifacts;
    }

    private static EncryptionKey encryptionKey(JsonNode node, String jobId) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw new MalformedEventException(jobId, "data.encryptionKey must be an object");
        }
        String type = text(node, "type", "data.encryptionKey.type", jobId);
        if (type != null && !"KMS".equals(type)) {
            throw new MalformedEventException(jobId, "data.encryptionKey.type is not KMS, the only type supported");
        }
        String id = text(node, "id", "data.encryptionKey.id", jobId);
        if (id == null) {
            throw new MalformedEventException(jobId, "data.encryptionKey.id is missing");
        }
        if (id.length() > 400) {
            throw new MalformedEventException(jobId, "data.encryptionKey.id is " + id.length()
                    + " characters; at most 400");
        }
        return EncryptionKey.kms(id);
    }

    private static ArtifactCredentials credentials(JsonNode node, String jobId) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw new MalformedEventException(jobId, "data.actionCredentials must be an object");
        }
        String accessKeyId = text(node, "accessKeyId", "data.actionCredentials.accessKeyId", jobId);
        String secretAccessKey = text(node, "secretAccessKey", "data.actionCredentials.secretAccessKey", jobId);
        if (accessKeyId == null || secretAccessKey == null) {
            throw new MalformedEventException(jobId, "data.actionCredentials."
                    + (accessKeyId == null ? "accessKeyId" : "secretAccessKey") + " is missing");
        }
        return ArtifactCredentials.of(accessKeyId, secretAccessKey,
                text(node, "sessionToken", "data.actionCredentials.sessionToken", jobId));
    }

    /** A string member, {@code null} when absent, null or empty; anything but a string is malformed. */
    private static String text(JsonNode parent, String member, String path, String jobId) {
        JsonNode node = parent.get(member);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new MalformedEventException(jobId, (path == null ? member : path) + " must be a string");
        }
        String value = node.asText();
        return value.isEmpty() ? null : value;
    }
}

package dev.pipelineworker;

import java.util.Objects;

/**
 * The temporary AWS credentials CodePipeline hands a job for its artifact bucket. Secret: its
 * {@code toString} shows only that it is redacted.
 */
public record ArtifactCredentials(String accessKeyId, String secretAccessKey, String sessionToken) {
    public ArtifactCredentials {
        Objects.requireNonNull(accessKeyId, "accessKeyId");
        Objects.requireNonNull(secretAccessKey, "secretAccessKey");
    }

    @Override
    public String toString() {
        return "ArtifactCredentials[redacted]";
    }
}

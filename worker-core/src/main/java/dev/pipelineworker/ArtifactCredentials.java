package dev.pipelineworker;

import java.util.Objects;

/**
 * The temporary AWS credentials CodePipeline hands a job for its artifact bucket. Secret: its
 * {@code toString} shows only that it is redacted. {@code sessionToken} may be {@code null}.
 *
 * <p>Build one with {@link #of(String, String, String)}. The canonical constructor is public because
 * records must have it, but it gains a parameter whenever a member is added; the factory stays as
 * it is.
 */
public record ArtifactCredentials(String accessKeyId, String secretAccessKey, String sessionToken) {
    public ArtifactCredentials {
        Objects.requireNonNull(accessKeyId, "accessKeyId");
        Objects.requireNonNull(secretAccessKey, "secretAccessKey");
    }

    /** Credentials made of an access key id, its secret key and, for temporary credentials, a session token. */
    public static ArtifactCredentials of(String accessKeyId, String secretAccessKey, String sessionToken) {
        return new ArtifactCredentials(accessKeyId, secretAccessKey, sessionToken);
    }

    @Override
    public String toString() {
        return "ArtifactCredentials[redacted]";
    }
}

package dev.pipelineworker;

import java.util.Objects;

/**
 * The KMS key that encrypts the pipeline's artifacts: a key id, key ARN or alias ARN (1-400
 * characters). Uploads use it for SSE-KMS; without one, S3 uses the AWS managed key. {@code type}
 * is {@code KMS}, the only type CodePipeline knows.
 *
 * <p>Build one with {@link #kms(String)}. The canonical constructor is public because records must
 * have it, but it gains a parameter whenever a member is added; the factory stays as it is.
 */
public record EncryptionKey(String id, String type) {
    public EncryptionKey {
        Objects.requireNonNull(id, "id");
        if (id.isEmpty() || id.length() > 400) {
            throw new IllegalArgumentException("encryptionKey.id must be 1-400 characters, got " + id.length());
        }
        if (type == null) {
            type = "KMS";
        }
    }

    /** A KMS key. */
    public static EncryptionKey kms(String id) {
        return new EncryptionKey(id, "KMS");
    }
}

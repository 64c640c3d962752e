package dev.pipelineworker;

import java.util.Objects;

/**
 * An object in the pipeline's artifact bucket.
 *
 * <p>Build one with {@link #of(String, String)}. The canonical constructor is public because records
 * must have it, but it gains a parameter whenever a member is added; the factory stays as it is.
 */
public record S3Location(String bucketName, String objectKey) {
    public S3Location {
        Objects.requireNonNull(bucketName, "bucketName");
        Objects.requireNonNull(objectKey, "objectKey");
    }

    /** The object {@code objectKey} in the bucket {@code bucketName}. */
    public static S3Location of(String bucketName, String objectKey) {
        return new S3Location(bucketName, objectKey);
    }

    @Override
    public String toString() {
        return "s3://" + bucketName + "/" + objectKey;
    }
}

package dev.pipelineworker;

import java.util.Objects;

/** An object in the pipeline's artifact bucket. */
public record S3Location(String bucketName, String objectKey) {
    public S3Location {
        Objects.requireNonNull(bucketName, "bucketName");
        Objects.requireNonNull(objectKey, "objectKey");
    }

    @Override
    public String toString() {
        return "s3://" + bucketName + "/" + objectKey;
    }
}

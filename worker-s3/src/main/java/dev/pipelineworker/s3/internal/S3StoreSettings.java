package dev.pipelineworker.s3.internal;

import dev.pipelineworker.ZipLimits;
import java.net.URI;
import java.util.Objects;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.RetryStrategy;

/**
 * Everything an S3 artifact store factory was configured with. Immutable: each {@code with...}
 * returns a copy, so a builder can be shared and branched safely. Nullable fields mean "the SDK's
 * default".
 */
public record S3StoreSettings(Region region, URI endpointOverride, boolean forcePathStyle,
                              long multipartThreshold, long partSize, ZipLimits zipLimits,
                              SdkAsyncHttpClient httpClient, RetryStrategy retryStrategy) {

    /** S3 refuses parts below 5 MiB (except the last one). */
    public static final long MIN_PART_SIZE = 5L << 20;
    /** The SDK's own default for both the multipart threshold and the part size. */
    public static final long DEFAULT_PART_SIZE = 8L << 20;

    public S3StoreSettings {
        Objects.requireNonNull(zipLimits, "zipLimits");
        if (partSize < MIN_PART_SIZE) {
            throw new IllegalArgumentException("partSize must be at least 5 MiB (S3's minimum), got " + partSize);
        }
        if (multipartThreshold < 1) {
            throw new IllegalArgumentException("multipartThreshold must be positive, got " + multipartThreshold);
        }
    }

    /** The defaults: region chain, endpoint from the environment, virtual-host style, 8 MiB threshold and parts. */
    public static S3StoreSettings defaults() {
        return new S3StoreSettings(null, null, false, DEFAULT_PART_SIZE, DEFAULT_PART_SIZE, ZipLimits.defaults(),
                null, null);
    }

    public S3StoreSettings withRegion(Region value) {
        return new S3StoreSettings(value, endpointOverride, forcePathStyle, multipartThreshold, partSize, zipLimits,
                httpClient, retryStrategy);
    }

    public S3StoreSettings withEndpointOverride(URI value) {
        return new S3StoreSettings(region, value, forcePathStyle, multipartThreshold, partSize, zipLimits,
                httpClient, retryStrategy);
    }

    public S3StoreSettings withForcePathStyle(boolean value) {
        return new S3StoreSettings(region, endpointOverride, value, multipartThreshold, partSize, zipLimits,
                httpClient, retryStrategy);
    }

    public S3StoreSettings withMultipartThreshold(long value) {
        return new S3StoreSettings(region, endpointOverride, forcePathStyle, value, partSize, zipLimits,
                httpClient, retryStrategy);
    }

    public S3StoreSettings withPartSize(long value) {
        return new S3StoreSettings(region, endpointOverride, forcePathStyle, multipartThreshold, value, zipLimits,
                httpClient, retryStrategy);
    }

    public S3StoreSettings withZipLimits(ZipLimits value) {
        return new S3StoreSettings(region, endpointOverride, forcePathStyle, multipartThreshold, partSize, value,
                httpClient, retryStrategy);
    }

    public S3StoreSettings withHttpClient(SdkAsyncHttpClient value) {
        return new S3StoreSettings(region, endpointOverride, forcePathStyle, multipartThreshold, partSize, zipLimits,
                value, retryStrategy);
    }

    public S3StoreSettings withRetryStrategy(RetryStrategy value) {
        return new S3StoreSettings(region, endpointOverride, forcePathStyle, multipartThreshold, partSize, zipLimits,
                httpClient, value);
    }
}

package dev.pipelineworker.s3.internal;

import dev.pipelineworker.ZipLimits;
import java.net.URI;
import java.util.Objects;
import java.util.concurrent.Executor;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.RetryStrategy;

/**
 * Everything an S3 artifact store factory was configured with. Immutable: each {@code with...}
 * returns a copy, so a builder can be shared and branched safely. Nullable fields mean "the SDK's
 * default" (for the deflate executor: the factory's own pool).
 */
public record S3StoreSettings(Region region, URI endpointOverride, boolean forcePathStyle,
                              long multipartThreshold, long partSize, ZipLimits zipLimits,
                              SdkAsyncHttpClient httpClient, RetryStrategy retryStrategy, int partsInFlight,
                              Executor deflateExecutor, int deflateParallelism) {

    /** S3 refuses parts below 5 MiB (except the last one). */
    public static final long MIN_PART_SIZE = 5L << 20;
    /** The SDK's own default for both the multipart threshold and the part size. */
    public static final long DEFAULT_PART_SIZE = 8L << 20;
    /** Parts of a streamed upload sent at once: with the one filling, 4 parts of buffers (32 MiB at 8 MiB parts). */
    public static final int DEFAULT_PARTS_IN_FLIGHT = 3;

    public S3StoreSettings {
        Objects.requireNonNull(zipLimits, "zipLimits");
        if (partSize < MIN_PART_SIZE) {
            throw new IllegalArgumentException("partSize must be at least 5 MiB (S3's minimum), got " + partSize);
        }
        if (partsInFlight < 1) {
            throw new IllegalArgumentException("partsInFlight must be positive, got " + partsInFlight);
        }
        if (deflateParallelism < 1) {
            throw new IllegalArgumentException("deflateParallelism must be positive, got " + deflateParallelism);
        }
        if (multipartThreshold < 1) {
            throw new IllegalArgumentException("multipartThreshold must be positive, got " + multipartThreshold);
        }
    }

    /** The defaults: region chain, endpoint from the environment, virtual-host style, 8 MiB threshold and parts. */
    public static S3StoreSettings defaults() {
        return new S3StoreSettings(null, null, false, DEFAULT_PART_SIZE, DEFAULT_PART_SIZE, ZipLimits.defaults(),
                null, null, DEFAULT_PARTS_IN_FLIGHT, null, Runtime.getRuntime().availableProcessors());
    }

    public S3StoreSettings withRegion(Region value) {
        return new S3StoreSettings(value, endpointOverride, forcePathStyle, multipartThreshold, partSize, zipLimits,
                httpClient, retryStrategy, partsInFlight, deflateExecutor, deflateParallelism);
    }

    public S3StoreSettings withEndpointOverride(URI value) {
        return new S3StoreSettings(region, value, forcePathStyle, multipartThreshold, partSize, zipLimits,
                httpClient, retryStrategy, partsInFlight, deflateExecutor, deflateParallelism);
    }

    public S3StoreSettings withForcePathStyle(boolean value) {
        return new S3StoreSettings(region, endpointOverride, value, multipartThreshold, partSize, zipLimits,
                httpClient, retryStrategy, partsInFlight, deflateExecutor, deflateParallelism);
    }

    public S3StoreSettings withMultipartThreshold(long value) {
        return new S3StoreSettings(region, endpointOverride, forcePathStyle, value, partSize, zipLimits,
                httpClient, retryStrategy, partsInFlight, deflateExecutor, deflateParallelism);
    }

    public S3StoreSettings withPartSize(long value) {
        return new S3StoreSettings(region, endpointOverride, forcePathStyle, multipartThreshold, value, zipLimits,
                httpClient, retryStrategy, partsInFlight, deflateExecutor, deflateParallelism);
    }

    public S3StoreSettings withZipLimits(ZipLimits value) {
        return new S3StoreSettings(region, endpointOverride, forcePathStyle, multipartThreshold, partSize, value,
                httpClient, retryStrategy, partsInFlight, deflateExecutor, deflateParallelism);
    }

    public S3StoreSettings withHttpClient(SdkAsyncHttpClient value) {
        return new S3StoreSettings(region, endpointOverride, forcePathStyle, multipartThreshold, partSize, zipLimits,
                value, retryStrategy, partsInFlight, deflateExecutor, deflateParallelism);
    }

    public S3StoreSettings withRetryStrategy(RetryStrategy value) {
        return new S3StoreSettings(region, endpointOverride, forcePathStyle, multipartThreshold, partSize, zipLimits,
                httpClient, value, partsInFlight, deflateExecutor, deflateParallelism);
    }

    public S3StoreSettings withPartsInFlight(int value) {
        return new S3StoreSettings(region, endpointOverride, forcePathStyle, multipartThreshold, partSize, zipLimits,
                httpClient, retryStrategy, value, deflateExecutor, deflateParallelism);
    }

    /** {@code executor} null: the factory's own pool of {@code parallelism} threads. */
    public S3StoreSettings withDeflate(Executor executor, int parallelism) {
        return new S3StoreSettings(region, endpointOverride, forcePathStyle, multipartThreshold, partSize, zipLimits,
                httpClient, retryStrategy, partsInFlight, executor, parallelism);
    }
}

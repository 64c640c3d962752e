package dev.pipelineworker.s3;

import dev.pipelineworker.ArtifactAccess;
import dev.pipelineworker.ArtifactStore;
import dev.pipelineworker.ArtifactStoreFactory;
import dev.pipelineworker.ZipLimits;
import dev.pipelineworker.s3.internal.DeflatePool;
import dev.pipelineworker.s3.internal.JobClients;
import dev.pipelineworker.s3.internal.JobCredentialsProvider;
import dev.pipelineworker.s3.internal.S3ArtifactStore;
import dev.pipelineworker.s3.internal.S3Clients;
import dev.pipelineworker.s3.internal.S3StoreSettings;
import java.net.URI;
import java.util.Objects;
import java.util.concurrent.Executor;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.RetryStrategy;

/**
 * Opens each job's artifact store on S3: a client of its own signed with the job's artifact
 * credentials, SSE-KMS uploads with the job's key, multipart above a threshold, and refresh of
 * expired credentials. The worker finds it through {@link java.util.ServiceLoader} when
 * {@code worker-s3} is on the classpath; build one with {@link #builder()} to change the defaults.
 *
 * <p>Per-job clients share one HTTP client (it holds connections, never credentials). Close the
 * factory when the worker stops, to release that HTTP client if the factory created it.
 */
public final class S3ArtifactStoreFactory implements ArtifactStoreFactory, AutoCloseable {

    private final S3StoreSettings settings;
    private final S3Clients clients;
    private final DeflatePool deflate;

    /**
     * A factory with every default: region from the standard chain, endpoint from the environment
     * ({@code AWS_ENDPOINT_URL_S3}, {@code AWS_ENDPOINT_URL}) or S3's own. Used by ServiceLoader.
     */
    public S3ArtifactStoreFactory() {
        this(S3StoreSettings.defaults());
    }

    private S3ArtifactStoreFactory(S3StoreSettings settings) {
        this.settings = settings;
        this.clients = new S3Clients(settings);
        this.deflate = new DeflatePool(settings);
    }

    /** A builder holding the defaults. */
    public static Builder builder() {
        return new Builder(S3StoreSettings.defaults());
    }

    @Override
    public ArtifactStore open(ArtifactAccess access) {
        JobCredentialsProvider credentials =
                new JobCredentialsProvider(access.jobId(), access.credentials(), access.refresher());
        JobClients s3 = clients.forJob(credentials, access.region());
        return new S3ArtifactStore(access, credentials, s3, settings, deflate);
    }

    /**
     * Releases the shared HTTP client and the deflate threads if this factory created them. Stores
     * already open stop working.
     */
    @Override
    public void close() {
        try {
            clients.close();
        } finally {
            deflate.close();
        }
    }

    @Override
    public String toString() {
        return "S3ArtifactStoreFactory[region=" + (settings.region() == null ? "default chain" : settings.region())
                + ", endpoint=" + (settings.endpointOverride() == null ? "default" : settings.endpointOverride())
                + ", pathStyle=" + settings.forcePathStyle() + ", multipartThreshold=" + settings.multipartThreshold()
                + ", partSize=" + settings.partSize() + ", partsInFlight=" + settings.partsInFlight() + "]";
    }

    /**
     * Settings for an {@link S3ArtifactStoreFactory}. Immutable: every setter returns a new builder,
     * so one builder can be the shared base of several factories.
     */
    public static final class Builder {
        private final S3StoreSettings settings;

        private Builder(S3StoreSettings settings) {
            this.settings = settings;
        }

        /**
         * The region of the artifact bucket for a job whose region is not known (the worker always knows
         * a job's region and uses it, since the bucket is in the pipeline's region). Default: the SDK's
         * region chain ({@code AWS_REGION}, profile, instance metadata).
         */
        public Builder region(Region region) {
            return new Builder(settings.withRegion(Objects.requireNonNull(region, "region")));
        }

        /**
         * An S3 endpoint to use instead of AWS's, for S3-compatible stores and tests. Default: none,
         * in which case the SDK itself honours {@code AWS_ENDPOINT_URL_S3} and {@code AWS_ENDPOINT_URL}.
         */
        public Builder endpointOverride(URI endpoint) {
            return new Builder(settings.withEndpointOverride(Objects.requireNonNull(endpoint, "endpoint")));
        }

        /** Path-style addressing ({@code host/bucket/key}), which most S3-compatible servers need. Default: false. */
        public Builder forcePathStyle(boolean forcePathStyle) {
            return new Builder(settings.withForcePathStyle(forcePathStyle));
        }

        /** Outputs larger than this many bytes are uploaded in parts. Default: 8 MiB. */
        public Builder multipartThreshold(long bytes) {
            return new Builder(settings.withMultipartThreshold(bytes));
        }

        /**
         * The size of each part of a multipart upload, at least 5 MiB. Default: 8 MiB. It is raised for
         * an object that would otherwise need more than S3's 10,000 parts (for a stream of unknown
         * length, which cannot be foreseen, the upload fails clearly at part 10,001). A streamed upload
         * that outgrows its first part goes multipart even when the threshold is larger.
         */
        public Builder partSize(long bytes) {
            return new Builder(settings.withPartSize(bytes));
        }

        /**
         * How many parts of a streamed upload ({@code writeOutputZip}, {@code writeOutput} of a stream)
         * are sent at once. Each is a buffer of the part size held until S3 has it, so an upload holds
         * at most {@code (partsInFlight + 1) × partSize} bytes: 32 MiB with the defaults. Default: 3.
         */
        public Builder partsInFlight(int parts) {
            return new Builder(settings.withPartsInFlight(parts));
        }

        /**
         * Where {@code writeOutputZip} deflates compressible files, in 256 KiB chunks, with at most
         * {@code 2 × parallelism} chunks in flight (memory: 512 KiB each); the caller keeps ownership
         * and closes it. Default: a pool of one daemon thread per core (availableProcessors), made on
         * the first zip and shut down by {@link S3ArtifactStoreFactory#close()}.
         */
        public Builder deflateExecutor(Executor executor, int parallelism) {
            return new Builder(settings.withDeflate(Objects.requireNonNull(executor, "executor"), parallelism));
        }

        /** Limits for extracting input zips. Default: {@link ZipLimits#defaults()}. */
        public Builder zipLimits(ZipLimits limits) {
            return new Builder(settings.withZipLimits(Objects.requireNonNull(limits, "limits")));
        }

        /**
         * The HTTP client all per-job S3 clients share; the caller keeps ownership and closes it.
         * Give it a generous connection acquisition timeout: the SDK's multipart upload queues all
         * parts of an artifact for a connection at once. Default: a Netty client with the SDK's
         * defaults but a 10-minute acquisition timeout, created on first use and closed by
         * {@link S3ArtifactStoreFactory#close()}.
         */
        public Builder httpClient(SdkAsyncHttpClient httpClient) {
            return new Builder(settings.withHttpClient(Objects.requireNonNull(httpClient, "httpClient")));
        }

        /**
         * How the SDK retries S3 requests (throttling, 5xx, I/O errors) before a failure reaches the job.
         * Default: the SDK's own, from {@code AWS_RETRY_MODE} or the profile, else legacy mode.
         */
        public Builder retryStrategy(RetryStrategy retryStrategy) {
            return new Builder(settings.withRetryStrategy(Objects.requireNonNull(retryStrategy, "retryStrategy")));
        }

        /** A factory with these settings. */
        public S3ArtifactStoreFactory build() {
            return new S3ArtifactStoreFactory(settings);
        }
    }
}

package dev.pipelineworker.s3.internal;

import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobFailureException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClientBuilder;

/**
 * Builds one S3 client per job, each with only that job's credentials, on top of resources shared
 * by all jobs: the HTTP client (event loop and connection pool, which carry no credentials) and the
 * resolved fallback region. Each job's clients are for the job's own region when it is known. Creating the shared HTTP client lazily keeps a factory found by ServiceLoader
 * but never used free of threads.
 */
public final class S3Clients implements AutoCloseable {

    /**
     * The SDK's multipart upload sends every part request at once (aws-sdk-java-v2#6623) and lets them
     * queue for one of the pool's connections; with the default 10 s wait, the parts of a large
     * artifact on a slow link fail before they get a connection. Ten minutes keeps a waiting part
     * well inside S3's 15-minute window for a signed request's age.
     */
    static final Duration CONNECTION_ACQUISITION_TIMEOUT = Duration.ofMinutes(10);
    /** How long close() waits for the event loop threads to end; they end at once unless a request is stuck. */
    private static final Duration EVENT_LOOP_SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);
    /** Names the event loop threads of the HTTP client a factory creates, one counter for every factory. */
    private static final AtomicInteger EVENT_LOOP_THREADS = new AtomicInteger();

    private final S3StoreSettings settings;
    private SdkAsyncHttpClient ownedHttpClient;
    private SdkEventLoopGroup ownedEventLoops;
    private Region region;
    private boolean closed;

    public S3Clients(S3StoreSettings settings) {
        this.settings = settings;
        this.region = settings.region();
    }

    /**
     * New clients that sign every request with {@code credentials}, for {@code jobRegion} (the job's
     * region, where its artifact bucket is; {@code null} when the engine does not know it, and the
     * configured or default region is used); the caller closes them. Reads use a client without
     * multipart: the SDK's multipart download issues part-number GETs, which buy nothing for a
     * sequential stream and which S3-compatible servers often answer without the Content-Range the
     * SDK requires.
     */
    public JobClients forJob(AwsCredentialsProvider credentials, Region jobRegion) {
        Region region = jobRegion != null ? jobRegion : region();
        S3AsyncClient reads = builder(credentials, region).build();
        S3AsyncClient writes = builder(credentials, region)
                .multipartEnabled(true)
                .multipartConfiguration(m -> m
                        .thresholdInBytes(settings.multipartThreshold())
                        .minimumPartSizeInBytes(settings.partSize()))
                .build();
        return new JobClients(reads, writes);
    }

    private S3AsyncClientBuilder builder(AwsCredentialsProvider credentials, Region region) {
        S3AsyncClientBuilder builder = S3AsyncClient.builder()
                .credentialsProvider(credentials)
                .region(region)
                .httpClient(httpClient())
                .forcePathStyle(settings.forcePathStyle());
        if (settings.endpointOverride() != null) {
            builder.endpointOverride(settings.endpointOverride());
        }
        if (settings.retryStrategy() != null) {
            builder.overrideConfiguration(o -> o.retryStrategy(settings.retryStrategy()));
        }
        return builder;
    }

    private synchronized Region region() {
        if (region == null) {
            try {
                region = DefaultAwsRegionProviderChain.builder().build().getRegion();
            } catch (SdkClientException e) {
                throw new JobFailureException(FailureType.CONFIGURATION_ERROR,
                        "No AWS region for the artifact store: set AWS_REGION or S3ArtifactStoreFactory.builder()"
                                + ".region(...)", e);
            }
        }
        return region;
    }

    private synchronized SdkAsyncHttpClient httpClient() {
        if (closed) {
            throw new IllegalStateException("the S3 artifact store factory is closed");
        }
        if (settings.httpClient() != null) {
            return settings.httpClient();
        }
        if (ownedHttpClient == null) {
            ownedEventLoops = SdkEventLoopGroup.builder().threadFactory(S3Clients::eventLoopThread).build();
            ownedHttpClient = NettyNioAsyncHttpClient.builder()
                    .eventLoopGroup(ownedEventLoops)
                    .connectionAcquisitionTimeout(CONNECTION_ACQUISITION_TIMEOUT)
                    .build();
        }
        return ownedHttpClient;
    }

    private static Thread eventLoopThread(Runnable task) {
        Thread thread = new Thread(task, "pipeline-worker-s3-" + EVENT_LOOP_THREADS.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    }

    /**
     * Closes the HTTP client this object created and its event loop; one handed in by the user stays open. The
     * event loop is this object's own because the Netty client would shut its own down with a 2 s quiet period,
     * waiting for tasks that can no longer come once the client is closed: every closed worker paid 2 s for it.
     */
    @Override
    public synchronized void close() {
        closed = true;
        if (ownedHttpClient != null) {
            try {
                ownedHttpClient.close();
            } finally {
                ownedEventLoops.eventLoopGroup()
                        .shutdownGracefully(0, EVENT_LOOP_SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                        .awaitUninterruptibly(EVENT_LOOP_SHUTDOWN_TIMEOUT.toMillis());
                ownedHttpClient = null;
                ownedEventLoops = null;
            }
        }
    }
}

package dev.pipelineworker.testkit;

import com.adobe.testing.s3mock.S3MockApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 on a free local port for integration tests of S3-backed handlers, next to {@link LocalCodePipeline}:
 * S3Mock (a Spring Boot application) in this JVM, holding one bucket and, optionally, accepting one KMS key.
 *
 * <p>It needs {@code com.adobe.testing:s3mock} and {@code software.amazon.awssdk:s3} on the test classpath; the
 * testkit declares both optional so that handler unit tests do not pay for Spring Boot. Path-style addressing
 * only; any credentials are accepted. S3Mock checks an SSE-KMS key id against its valid key ARNs by the id after
 * {@code key/}, so jobs should name the bare key id. It records the encryption headers but does not encrypt.
 * Starting takes a few seconds, so tests usually share one instance.
 */
public final class LocalS3 implements AutoCloseable {

    private final S3MockApplication server;
    private final URI endpoint;
    private final String bucket;

    private LocalS3(S3MockApplication server, String bucket) {
        this.server = server;
        this.bucket = bucket;
        this.endpoint = URI.create("http://127.0.0.1:" + server.getHttpPort());
    }

    /**
     * Starts S3Mock with {@code bucket} created and no KMS key of its own: SSE-KMS uploads that name no key id (the
     * AWS managed key, what the worker sends for a job without an encryption key) are accepted.
     */
    public static LocalS3 start(String bucket) {
        return start(bucket, null);
    }

    /** Starts S3Mock with {@code bucket} created and {@code kmsKeyArn} (may be null) as its only valid key. */
    public static LocalS3 start(String bucket, String kmsKeyArn) {
        Objects.requireNonNull(bucket, "bucket");
        Path root;
        try {
            root = Files.createTempDirectory("local-s3-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Object> properties = new HashMap<>(Map.of(
                S3MockApplication.PROP_HTTP_PORT, S3MockApplication.RANDOM_PORT,
                S3MockApplication.PROP_HTTPS_PORT, S3MockApplication.RANDOM_PORT,
                S3MockApplication.PROP_INITIAL_BUCKETS, bucket,
                S3MockApplication.PROP_ROOT_DIRECTORY, root.toString(),
                "spring.main.banner-mode", "off",
                "spring.main.log-startup-info", false,
                "server.shutdown", "immediate",
                S3MockApplication.PROP_SILENT, true));
        if (kmsKeyArn != null) {
            properties.put("com.adobe.testing.s3mock.store.validKmsKeys", kmsKeyArn);
        }
        return new LocalS3(S3MockApplication.start(properties), bucket);
    }

    /** The HTTP endpoint, e.g. {@code http://127.0.0.1:41234}. */
    public URI endpoint() {
        return endpoint;
    }

    /** The bucket created at start. */
    public String bucket() {
        return bucket;
    }

    /** A new client for this S3 (path-style, fixed fake credentials, us-east-1); the caller closes it. */
    public S3Client newClient() {
        return S3Client.builder()
                .endpointOverride(endpoint)
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .build();
    }

    /** Stops S3Mock, which deletes the objects it stored. */
    @Override
    public void close() {
        server.stop();
    }
}

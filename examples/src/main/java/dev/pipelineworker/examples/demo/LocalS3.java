package dev.pipelineworker.examples.demo;

import com.adobe.testing.s3mock.S3MockApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.bridge.SLF4JBridgeHandler;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An S3 in this process: S3Mock (a Spring Boot application) on a free local port, holding one bucket
 * and accepting one KMS key. Path-style addressing only; any credentials are accepted. S3Mock checks
 * SSE-KMS key ids against its configured key ARNs by the id after {@code key/}, so jobs name the bare
 * key id. It records the encryption headers but does not encrypt.
 */
public final class LocalS3 implements AutoCloseable {

    private final S3MockApplication server;
    private final URI endpoint;

    private LocalS3(S3MockApplication server) {
        this.server = server;
        this.endpoint = URI.create("http://127.0.0.1:" + server.getHttpPort());
    }

    /** Starts S3Mock with {@code bucket} created and {@code kmsKeyArn} as its only valid key. */
    public static LocalS3 start(String bucket, String kmsKeyArn) {
        quietSpringBoot();
        Path root;
        try {
            root = Files.createTempDirectory("example-worker-s3-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Object> properties = new HashMap<>(Map.of(
                S3MockApplication.PROP_HTTP_PORT, S3MockApplication.RANDOM_PORT,
                S3MockApplication.PROP_HTTPS_PORT, S3MockApplication.RANDOM_PORT,
                S3MockApplication.PROP_INITIAL_BUCKETS, bucket,
                S3MockApplication.PROP_ROOT_DIRECTORY, root.toString(),
                "com.adobe.testing.s3mock.store.validKmsKeys", kmsKeyArn,
                "spring.main.banner-mode", "off",
                "spring.main.log-startup-info", false,
                "server.shutdown", "immediate",
                S3MockApplication.PROP_SILENT, true));
        return new LocalS3(S3MockApplication.start(properties));
    }

    /**
     * Keeps S3Mock's Spring Boot and Tomcat out of the output: Spring Boot leaves the application's
     * logging (logback.xml) alone, Tomcat's java.util.logging goes through SLF4J to logback (which shows
     * their errors only), and commons-logging (the AWS SDK's Apache HTTP client brings it) does not
     * discover Spring's replacement and warn about it.
     */
    private static synchronized void quietSpringBoot() {
        System.setProperty("org.springframework.boot.logging.LoggingSystem", "none");
        System.setProperty("org.apache.commons.logging.LogFactory", "org.apache.commons.logging.impl.LogFactoryImpl");
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
    }

    /** The HTTP endpoint, e.g. {@code http://127.0.0.1:41234}. */
    public URI endpoint() {
        return endpoint;
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

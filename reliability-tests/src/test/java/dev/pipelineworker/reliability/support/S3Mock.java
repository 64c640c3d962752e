package dev.pipelineworker.reliability.support;

import com.adobe.testing.s3mock.S3MockApplication;
import dev.pipelineworker.ZipLimits;
import dev.pipelineworker.s3.S3ArtifactStoreFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * One in-process S3Mock for the whole test JVM (Spring Boot takes seconds to start), with one bucket, and
 * a plain S3 client for the tests to put inputs and read outputs. Stopped when the JVM exits.
 */
public final class S3Mock {

    public static final String BUCKET = "artifacts";

    private static S3MockApplication server;
    private static S3Client client;

    private S3Mock() {
    }

    public static synchronized URI endpoint() {
        if (server == null) {
            Path root;
            try {
                root = Files.createTempDirectory("s3mock-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server = S3MockApplication.start(new HashMap<>(Map.of(
                    S3MockApplication.PROP_HTTP_PORT, S3MockApplication.RANDOM_PORT,
                    S3MockApplication.PROP_HTTPS_PORT, S3MockApplication.RANDOM_PORT,
                    S3MockApplication.PROP_INITIAL_BUCKETS, BUCKET,
                    S3MockApplication.PROP_ROOT_DIRECTORY, root.toString(),
                    S3MockApplication.PROP_SILENT, true)));
            Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
        }
        return URI.create("http://localhost:" + server.getHttpPort());
    }

    /** A store factory for the worker under test, against {@code endpoint} (S3Mock or a proxy in front of it). */
    public static S3ArtifactStoreFactory factory(URI endpoint, ZipLimits limits) {
        return S3ArtifactStoreFactory.builder()
                .region(Region.US_EAST_1)
                .endpointOverride(endpoint)
                .forcePathStyle(true)
                .zipLimits(limits)
                .build();
    }

    public static synchronized S3Client client() {
        if (client == null) {
            client = S3Client.builder()
                    .region(Region.US_EAST_1)
                    .endpointOverride(endpoint())
                    .forcePathStyle(true)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                    .build();
        }
        return client;
    }

    public static void put(String key, byte[] content) {
        client().putObject(r -> r.bucket(BUCKET).key(key), RequestBody.fromBytes(content));
    }

    public static byte[] get(String key) {
        return client().getObjectAsBytes(r -> r.bucket(BUCKET).key(key)).asByteArray();
    }
}

package dev.pipelineworker.reliability.support;

import dev.pipelineworker.ZipLimits;
import dev.pipelineworker.s3.S3ArtifactStoreFactory;
import dev.pipelineworker.testkit.s3.LocalS3;
import java.net.URI;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * One in-process S3Mock ({@link LocalS3}) for the whole test JVM (Spring Boot takes seconds to start), with one
 * bucket, and a plain S3 client for the tests to put inputs and read outputs. Stopped when the JVM exits.
 */
public final class S3Mock {

    public static final String BUCKET = "artifacts";

    private static LocalS3 server;
    private static S3Client client;

    private S3Mock() {
    }

    public static synchronized URI endpoint() {
        if (server == null) {
            server = LocalS3.start(BUCKET);
            Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        }
        return server.endpoint();
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
            endpoint();
            client = server.newClient();
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

package dev.pipelineworker.s3;

import com.adobe.testing.s3mock.S3MockApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * One S3Mock for the whole test run: Spring Boot starts in seconds, so it is started once and stopped when the JVM
 * exits. It knows one valid KMS key and one bucket. S3Mock matches the SSE-KMS header against the id part of its
 * configured key ARNs, so tests against it send the bare key id (the WireMock tests cover key ARNs). Started
 * directly rather than through the testkit's LocalS3, which depends on this module.
 */
final class S3MockServer {

    static final String BUCKET = "artifacts";
    static final String KEY_ID = "6b4f1d8e-2c3a-4e5f-9a7b-1c2d3e4f5a6b";
    static final String KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/" + KEY_ID;

    private static URI endpoint;

    private S3MockServer() {
    }

    @SuppressWarnings("removal") // S3Mock 4 deprecates its plain-HTTP connector; the tests use it until S3Mock drops it
    static synchronized URI endpoint() {
        if (endpoint == null) {
            S3MockApplication server = S3MockApplication.start(new HashMap<>(Map.of(
                    S3MockApplication.PROP_HTTP_PORT, S3MockApplication.RANDOM_PORT,
                    S3MockApplication.PROP_HTTPS_PORT, S3MockApplication.RANDOM_PORT,
                    S3MockApplication.PROP_INITIAL_BUCKETS, BUCKET,
                    S3MockApplication.PROP_ROOT_DIRECTORY, temporaryRoot(),
                    "com.adobe.testing.s3mock.store.validKmsKeys", KEY_ARN,
                    "spring.main.banner-mode", "off",
                    "spring.main.log-startup-info", false,
                    "server.shutdown", "immediate",
                    S3MockApplication.PROP_SILENT, true)));
            Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
            endpoint = URI.create("http://127.0.0.1:" + server.getHttpPort());
        }
        return endpoint;
    }

    /** A store factory pointed at S3Mock, for the test to add its part sizes to; the caller closes what it builds. */
    static S3ArtifactStoreFactory.Builder storeFactory() {
        return S3ArtifactStoreFactory.builder()
                .region(Region.US_EAST_1)
                .endpointOverride(endpoint())
                .forcePathStyle(true);
    }

    /** A plain client of S3Mock to check what the store wrote; the caller closes it. */
    static S3Client verifier() {
        return S3Client.builder()
                .region(Region.US_EAST_1)
                .endpointOverride(endpoint())
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build();
    }

    private static String temporaryRoot() {
        try {
            return Files.createTempDirectory("worker-s3-test-").toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

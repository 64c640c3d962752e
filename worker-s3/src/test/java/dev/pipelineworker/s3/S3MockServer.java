package dev.pipelineworker.s3;

import dev.pipelineworker.testkit.LocalS3;
import java.net.URI;

/**
 * One S3Mock ({@link LocalS3}) for the whole test run: Spring Boot starts in seconds, so it is started once
 * and stopped when the JVM exits. It knows one valid KMS key and one bucket. S3Mock matches the
 * SSE-KMS header against the id part of its configured key ARNs, so tests against it send the bare
 * key id (the WireMock tests cover key ARNs).
 */
final class S3MockServer {

    static final String BUCKET = "artifacts";
    static final String KEY_ID = "6b4f1d8e-2c3a-4e5f-9a7b-1c2d3e4f5a6b";
    static final String KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/" + KEY_ID;

    private static LocalS3 server;

    private S3MockServer() {
    }

    static synchronized URI endpoint() {
        if (server == null) {
            server = LocalS3.start(BUCKET, KEY_ARN);
            Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        }
        return server.endpoint();
    }
}

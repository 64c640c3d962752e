package dev.pipelineworker.events;

import java.net.URI;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/** ElasticMQ in the test JVM and the real SDK SqsClient pointed at it; closes both. */
final class LocalSqs implements AutoCloseable {

    private final SQSRestServer server;
    private final SqsClient client;
    private final URI endpoint;

    private LocalSqs() {
        server = SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort().start();
        int port = server.waitUntilStarted().localAddress().getPort();
        endpoint = URI.create("http://127.0.0.1:" + port);
        client = client(endpoint);
    }

    static LocalSqs start() {
        return new LocalSqs();
    }

    /** An SqsClient for this endpoint (or any other), with fake credentials. */
    static SqsClient client(URI endpoint) {
        return SqsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "y")))
                .build();
    }

    SqsClient client() {
        return client;
    }

    /** Creates a queue and returns its URL. */
    String createQueue(String name) {
        return client.createQueue(r -> r.queueName(name)).queueUrl();
    }

    @Override
    public void close() {
        client.close();
        server.stopAndWait();
    }
}

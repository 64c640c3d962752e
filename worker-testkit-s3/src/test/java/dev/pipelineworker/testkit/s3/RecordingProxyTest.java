package dev.pipelineworker.testkit.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.pipelineworker.testkit.RecordingProxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/** S3 clients of two regions, each with its own session credentials, through the proxy to S3Mock. */
class RecordingProxyTest {

    private static LocalS3 s3;
    private static RecordingProxy proxy;

    @BeforeAll
    static void start() {
        s3 = LocalS3.start("proxied-bucket");
        proxy = RecordingProxy.start(s3.endpoint());
    }

    @AfterAll
    static void stop() {
        proxy.close();
        s3.close();
    }

    @AfterEach
    void forget() {
        proxy.clear();
    }

    private static S3Client client(String region, String accessKeyId, String sessionToken) {
        return S3Client.builder()
                .endpointOverride(proxy.endpoint())
                .forcePathStyle(true)
                .region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsSessionCredentials.create(accessKeyId, "secret-" + accessKeyId, sessionToken)))
                .build();
    }

    @Test
    void recordsTheRegionAndKeyEachRequestWasSignedForAndPassesItThrough() {
        try (S3Client eu = client("eu-west-1", "ASIAEUJOB", "eu-session");
             S3Client ap = client("ap-southeast-2", "ASIAAPJOB", "ap-session")) {
            eu.putObject(b -> b.bucket(s3.bucket()).key("eu/in.txt"), RequestBody.fromString("from eu"));
            ap.putObject(b -> b.bucket(s3.bucket()).key("ap/in.txt"), RequestBody.fromString(""));

            assertThat(ap.getObjectAsBytes(b -> b.bucket(s3.bucket()).key("eu/in.txt")).asUtf8String())
                    .isEqualTo("from eu");
            assertThat(eu.headObject(b -> b.bucket(s3.bucket()).key("eu/in.txt")).contentLength()).isEqualTo(7);
            assertThat(eu.getObjectAsBytes(b -> b.bucket(s3.bucket()).key("ap/in.txt")).asByteArray()).isEmpty();
            assertThatThrownBy(() -> ap.getObjectAsBytes(b -> b.bucket(s3.bucket()).key("missing")))
                    .isInstanceOf(NoSuchKeyException.class);
        }

        assertThat(proxy.requests()).extracting(RecordingProxy.Request::method, RecordingProxy.Request::path,
                        RecordingProxy.Request::region, RecordingProxy.Request::accessKeyId,
                        RecordingProxy.Request::sessionToken)
                .containsExactly(
                        tuple("PUT", "/proxied-bucket/eu/in.txt", "eu-west-1", "ASIAEUJOB", "eu-session"),
                        tuple("PUT", "/proxied-bucket/ap/in.txt", "ap-southeast-2", "ASIAAPJOB", "ap-session"),
                        tuple("GET", "/proxied-bucket/eu/in.txt", "ap-southeast-2", "ASIAAPJOB", "ap-session"),
                        tuple("HEAD", "/proxied-bucket/eu/in.txt", "eu-west-1", "ASIAEUJOB", "eu-session"),
                        tuple("GET", "/proxied-bucket/ap/in.txt", "eu-west-1", "ASIAEUJOB", "eu-session"),
                        tuple("GET", "/proxied-bucket/missing", "ap-southeast-2", "ASIAAPJOB", "ap-session"));
        assertThat(proxy.requests()).allSatisfy(request -> {
            assertThat(request.credentialScope().service()).isEqualTo("s3");
            assertThat(request.toString()).doesNotContain("-session");
        });
    }

    @Test
    void recordsAnUnsignedRequestAsUnsigned() throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(proxy.endpoint() + "/proxied-bucket?list-type=2")).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(proxy.requests()).singleElement().satisfies(request -> {
            assertThat(request.signed()).isFalse();
            assertThat(request.region()).isNull();
            assertThat(request.path()).isEqualTo("/proxied-bucket?list-type=2");
        });
    }
}

package dev.pipelineworker.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;

/**
 * The proxy in front of the emulator, this module's own endpoint (worker-testkit-s3's test puts it in front of S3):
 * what it records of each request, that the answer passes through, and a 502 when the target is gone.
 */
class RecordingProxyEmulatorTest {

    @Test
    void recordsWhoSignedForWhichRegionAndPassesTheAnswerThrough() throws Exception {
        try (LocalCodePipeline emulator = LocalCodePipeline.builder().build().start();
             RecordingProxy proxy = RecordingProxy.start(URI.create(emulator.endpoint() + "/"));
             CodePipelineClient client = CodePipelineClient.builder()
                     .endpointOverride(proxy.endpoint())
                     .region(Region.EU_WEST_1)
                     .credentialsProvider(StaticCredentialsProvider.create(
                             AwsSessionCredentials.create("AKIDPROXY", "proxy-secret", "proxy-session-token")))
                     .build()) {

            assertThat(client.listActionTypes(r -> { }).actionTypes()).isNotNull();

            assertThat(proxy.requests()).singleElement().satisfies(request -> {
                assertThat(request.method()).isEqualTo("POST");
                assertThat(request.path()).isEqualTo("/");
                assertThat(request.signed()).isTrue();
                assertThat(request.region()).isEqualTo("eu-west-1");
                assertThat(request.accessKeyId()).isEqualTo("AKIDPROXY");
                assertThat(request.credentialScope().service()).isEqualTo("codepipeline");
                assertThat(request.sessionToken()).isEqualTo("proxy-session-token");
                assertThat(request.toString()).doesNotContain("proxy-session-token").contains("sessionToken=***");
            });
            assertThat(emulator.callsInRegion("eu-west-1")).hasSize(1);

            proxy.clear();
            HttpResponse<String> unsigned = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(proxy.endpoint() + "/?probe=1")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(unsigned.statusCode()).isEqualTo(400);
            assertThat(unsigned.headers().firstValue("Content-Type")).hasValue("application/x-amz-json-1.1");
            assertThat(unsigned.body()).contains("Missing X-Amz-Target header");
            assertThat(proxy.requests()).singleElement().satisfies(request -> {
                assertThat(request.path()).isEqualTo("/?probe=1");
                assertThat(request.signed()).isFalse();
                assertThat(request.region()).isNull();
                assertThat(request.accessKeyId()).isNull();
                assertThat(request.toString()).contains("sessionToken=none");
            });
            assertThat(proxy.toString()).isEqualTo("RecordingProxy[" + proxy.endpoint() + " -> " + emulator.endpoint() + "/]");
        }
    }

    @Test
    void aTargetThatCannotBeReachedIsA502() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (RecordingProxy proxy = RecordingProxy.start(URI.create("http://127.0.0.1:" + closedPort))) {
            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(proxy.endpoint())
                    .GET().build(), HttpResponse.BodyHandlers.ofString());

            assertThat(answer.statusCode()).isEqualTo(502);
            assertThat(proxy.requests()).singleElement()
                    .satisfies(request -> assertThat(request.method()).isEqualTo("GET"));
        }
    }
}

package dev.pipelineworker.testkit.emulator;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Requests to the emulator written by hand, header by header, for the tests of its wire protocol. */
final class RawRequests {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private RawRequests() {
    }

    /** A {@code POST /} with these headers, each left out when null, and this body. */
    static HttpRequest post(URI endpoint, String target, String authorization, String contentType, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(endpoint + "/"))
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (target != null) {
            request.header("X-Amz-Target", target);
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return request.build();
    }

    /** An unsigned JSON 1.1 call of this CodePipeline operation with this body, and its answer. */
    static HttpResponse<String> call(URI endpoint, String operation, String body)
            throws IOException, InterruptedException {
        return HTTP.send(post(endpoint, "CodePipeline_20150709." + operation, null, "application/x-amz-json-1.1",
                body.getBytes(StandardCharsets.UTF_8)), HttpResponse.BodyHandlers.ofString());
    }
}

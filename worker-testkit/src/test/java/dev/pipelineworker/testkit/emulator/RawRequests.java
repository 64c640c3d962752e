package dev.pipelineworker.testkit.emulator;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;

/** Requests to the emulator written by hand, header by header, for the tests of its wire protocol. */
final class RawRequests {

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
}

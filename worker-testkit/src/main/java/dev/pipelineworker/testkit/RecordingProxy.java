package dev.pipelineworker.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local HTTP proxy in front of another local endpoint, usually {@code LocalS3} (worker-testkit-s3), that records
 * who signed each request and for which region: point the code under test at {@link #endpoint()} instead of the target, and read
 * {@link #requests()} afterwards, e.g. to check that each job's S3 requests are signed with its own artifact
 * credentials and for its own region.
 *
 * <pre>{@code
 * try (RecordingProxy s3 = RecordingProxy.start(localS3.endpoint())) {
 *     // run the worker with its S3 endpoint at s3.endpoint()
 *     assertThat(s3.requests()).allSatisfy(r -> assertThat(r.region()).isEqualTo("eu-west-1"));
 * }
 * }</pre>
 *
 * <p>Requests and answers pass through unchanged (signatures are not checked, so the changed {@code Host} does not
 * matter to S3Mock), except that each is held in memory whole: meant for test-sized artifacts. A request the
 * target cannot be reached for is recorded and answered with a 502.
 */
public final class RecordingProxy implements AutoCloseable {

    /** Hop-by-hop headers, and those the JDK client sets itself or refuses, are not forwarded. */
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "content-length", "expect", "host",
            "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade");

    private final URI target;
    private final HttpServer server;
    private final ExecutorService executor;
    private final HttpClient client;
    private final List<Request> requests = new ArrayList<>();

    private RecordingProxy(URI target, HttpServer server, ExecutorService executor) {
        this.target = target;
        this.server = server;
        this.executor = executor;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5))
                .executor(executor)
                .build();
    }

    /** Starts a proxy on a free port of 127.0.0.1 that forwards to {@code target}, e.g. {@code localS3.endpoint()}. */
    public static RecordingProxy start(URI target) {
        Objects.requireNonNull(target, "target");
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind a recording proxy", e);
        }
        AtomicInteger threads = new AtomicInteger();
        ExecutorService executor = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "recording-proxy-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        RecordingProxy proxy = new RecordingProxy(target, server, executor);
        server.createContext("/", proxy::handle);
        server.setExecutor(executor);
        server.start();
        return proxy;
    }

    /** Where to send requests instead of the target, e.g. {@code http://127.0.0.1:40123}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Every request received so far, in arrival order. */
    public synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Forgets the requests received so far. */
    public synchronized void clear() {
        requests.clear();
    }

    /** Stops the proxy; requests in flight lose their connection. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    @Override
    public String toString() {
        return "RecordingProxy[" + endpoint() + " -> " + target + "]";
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            URI uri = exchange.getRequestURI();
            String path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            byte[] body = exchange.getRequestBody().readAllBytes();
            record(new Request(method, path,
                    SigV4Scope.fromAuthorization(exchange.getRequestHeaders().getFirst("Authorization")).orElse(null),
                    exchange.getRequestHeaders().getFirst("X-Amz-Security-Token")));
            HttpResponse<byte[]> answer;
            try {
                answer = client.send(forwarded(exchange, method, path, body), HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                exchange.sendResponseHeaders(502, -1);
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            answer.headers().map().forEach((name, values) -> {
                if (!name.startsWith(":") && !NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                    exchange.getResponseHeaders().put(name, values);
                }
            });
            byte[] content = answer.body();
            if (method.equals("HEAD") || answer.statusCode() == 204 || answer.statusCode() == 304) {
                // No body follows, but a HEAD answer's Content-Length still describes the object.
                answer.headers().firstValue("Content-Length")
                        .ifPresent(length -> exchange.getResponseHeaders().set("Content-Length", length));
                exchange.sendResponseHeaders(answer.statusCode(), -1);
                return;
            }
            // The JDK server reads length 0 as "chunked", -1 as "no body".
            exchange.sendResponseHeaders(answer.statusCode(), content.length == 0 ? -1 : content.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(content);
            }
        }
    }

    private HttpRequest forwarded(HttpExchange exchange, String method, String path, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target.toString().replaceAll("/+$", "") + path))
                .method(method, body.length == 0
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
            if (!NOT_FORWARDED.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                header.getValue().forEach(value -> request.header(header.getKey(), value));
            }
        }
        return request.build();
    }

    private synchronized void record(Request request) {
        requests.add(request);
    }

    /**
     * One request as the proxy received it.
     *
     * @param method          the HTTP method
     * @param path            the request path and query as sent, e.g. {@code /bucket/folder/in.zip}
     * @param credentialScope the SigV4 credential scope it was signed with, or null when it was not signed
     * @param sessionToken    its {@code X-Amz-Security-Token}, or null; a secret, so {@link #toString()} leaves it
     *                        out
     */
    public record Request(String method, String path, SigV4Scope credentialScope, String sessionToken) {

        /** Checks the members. */
        public Request {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(path, "path");
        }

        /** Whether the request carried a SigV4 signature with a parsable credential scope. */
        public boolean signed() {
            return credentialScope != null;
        }

        /** The region the request was signed for, or null when it was not signed. */
        public String region() {
            return credentialScope == null ? null : credentialScope.region();
        }

        /** The access key id that signed the request, or null when it was not signed. */
        public String accessKeyId() {
            return credentialScope == null ? null : credentialScope.accessKeyId();
        }

        @Override
        public String toString() {
            return "Request[" + method + " " + path + ", credentialScope=" + credentialScope
                    + ", sessionToken=" + (sessionToken == null ? "none" : "***") + "]";
        }
    }
}

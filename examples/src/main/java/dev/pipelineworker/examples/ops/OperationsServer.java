package dev.pipelineworker.examples.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.pipelineworker.WorkerHealth;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The example worker's operations endpoints on the JDK's own HTTP server, for Prometheus and for the probes of
 * Kubernetes or ECS:
 * <ul>
 *   <li>{@code GET /metrics}: every meter in the Prometheus text format;
 *   <li>{@code GET /health/ready}: 200 when the worker {@linkplain WorkerHealth#isReady() is ready} (it has polled
 *       successfully and is not draining), else 503;
 *   <li>{@code GET /health/live}: 200 unless the worker {@linkplain WorkerHealth#isLive() has stopped}, else 503;
 *       never dependent on AWS, so that a liveness probe does not restart a worker that waits out an outage.
 * </ul>
 * Both health endpoints answer with the {@linkplain HealthJson health snapshot} as JSON. {@code HEAD} is answered
 * too; other methods get 405, other paths 404. Requests are served one at a time on a daemon thread: probes and a
 * scrape are short, and nothing here waits on the worker.
 */
public final class OperationsServer implements AutoCloseable {

    /** Where the metrics are (deploy/ manifests point their scrape settings here). */
    public static final String METRICS_PATH = "/metrics";
    /** The readiness probe's path. */
    public static final String READY_PATH = "/health/ready";
    /** The liveness probe's path. */
    public static final String LIVE_PATH = "/health/live";

    /** The Prometheus text format's content type. */
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final String JSON = "application/json";
    private static final String TEXT = "text/plain; charset=utf-8";
    private static final Logger LOG = LoggerFactory.getLogger(OperationsServer.class);

    private final HttpServer server;
    private final ExecutorService executor;
    private final Map<String, Supplier<Response>> routes;

    private OperationsServer(HttpServer server, Supplier<WorkerHealth> health, Supplier<String> metrics) {
        this.server = server;
        this.routes = Map.of(
                METRICS_PATH, () -> new Response(200, PROMETHEUS_TEXT, metrics.get().getBytes(StandardCharsets.UTF_8)),
                READY_PATH, () -> {
                    WorkerHealth now = health.get();
                    return new Response(now.isReady() ? 200 : 503, JSON, HealthJson.of(now));
                },
                LIVE_PATH, () -> {
                    WorkerHealth now = health.get();
                    return new Response(now.isLive() ? 200 : 503, JSON, HealthJson.of(now));
                });
        this.executor = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "example-worker-http");
            thread.setDaemon(true);
            return thread;
        });
        server.createContext("/", this::handle);
        server.setExecutor(executor);
    }

    /**
     * Serves the endpoints on {@code port} of every interface (0: a free port, see {@link #port()}), reading
     * {@code health} and {@code metrics} at each request.
     *
     * @throws IOException if the port cannot be bound
     */
    public static OperationsServer start(int port, Supplier<WorkerHealth> health, Supplier<String> metrics)
            throws IOException {
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(metrics, "metrics");
        OperationsServer operations = new OperationsServer(HttpServer.create(new InetSocketAddress(port), 0), health,
                metrics);
        operations.server.start();
        return operations;
    }

    /** The port the endpoints are served on: the one asked for, or the one picked for port 0. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Stops serving at once, closing open connections, and ends the request thread. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Supplier<Response> route = routes.get(exchange.getRequestURI().getPath());
            String method = exchange.getRequestMethod();
            Response response;
            if (route == null) {
                response = Response.text(404, "not found; the endpoints are /metrics, /health/ready and /health/live\n");
            } else if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                response = Response.text(405, method + " is not allowed; use GET\n");
            } else {
                response = answer(route);
            }
            exchange.getResponseHeaders().set("Content-Type", response.contentType());
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            if (method.equals("HEAD")) {
                exchange.sendResponseHeaders(response.status(), -1);
            } else {
                exchange.sendResponseHeaders(response.status(), response.body().length);
                try (OutputStream body = exchange.getResponseBody()) {
                    body.write(response.body());
                }
            }
        }
    }

    // The server would otherwise drop the connection without an answer, and a probe would see a network error.
    private static Response answer(Supplier<Response> route) {
        try {
            return route.get();
        } catch (RuntimeException e) {
            LOG.warn("an operations endpoint failed: {}", e.toString());
            return Response.text(500, "internal error: " + e.getClass().getSimpleName() + "\n");
        }
    }

    private record Response(int status, String contentType, byte[] body) {
        static Response text(int status, String text) {
            return new Response(status, TEXT, text.getBytes(StandardCharsets.UTF_8));
        }
    }
}

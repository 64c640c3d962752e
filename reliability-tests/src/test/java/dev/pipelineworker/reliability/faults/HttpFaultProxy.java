package dev.pipelineworker.reliability.faults;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.common.Notifier;
import com.github.tomakehurst.wiremock.extension.ResponseTransformerV2;
import com.github.tomakehurst.wiremock.http.ChunkedDribbleDelay;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.http.HttpHeaders;
import com.github.tomakehurst.wiremock.http.Response;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * WireMock as an HTTP proxy in front of the emulator, breaking answers the emulator cannot break itself. Every
 * call is forwarded first, so the emulator has already applied it (acknowledged the job, accepted the result)
 * when the answer is lost: a connection reset, a malformed chunk, random bytes, a truncated JSON body, or a body
 * dribbled out slowly (slower than the client's attempt timeout for some). Which call is hit is drawn from a
 * seeded {@link Random}.
 */
final class HttpFaultProxy implements AutoCloseable {

    /** The kinds of HTTP-level fault, each with the probability that one call gets it. */
    enum Kind {
        CONNECTION_RESET(0.015),
        MALFORMED_CHUNK(0.008),
        RANDOM_DATA_THEN_CLOSE(0.008),
        MALFORMED_BODY(0.008),
        SLOW_BODY(0.02),
        /** Not drawn at random: the answer the service gives an acknowledgement whose nonce is spent. */
        INVALID_NONCE(0.0);

        final double probability;

        Kind(double probability) {
            this.probability = probability;
        }
    }

    private final WireMockServer server;
    private final FaultInjector injector;

    HttpFaultProxy(URI emulator, long seed, double scale) {
        this.injector = new FaultInjector(new Random(seed), scale);
        this.server = new WireMockServer(wireMockConfig()
                .dynamicPort()
                .bindAddress("127.0.0.1")
                .containerThreads(150)
                .disableRequestJournal()
                .notifier(new QuietNotifier())
                .extensions(injector));
        server.start();
        server.stubFor(any(anyUrl()).willReturn(aResponse().proxiedFrom(emulator.toString())));
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    /**
     * Breaks the next answers of this operation (its wire name, e.g. {@code AcknowledgeJob}) with these kinds,
     * in order, whatever the random draw says.
     */
    void breakNext(String operation, Kind... kinds) {
        injector.scripted.computeIfAbsent(operation, op -> new ConcurrentLinkedDeque<>()).addAll(List.of(kinds));
    }

    /** Stops breaking answers; calls are still forwarded. */
    void stopFaults() {
        injector.enabled = false;
    }

    /** Faults injected so far, by kind. */
    Map<Kind, Integer> injected() {
        Map<Kind, Integer> counts = new TreeMap<>();
        injector.counts.forEach((kind, count) -> counts.put(kind, count.get()));
        return counts;
    }

    /** Faults injected so far, by kind and operation, e.g. {@code CONNECTION_RESET AcknowledgeJob}. */
    Map<String, Integer> injectedByOperation() {
        Map<String, Integer> counts = new TreeMap<>();
        injector.byOperation.forEach((key, count) -> counts.put(key, count.get()));
        return counts;
    }

    int total() {
        return injector.counts.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    @Override
    public void close() {
        server.stop();
    }

    /** WireMock reports proxy failures (the emulator dropping a connection) as errors; here they are expected. */
    private static final class QuietNotifier implements Notifier {
        @Override
        public void info(String message) {
        }

        @Override
        public void error(String message) {
        }

        @Override
        public void error(String message, Throwable t) {
        }
    }

    private static final class FaultInjector implements ResponseTransformerV2 {
        private final Random random;
        private final double scale;
        private final Map<Kind, AtomicInteger> counts = new ConcurrentHashMap<>();
        private final Map<String, AtomicInteger> byOperation = new ConcurrentHashMap<>();
        private final Map<String, Deque<Kind>> scripted = new ConcurrentHashMap<>();
        private volatile boolean enabled = true;

        FaultInjector(Random random, double scale) {
            this.random = random;
            this.scale = scale;
        }

        @Override
        public String getName() {
            return "fault-injector";
        }

        @Override
        public boolean applyGlobally() {
            return true;
        }

        @Override
        public Response transform(Response response, ServeEvent serveEvent) {
            if (!enabled || response.getStatus() != 200) {
                return response;
            }
            String target = serveEvent.getRequest().getHeader("X-Amz-Target");
            String operation = target == null ? "?" : target.substring(target.indexOf('.') + 1);
            Kind kind;
            int slowMillis;
            synchronized (random) {
                Deque<Kind> script = scripted.get(operation);
                Kind next = script == null ? null : script.pollFirst();
                kind = next != null ? next : scale > 0 ? draw() : null;
                slowMillis = 300 + random.nextInt(1500);
            }
            if (kind == null) {
                return response;
            }
            counts.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
            byOperation.computeIfAbsent(kind + " " + operation, k -> new AtomicInteger()).incrementAndGet();
            Response.Builder broken = Response.Builder.like(response).but();
            return switch (kind) {
                case CONNECTION_RESET -> broken.fault(Fault.CONNECTION_RESET_BY_PEER).build();
                case MALFORMED_CHUNK -> broken.fault(Fault.MALFORMED_RESPONSE_CHUNK).build();
                case RANDOM_DATA_THEN_CLOSE -> broken.fault(Fault.RANDOM_DATA_THEN_CLOSE).build();
                case MALFORMED_BODY -> broken.body(truncated(response.getBodyAsString())).build();
                case SLOW_BODY -> broken.chunkedDribbleDelay(new ChunkedDribbleDelay(5, slowMillis)).build();
                case INVALID_NONCE -> broken.status(400)
                        .headers(new HttpHeaders(new HttpHeader("Content-Type", "application/x-amz-json-1.1")))
                        .body("{\"__type\":\"InvalidNonceException\","
                        + "\"message\":\"The nonce was already used\"}").build();
            };
        }

        private Kind draw() {
            double roll = random.nextDouble();
            double cumulative = 0;
            for (Kind kind : Kind.values()) {
                cumulative += kind.probability * scale;
                if (roll < cumulative) {
                    return kind;
                }
            }
            return null;
        }

        /** Valid JSON cut short, so the SDK fails to parse it, as with a proxy that lost the end of a body. */
        private static byte[] truncated(String body) {
            String cut = body.length() > 2 ? body.substring(0, body.length() / 2) : "{\"";
            return cut.getBytes(StandardCharsets.UTF_8);
        }
    }
}

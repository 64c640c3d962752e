package dev.pipelineworker.testkit.emulator.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.pipelineworker.testkit.SigV4Scope;
import dev.pipelineworker.testkit.emulator.Fault;
import dev.pipelineworker.testkit.emulator.Operation;
import dev.pipelineworker.testkit.emulator.RecordedCall;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP side of the emulator: AWS JSON 1.1 over the JDK's built-in server. Every call is
 * {@code POST /} with {@code X-Amz-Target: CodePipeline_20150709.<Operation>}. SigV4 signatures are accepted
 * without verification: the emulator has no accounts, and any credentials a test uses must work. The region of
 * the signature's credential scope picks the region that serves the call, as the regional endpoint it was
 * signed for would; an unsigned call, or one without a parsable scope, is served by the default region. The same
 * endpoint answers STS's GetCallerIdentity (a form-encoded call without {@code X-Amz-Target}).
 */
public final class EmulatorServer implements AutoCloseable {

    static final String TARGET_PREFIX = "CodePipeline_20150709.";
    static final String CONTENT_TYPE = "application/x-amz-json-1.1";

    private final HttpServer server;
    private final ExecutorService executor;
    private final EmulatorState state;
    private final ApiOperations operations;
    private static final ObjectMapper JSON = new ObjectMapper();

    private EmulatorServer(HttpServer server, ExecutorService executor, EmulatorState state) {
        this.server = server;
        this.executor = executor;
        this.state = state;
        this.operations = new ApiOperations(state, JSON);
    }

    /**
     * The JDK server writes response headers and body as two segments; with Nagle's algorithm on, the body
     * waits for the client's delayed ACK and every call costs about 40 ms. The property is read once, when
     * the JVM's first HttpServer is created, and an explicit setting by the user wins.
     */
    private static final String NO_DELAY_PROPERTY = "sun.net.httpserver.nodelay";

    /** Binds the configured host and port (0: a free port) and starts serving this state. */
    public static EmulatorServer start(EmulatorSettings settings, EmulatorState state) {
        if (System.getProperty(NO_DELAY_PROPERTY) == null) {
            System.setProperty(NO_DELAY_PROPERTY, "true");
        }
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(settings.host(), settings.port()), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind " + settings.host() + ":" + settings.port(), e);
        }
        AtomicInteger threads = new AtomicInteger();
        // A latency fault parks its thread, so the pool must grow rather than queue other calls behind it.
        ExecutorService executor = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "local-codepipeline-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        EmulatorServer emulator = new EmulatorServer(server, executor, state);
        server.createContext("/", emulator::handle);
        server.setExecutor(executor);
        server.start();
        return emulator;
    }

    /** The base URI to hand to an SDK client's {@code endpointOverride} or the CLI's {@code --endpoint-url}. */
    public URI endpoint() {
        InetSocketAddress address = server.getAddress();
        String host = address.getAddress().getHostAddress();
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort());
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            Instant arrived = state.clock().instant();
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            String operation = target == null ? ""
                    : target.startsWith(TARGET_PREFIX) ? target.substring(TARGET_PREFIX.length()) : target;
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String region = SigV4Scope.fromAuthorization(exchange.getRequestHeaders().getFirst("Authorization"))
                    .map(SigV4Scope::region)
                    .orElse(state.defaultRegion());
            List<Fault> faults = state.faultsFor(operation, region);
            Answer answer = null;
            for (Fault fault : faults) {
                if (fault instanceof Fault.Latency latency) {
                    if (!sleep(latency)) {
                        return;
                    }
                } else if (fault instanceof Fault.Throttling) {
                    answer = Answer.error(400, "ThrottlingException", "Rate exceeded");
                } else if (fault instanceof Fault.ServerError error) {
                    answer = error.status() == 503
                            ? Answer.error(503, "ServiceUnavailableException", "Service is unavailable")
                            : Answer.error(error.status(), "InternalFailure", "The request processing has failed");
                } else if (fault instanceof Fault.DropConnection) {
                    state.recordCall(arrived, region, operation, body, RecordedCall.NO_RESPONSE, null, faults);
                    // Closing an exchange before its headers are sent closes the socket: the client sees no answer.
                    return;
                }
            }
            if (answer == null && target == null
                    && StsOperations.isStsCall(exchange.getRequestHeaders().getFirst("Content-Type"), body)) {
                byte[] sts = StsOperations.answer(body);
                answer = new Answer(sts == null ? 400 : 200, sts == null ? "InvalidAction" : null,
                        sts == null ? StsOperations.unknownAction() : sts, StsOperations.CONTENT_TYPE);
            }
            if (answer == null) {
                answer = serve(target, operation, body, region);
            }
            state.recordCall(arrived, region, operation, body, answer.status, answer.errorType, faults);
            send(exchange, answer);
        } finally {
            exchange.close();
        }
    }

    private Answer serve(String target, String operationName, String body, String region) {
        Optional<Operation> operation = target != null && target.startsWith(TARGET_PREFIX)
                ? Operation.fromWireName(operationName)
                : Optional.empty();
        if (operation.isEmpty()) {
            return Answer.error(400, "UnknownOperationException",
                    target == null ? "Missing X-Amz-Target header" : "Unknown operation " + target);
        }
        JsonNode request;
        try {
            request = body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return Answer.error(400, "SerializationException", "The request body is not valid JSON");
        }
        if (!request.isObject()) {
            return Answer.error(400, "SerializationException", "The request body must be a JSON object");
        }
        try {
            return new Answer(200, null, JSON.writeValueAsBytes(operations.handle(operation.get(), request, region)));
        } catch (ApiException e) {
            return Answer.error(400, e.type(), e.getMessage());
        } catch (JsonProcessingException | RuntimeException e) {
            return Answer.error(500, "InternalFailure", "Emulator error: " + e);
        }
    }

    private void send(HttpExchange exchange, Answer answer) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", answer.contentType);
        exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
        exchange.sendResponseHeaders(answer.status, answer.body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer.body);
        }
    }

    /** False when the emulator is closing. */
    private static boolean sleep(Fault.Latency latency) {
        try {
            Thread.sleep(latency.delay().toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** An HTTP answer: status, the error's {@code __type} (null on success) and the body. */
    private record Answer(int status, String errorType, byte[] body, String contentType) {

        Answer(int status, String errorType, byte[] body) {
            this(status, errorType, body, CONTENT_TYPE);
        }

        static Answer error(int status, String type, String message) {
            byte[] body = JSON.createObjectNode().put("__type", type).put("message", message).toString()
                    .getBytes(StandardCharsets.UTF_8);
            return new Answer(status, type, body);
        }
    }
}

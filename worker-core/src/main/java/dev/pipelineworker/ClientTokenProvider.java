package dev.pipelineworker;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Looks up the integrator's secret client token for a third-party job's {@code clientId}. Tokens are
 * secrets: implementations must not log them or show them in {@code toString}.
 */
@FunctionalInterface
public interface ClientTokenProvider {

    /** The client token for {@code clientId}, or empty when this worker does not know the client. */
    Optional<String> clientToken(String clientId);

    /**
     * How many clients the provider knows, when it can tell without a job's clientId; the worker's preflight uses
     * it to tell a third-party worker with no client token at all. Default: unknown.
     */
    default OptionalInt knownClients() {
        return OptionalInt.empty();
    }

    /** A provider backed by a fixed map of clientId to clientToken (copied). */
    static ClientTokenProvider fromMap(Map<String, String> tokens) {
        Map<String, String> copy = Map.copyOf(tokens);
        return new ClientTokenProvider() {
            @Override
            public Optional<String> clientToken(String clientId) {
                return Optional.ofNullable(copy.get(clientId));
            }

            @Override
            public OptionalInt knownClients() {
                return OptionalInt.of(copy.size());
            }

            @Override
            public String toString() {
                return "ClientTokenProvider[" + copy.size() + " clients, tokens redacted]";
            }
        };
    }
}

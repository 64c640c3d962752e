package dev.pipelineworker;

import java.util.Map;
import java.util.Optional;

/**
 * Looks up the integrator's secret client token for a third-party job's {@code clientId}. Tokens are
 * secrets: implementations must not log them or show them in {@code toString}.
 */
@FunctionalInterface
public interface ClientTokenProvider {

    /** The client token for {@code clientId}, or empty when this worker does not know the client. */
    Optional<String> clientToken(String clientId);

    /** A provider backed by a fixed map of clientId to clientToken (copied). */
    static ClientTokenProvider fromMap(Map<String, String> tokens) {
        Map<String, String> copy = Map.copyOf(tokens);
        return new ClientTokenProvider() {
            @Override
            public Optional<String> clientToken(String clientId) {
                return Optional.ofNullable(copy.get(clientId));
            }

            @Override
            public String toString() {
                return "ClientTokenProvider[" + copy.size() + " clients, tokens redacted]";
            }
        };
    }
}

package dev.pipelineworker.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The example payloads under src/test/resources. */
final class Payloads {

    static final ObjectMapper JSON = new ObjectMapper();

    private Payloads() {
    }

    static String text(String resource) {
        try (InputStream in = Payloads.class.getResourceAsStream("/" + resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode tree(String resourceOrJson) {
        try {
            return JSON.readTree(resourceOrJson.endsWith(".json") ? text(resourceOrJson) : resourceOrJson);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

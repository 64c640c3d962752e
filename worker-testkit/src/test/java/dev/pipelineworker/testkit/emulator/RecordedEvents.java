package dev.pipelineworker.testkit.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** An event sink for the tests: keeps each published event, parsed, for {@link #next()} to take in order. */
final class RecordedEvents implements EventSink {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();

    @Override
    public void publish(String eventJson) {
        try {
            events.add(JSON.readTree(eventJson));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next event, waiting up to 10 s for it. */
    JsonNode next() throws InterruptedException {
        JsonNode event = events.poll(10, TimeUnit.SECONDS);
        assertThat(event).as("an event within 10 s").isNotNull();
        return event;
    }

    /** The detail's state of the next event. */
    String nextState() throws InterruptedException {
        return next().path("detail").path("state").asText();
    }

    /** Whether every event published so far has been taken. */
    boolean isEmpty() {
        return events.isEmpty();
    }
}

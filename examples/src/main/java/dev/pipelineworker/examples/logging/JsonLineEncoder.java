package dev.pipelineworker.examples.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A logback encoder that writes each event as one JSON object on one line (JSON Lines), for log collectors:
 * {@code timestamp} (ISO-8601, UTC, milliseconds), {@code level}, {@code logger}, {@code thread}, {@code message}
 * (formatted), every MDC entry as a field of its own ({@code jobId}, {@code pipeline}, {@code stage},
 * {@code action}, {@code actionExecutionId}, {@code region}; see {@code MdcKeys}), and {@code exception} (the stack
 * trace as text) when there is one. An MDC key that is one of those field names is written as {@code mdc.<key>}, so
 * a line never holds a key twice.
 *
 * <p>Why not logback's own {@code JsonEncoder}: it nests the MDC under {@code "mdc"}, writes the timestamp as epoch
 * milliseconds and the message as its unformatted pattern (the arguments apart), and repeats the logger context on
 * every line; collectors then need a pipeline of their own to get the fields this one writes directly. Jackson
 * does the escaping, so a message with quotes, newlines or control characters stays one valid line.
 */
public final class JsonLineEncoder extends EncoderBase<ILoggingEvent> {

    private static final JsonFactory JSON = JsonFactory.builder().build();
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX").withZone(ZoneOffset.UTC);
    private static final Set<String> FIELDS = Set.of("timestamp", "level", "logger", "thread", "message", "exception");
    private static final byte[] NOTHING = new byte[0];

    @Override
    public byte[] headerBytes() {
        return NOTHING;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        try (JsonGenerator json = JSON.createGenerator(line)) {
            json.writeStartObject();
            json.writeStringField("timestamp", TIMESTAMP.format(Instant.ofEpochMilli(event.getTimeStamp())));
            json.writeStringField("level", event.getLevel().toString());
            json.writeStringField("logger", event.getLoggerName());
            json.writeStringField("thread", event.getThreadName());
            json.writeStringField("message", event.getFormattedMessage());
            // Sorted, so that lines of one job list their fields in the same order.
            for (Map.Entry<String, String> entry : new TreeMap<>(event.getMDCPropertyMap()).entrySet()) {
                String key = FIELDS.contains(entry.getKey()) ? "mdc." + entry.getKey() : entry.getKey();
                json.writeStringField(key, entry.getValue());
            }
            IThrowableProxy throwable = event.getThrowableProxy();
            if (throwable != null) {
                json.writeStringField("exception", ThrowableProxyUtil.asString(throwable));
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a log line as JSON", e); // in memory: does not happen
        }
        line.write('\n');
        return line.toByteArray();
    }

    @Override
    public byte[] footerBytes() {
        return NOTHING;
    }
}

package dev.pipelineworker.examples.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipelineworker.MdcKeys;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each event is one line of JSON with the fixed fields and the MDC's entries as fields of their own. */
class JsonLineEncoderTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final LoggerContext context = new LoggerContext();
    private final Logger logger = context.getLogger("dev.pipelineworker.JobWorker");
    private final JsonLineEncoder encoder = new JsonLineEncoder();

    JsonLineEncoderTest() {
        encoder.setContext(context);
        encoder.start();
    }

    private LoggingEvent event(String message, Throwable error, Map<String, String> mdc, Object... arguments) {
        LoggingEvent event = new LoggingEvent(Logger.FQCN, logger, Level.INFO, message, error, arguments);
        event.setTimeStamp(1_748_779_200_123L); // 2025-06-01T12:00:00.123Z
        event.setThreadName("pipeline-worker-job-1");
        event.setMDCPropertyMap(mdc);
        return event;
    }

    private String encode(LoggingEvent event) {
        return new String(encoder.encode(event), StandardCharsets.UTF_8);
    }

    @Test
    void aJobsLineCarriesTheFixedFieldsAndEveryMdcKey() throws Exception {
        Map<String, String> mdc = new LinkedHashMap<>();
        mdc.put(MdcKeys.JOB_ID, "job-1");
        mdc.put(MdcKeys.PIPELINE, "deploy");
        mdc.put(MdcKeys.STAGE, "Build");
        mdc.put(MdcKeys.ACTION, "Manifest");
        mdc.put(MdcKeys.ACTION_EXECUTION_ID, "exec-1");
        mdc.put(MdcKeys.REGION, "eu-west-1");

        String line = encode(event("job {} reported: {}", null, mdc, "job-1", "success"));

        assertThat(line).endsWith("}\n").doesNotContain("\n{").hasLineCount(1);
        JsonNode json = JSON.readTree(line);
        assertThat(json.path("timestamp").asText()).isEqualTo("2025-06-01T12:00:00.123Z");
        assertThat(json.path("level").asText()).isEqualTo("INFO");
        assertThat(json.path("logger").asText()).isEqualTo("dev.pipelineworker.JobWorker");
        assertThat(json.path("thread").asText()).isEqualTo("pipeline-worker-job-1");
        assertThat(json.path("message").asText()).isEqualTo("job job-1 reported: success");
        for (String key : MdcKeys.ALL) {
            assertThat(json.path(key).asText()).as(key).isEqualTo(mdc.get(key));
        }
        assertThat(json.has("exception")).isFalse();
        assertThat(fieldNames(json)).containsExactly("timestamp", "level", "logger", "thread", "message",
                "action", "actionExecutionId", "jobId", "pipeline", "region", "stage");
    }

    @Test
    void quotesNewlinesAndControlCharactersStayInOneValidLine() throws Exception {
        String message = "say \"hi\"\nthen\tleave \\ \u0001 ünïcode";

        String line = encode(event(message, null, Map.of()));

        assertThat(line).hasLineCount(1);
        assertThat(JSON.readTree(line).path("message").asText()).isEqualTo(message);
    }

    @Test
    void anExceptionIsItsStackTraceAsText() throws Exception {
        IllegalStateException error = new IllegalStateException("the handler broke");

        JsonNode json = JSON.readTree(encode(event("job failed", error, Map.of())));

        assertThat(json.path("exception").asText()).startsWith("java.lang.IllegalStateException: the handler broke")
                .contains("at dev.pipelineworker.examples.logging.JsonLineEncoderTest");
    }

    @Test
    void anMdcKeyNamedLikeAFixedFieldIsPrefixedNotDuplicated() throws Exception {
        String line = encode(event("hello", null, Map.of("message", "from the mdc", "level", "x")));

        JsonNode json = JSON.readTree(line);
        assertThat(json.path("message").asText()).isEqualTo("hello");
        assertThat(json.path("mdc.message").asText()).isEqualTo("from the mdc");
        assertThat(json.path("level").asText()).isEqualTo("INFO");
        assertThat(json.path("mdc.level").asText()).isEqualTo("x");
    }

    private static List<String> fieldNames(JsonNode json) {
        List<String> names = new ArrayList<>();
        json.fieldNames().forEachRemaining(names::add);
        return names;
    }
}

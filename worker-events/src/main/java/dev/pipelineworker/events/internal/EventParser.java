package dev.pipelineworker.events.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads an SQS message body as a CodePipeline event, leniently: the envelope may come as EventBridge sends it or
 * wrapped once more as a JSON string; {@code type.version} may be a number or a string; unknown detail types,
 * sources and malformed bodies are no event (empty), never an error, because a rule may be broader than the
 * worker's types and a queue may carry other messages.
 */
public final class EventParser {

    static final String ACTION_DETAIL_TYPE = "CodePipeline Action Execution State Change";
    static final String PIPELINE_DETAIL_TYPE = "CodePipeline Pipeline Execution State Change";

    private final ObjectMapper json;

    public EventParser(ObjectMapper json) {
        this.json = json;
    }

    /** The event in {@code body}, or empty when it is not one the worker acts on. */
    public Optional<PipelineEvent> parse(String body) {
        JsonNode event;
        try {
            event = json.readTree(body);
            if (event != null && event.isTextual()) {
                event = json.readTree(event.textValue());
            }
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
        if (event == null || !event.isObject() || !"aws.codepipeline".equals(text(event, "source"))) {
            return Optional.empty();
        }
        JsonNode detail = event.path("detail");
        String pipeline = text(detail, "pipeline");
        String executionId = text(detail, "execution-id");
        String state = text(detail, "state");
        String region = text(detail, "region") != null ? text(detail, "region") : text(event, "region");
        if (pipeline == null || state == null) {
            return Optional.empty();
        }
        state = state.toUpperCase(Locale.ROOT);
        String detailType = text(event, "detail-type");
        if (ACTION_DETAIL_TYPE.equals(detailType)) {
            JsonNode type = detail.path("type");
            return Optional.of(new PipelineEvent.ActionChange(pipeline, executionId, text(detail, "stage"),
                    text(detail, "action"), state, region, text(type, "owner"), text(type, "category"),
                    text(type, "provider"), text(type, "version")));
        }
        if (PIPELINE_DETAIL_TYPE.equals(detailType)) {
            return Optional.of(new PipelineEvent.PipelineChange(pipeline, executionId, state, region));
        }
        return Optional.empty();
    }

    /** A member as text: strings as they are, numbers without a needless {@code .0}; null when absent. */
    private static String text(JsonNode parent, String member) {
        JsonNode node = parent.get(member);
        if (node == null || node.isNull() || node.isContainerNode()) {
            return null;
        }
        if (node.isNumber()) {
            return node.isIntegralNumber() || node.decimalValue().stripTrailingZeros().scale() <= 0
                    ? node.decimalValue().toBigInteger().toString() : node.decimalValue().toPlainString();
        }
        return node.asText();
    }
}

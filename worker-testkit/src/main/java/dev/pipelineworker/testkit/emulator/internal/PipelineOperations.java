package dev.pipelineworker.testkit.emulator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipelineworker.ActionTypeId;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The pipeline operations a job worker may call besides the job ones: {@code StopPipelineExecution} (what the
 * console's "Stop and abandon" sends) and {@code ListActionExecutions}, validated like the service.
 */
final class PipelineOperations {

    private static final RequestValidator.Shape PIPELINE_NAME =
            new RequestValidator.Shape(1, 100, Pattern.compile("[A-Za-z0-9.@\\-_]+"), null, false);
    private static final RequestValidator.Shape PIPELINE_EXECUTION_ID =
            new RequestValidator.Shape(0, 0, RequestValidator.UUID, null, false);
    private static final RequestValidator.Shape REASON = RequestValidator.Shape.length(0, 200);
    private static final RequestValidator.Shape NEXT_TOKEN = RequestValidator.Shape.length(1, 2048);
    private static final int DEFAULT_PAGE = 100;

    private final EmulatorState state;
    private final ObjectMapper json;

    PipelineOperations(EmulatorState state, ObjectMapper json) {
        this.state = state;
        this.json = json;
    }

    JsonNode stopPipelineExecution(JsonNode request, String region) {
        RequestValidator v = new RequestValidator();
        String pipelineName = v.string(request, "", "pipelineName", PIPELINE_NAME, true);
        String executionId = v.string(request, "", "pipelineExecutionId", PIPELINE_EXECUTION_ID, true);
        String reason = v.string(request, "", "reason", REASON, false);
        JsonNode abandon = request.get("abandon");
        if (abandon != null && !abandon.isNull() && !abandon.isBoolean()) {
            v.violate("abandon", "'" + abandon + "'", "Member must be a boolean");
        }
        v.throwIfInvalid();
        state.stop(region, pipelineName, executionId, abandon != null && abandon.asBoolean(), reason);
        return json.createObjectNode().put("pipelineExecutionId", executionId);
    }

    JsonNode listActionExecutions(JsonNode request, String region) {
        RequestValidator v = new RequestValidator();
        String pipelineName = v.string(request, "", "pipelineName", PIPELINE_NAME, true);
        JsonNode filter = v.object(request, "", "filter", false);
        String executionId = filter == null ? null
                : v.string(filter, "filter", "pipelineExecutionId", PIPELINE_EXECUTION_ID, false);
        Integer maxResults = v.integer(request, "", "maxResults", 1, 100);
        String nextToken = v.string(request, "", "nextToken", NEXT_TOKEN, false);
        v.throwIfInvalid();
        List<EmulatorState.ActionExecutionView> all = state.actionExecutions(region, pipelineName, executionId);
        int from = start(nextToken, all.size());
        int to = Math.min(all.size(), from + (maxResults == null ? DEFAULT_PAGE : maxResults));
        ObjectNode response = json.createObjectNode();
        ArrayNode details = response.putArray("actionExecutionDetails");
        all.subList(from, to).forEach(view -> render(details.addObject(), view, region));
        if (to < all.size()) {
            response.put("nextToken", Integer.toString(to));
        }
        return response;
    }

    /** The emulator's page token is the offset of the page's first entry. */
    private static int start(String nextToken, int size) {
        if (nextToken == null) {
            return 0;
        }
        try {
            int offset = Integer.parseInt(nextToken);
            if (offset >= 0 && offset <= size) {
                return offset;
            }
        } catch (NumberFormatException e) {
            // falls through to the service's answer for a token it did not issue
        }
        throw new ApiException("InvalidNextTokenException", "The next token is not valid");
    }

    private static void render(ObjectNode node, EmulatorState.ActionExecutionView view, String region) {
        node.put("pipelineExecutionId", view.pipelineExecutionId())
                .put("actionExecutionId", view.actionExecutionId())
                .put("pipelineVersion", 1)
                .put("stageName", view.stageName())
                .put("actionName", view.actionName())
                .put("startTime", epochSeconds(view.startTime()))
                .put("lastUpdateTime", epochSeconds(view.lastUpdateTime()))
                .put("status", view.status());
        ObjectNode input = node.putObject("input");
        ActionTypeId type = view.spec().actionType();
        input.putObject("actionTypeId").put("category", type.category().apiName())
                .put("owner", type.owner().apiName()).put("provider", type.provider()).put("version", type.version());
        input.putObject("configuration");
        input.put("region", region);
        node.putObject("output");
    }

    /** AWS JSON 1.1 timestamps are epoch seconds with a fraction. */
    private static BigDecimal epochSeconds(Instant at) {
        return BigDecimal.valueOf(at.toEpochMilli()).movePointLeft(3);
    }
}

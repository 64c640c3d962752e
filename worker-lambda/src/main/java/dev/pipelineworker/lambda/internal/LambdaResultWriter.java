package dev.pipelineworker.lambda.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipelineworker.FailureType;
import dev.pipelineworker.internal.channel.Report;
import java.util.Map;

/**
 * Writes a validated {@link Report} as the result payload the Lambda integration model reads:
 * <pre>
 * {"result":"success","status":{"externalExecutionId":..,"summary":..},"outputVariables":{..}}
 * {"result":"continue","continuation":{"State":"<token>"},"status":{..}}
 * {"result":"fail","failureType":"JobFailed","status":{"summary":"<message>","externalExecutionId":..}}
 * </pre>
 * Absent members are left out, never sent empty. The model has no place for {@code percentComplete}
 * or {@code currentRevision}: they are left out (see {@link #droppedMembers(Report)}).
 */
public final class LambdaResultWriter {

    private final ObjectMapper mapper;

    public LambdaResultWriter(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The result payload for {@code report}. */
    public ObjectNode write(Report report) {
        ObjectNode result = mapper.createObjectNode();
        if (report instanceof Report.Failure failure) {
            result.put("result", "fail");
            result.put("failureType", lambdaName(failure.type()));
            ObjectNode status = result.putObject("status");
            status.put("summary", failure.message());
            if (failure.externalExecutionId() != null) {
                status.put("externalExecutionId", failure.externalExecutionId());
            }
            return result;
        }
        Report.Success success = (Report.Success) report;
        result.put("result", success.isContinuation() ? "continue" : "success");
        if (success.isContinuation()) {
            result.putObject("continuation").put("State", success.continuationToken());
        }
        if (success.summary() != null || success.externalExecutionId() != null) {
            ObjectNode status = result.putObject("status");
            if (success.externalExecutionId() != null) {
                status.put("externalExecutionId", success.externalExecutionId());
            }
            if (success.summary() != null) {
                status.put("summary", success.summary());
            }
        }
        // The validator never lets output variables through with a continuation; this keeps the rule local too.
        if (!success.isContinuation() && !success.outputVariables().isEmpty()) {
            ObjectNode variables = result.putObject("outputVariables");
            for (Map.Entry<String, String> e : success.outputVariables().entrySet()) {
                variables.put(e.getKey(), e.getValue());
            }
        }
        return result;
    }

    /** The members of {@code report} the Lambda result cannot carry, for a log line; empty when none. */
    public static String droppedMembers(Report report) {
        if (!(report instanceof Report.Success success)) {
            return "";
        }
        StringBuilder dropped = new StringBuilder();
        if (success.percentComplete() != null) {
            dropped.append("percentComplete");
        }
        if (success.currentRevision() != null) {
            dropped.append(dropped.length() > 0 ? ", " : "").append("currentRevision");
        }
        return dropped.toString();
    }

    /**
     * The failure type as the Lambda integration model spells it: {@code PermissionsError} where the
     * job-worker API says {@code PermissionError}; every other type as the API spells it.
     */
    public static String lambdaName(FailureType type) {
        return type == FailureType.PERMISSION_ERROR ? "PermissionsError" : type.apiName();
    }
}

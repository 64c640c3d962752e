package dev.pipelineworker.testkit.emulator.internal;

import static dev.pipelineworker.testkit.emulator.internal.RequestValidator.ANY;
import static dev.pipelineworker.testkit.emulator.internal.RequestValidator.CATEGORY;
import static dev.pipelineworker.testkit.emulator.internal.RequestValidator.CHANGE_IDENTIFIER;
import static dev.pipelineworker.testkit.emulator.internal.RequestValidator.CLIENT_TOKEN;
import static dev.pipelineworker.testkit.emulator.internal.RequestValidator.CONTINUATION_TOKEN;
import static dev.pipelineworker.testkit.emulator.internal.RequestValidator.EXECUTION_ID;
import static dev.pipelineworker.testkit.emulator.internal.RequestValidator.FAILURE_TYPE;
import static dev.pipelineworker.testkit.emulator.internal.RequestValidator.JOB_ID;
import static dev.pipelineworker.testkit.emulator.internal.RequestValidator.MESSAGE;
import static dev.pipelineworker.testkit.emulator.internal.RequestValidator.NONCE;
import static dev.pipelineworker.testkit.emulator.internal.RequestValidator.OUTPUT_VARIABLE_KEY;
import static dev.pipelineworker.testkit.emulator.internal.RequestValidator.OWNER;
import static dev.pipelineworker.testkit.emulator.internal.RequestValidator.PROVIDER;
import static dev.pipelineworker.testkit.emulator.internal.RequestValidator.QUERY_KEY;
import static dev.pipelineworker.testkit.emulator.internal.RequestValidator.QUERY_VALUE;
import static dev.pipelineworker.testkit.emulator.internal.RequestValidator.REVISION;
import static dev.pipelineworker.testkit.emulator.internal.RequestValidator.REVISION_SUMMARY;
import static dev.pipelineworker.testkit.emulator.internal.RequestValidator.SUMMARY;
import static dev.pipelineworker.testkit.emulator.internal.RequestValidator.THIRD_PARTY_JOB_ID;
import static dev.pipelineworker.testkit.emulator.internal.RequestValidator.VERSION;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionOwner;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.Artifact;
import dev.pipelineworker.testkit.emulator.RecordedResult;
import dev.pipelineworker.testkit.emulator.JobSpec;
import dev.pipelineworker.testkit.emulator.Operation;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** The job operations (pipeline ones are {@link PipelineOperations}'): validate the request like the service, apply it to the state, shape the answer. */
final class ApiOperations {

    /** The per-action limit on output variables from the service quotas. */
    private static final int MAX_OUTPUT_VARIABLE_BYTES = 122_880;

    private final EmulatorState state;
    private final ObjectMapper json;
    private final ActionTypeOperations actionTypes;
    private final PipelineOperations pipelines;

    ApiOperations(EmulatorState state, ObjectMapper json) {
        this.state = state;
        this.json = json;
        this.actionTypes = new ActionTypeOperations(state, json);
        this.pipelines = new PipelineOperations(state, json);
    }

    /** Serves one call from a caller signing for {@code region}. */
    JsonNode handle(Operation operation, JsonNode request, String region) {
        return switch (operation) {
            case POLL_FOR_THIRD_PARTY_JOBS -> pollForThirdPartyJobs(request, region);
            case GET_THIRD_PARTY_JOB_DETAILS -> getThirdPartyJobDetails(request, region);
            case ACKNOWLEDGE_THIRD_PARTY_JOB -> acknowledge(request, region, true);
            case PUT_THIRD_PARTY_JOB_SUCCESS_RESULT -> putSuccess(request, region, true);
            case PUT_THIRD_PARTY_JOB_FAILURE_RESULT -> putFailure(request, region, true);
            case POLL_FOR_JOBS -> pollForJobs(request, region);
            case ACKNOWLEDGE_JOB -> acknowledge(request, region, false);
            case GET_JOB_DETAILS -> getJobDetails(request, region);
            case PUT_JOB_SUCCESS_RESULT -> putSuccess(request, region, false);
            case PUT_JOB_FAILURE_RESULT -> putFailure(request, region, false);
            case GET_ACTION_TYPE -> actionTypes.getActionType(request, region);
            case LIST_ACTION_TYPES -> actionTypes.listActionTypes(request, region);
            case CREATE_CUSTOM_ACTION_TYPE -> actionTypes.createCustomActionType(request, region);
            case UPDATE_ACTION_TYPE -> actionTypes.updateActionType(request, region);
            case STOP_PIPELINE_EXECUTION -> pipelines.stopPipelineExecution(request, region);
            case LIST_ACTION_EXECUTIONS -> pipelines.listActionExecutions(request, region);
        };
    }

    private JsonNode pollForThirdPartyJobs(JsonNode request, String region) {
        RequestValidator v = new RequestValidator();
        RequestedType type = actionTypeId(v, request);
        Integer maxBatchSize = v.integer(request, "", "maxBatchSize", 1, null);
        v.throwIfInvalid();
        ObjectNode response = json.createObjectNode();
        ArrayNode jobs = response.putArray("jobs");
        for (JobRecord.JobView job : state.poll(region, type.resolve(), true, batch(maxBatchSize), Map.of())) {
            jobs.addObject().put("clientId", job.spec().clientId()).put("jobId", job.id());
        }
        return response;
    }

    private JsonNode pollForJobs(JsonNode request, String region) {
        RequestValidator v = new RequestValidator();
        RequestedType type = actionTypeId(v, request);
        Integer maxBatchSize = v.integer(request, "", "maxBatchSize", 1, null);
        Map<String, String> queryParam = v.map(request, "", "queryParam", QUERY_KEY, QUERY_VALUE, 1);
        v.throwIfInvalid();
        ObjectNode response = json.createObjectNode();
        ArrayNode jobs = response.putArray("jobs");
        for (JobRecord.JobView job : state.poll(region, type.resolve(), false, batch(maxBatchSize),
                queryParam == null ? Map.of() : queryParam)) {
            ObjectNode rendered = jobs.addObject().put("id", job.id());
            rendered.set("data", data(job.spec()));
            rendered.put("nonce", job.nonce()).put("accountId", job.spec().accountId());
        }
        return response;
    }

    private JsonNode getThirdPartyJobDetails(JsonNode request, String region) {
        RequestValidator v = new RequestValidator();
        String jobId = v.string(request, "", "jobId", THIRD_PARTY_JOB_ID, true);
        String clientToken = v.string(request, "", "clientToken", CLIENT_TOKEN, true);
        v.throwIfInvalid();
        JobRecord.JobView job = state.details(region, jobId, true, clientToken);
        ObjectNode response = json.createObjectNode();
        ObjectNode details = response.putObject("jobDetails").put("id", job.id());
        details.set("data", data(job.spec()));
        if (job.nonce() != null) {
            details.put("nonce", job.nonce());
        }
        return response;
    }

    private JsonNode getJobDetails(JsonNode request, String region) {
        RequestValidator v = new RequestValidator();
        String jobId = v.string(request, "", "jobId", JOB_ID, true);
        v.throwIfInvalid();
        JobRecord.JobView job = state.details(region, jobId, false, null);
        ObjectNode response = json.createObjectNode();
        ObjectNode details = response.putObject("jobDetails").put("id", job.id());
        details.set("data", data(job.spec()));
        details.put("accountId", job.spec().accountId());
        return response;
    }

    private JsonNode acknowledge(JsonNode request, String region, boolean thirdParty) {
        RequestValidator v = new RequestValidator();
        String jobId = v.string(request, "", "jobId", thirdParty ? THIRD_PARTY_JOB_ID : JOB_ID, true);
        String nonce = v.string(request, "", "nonce", NONCE, true);
        String clientToken = thirdParty ? v.string(request, "", "clientToken", CLIENT_TOKEN, true) : null;
        v.throwIfInvalid();
        return json.createObjectNode()
                .put("status", state.acknowledge(region, jobId, thirdParty, nonce, clientToken).name());
    }

    private JsonNode putSuccess(JsonNode request, String region, boolean thirdParty) {
        RequestValidator v = new RequestValidator();
        String jobId = v.string(request, "", "jobId", thirdParty ? THIRD_PARTY_JOB_ID : JOB_ID, true);
        String clientToken = thirdParty ? v.string(request, "", "clientToken", CLIENT_TOKEN, true) : null;
        RecordedResult.Revision revision = currentRevision(v, request);
        String continuationToken = v.string(request, "", "continuationToken", CONTINUATION_TOKEN, false);
        RecordedResult.ExecutionDetails details = executionDetails(v, request);
        // The third-party call has no outputVariables member; like the service, unknown members are ignored.
        Map<String, String> outputVariables = thirdParty
                ? null
                : v.map(request, "", "outputVariables", OUTPUT_VARIABLE_KEY, ANY, 0);
        if (continuationToken != null && outputVariables != null && !outputVariables.isEmpty()) {
            v.violate("outputVariables", null, "Member must not be set when continuationToken is set;"
                    + " output variables belong to the final result");
        }
        v.throwIfInvalid();
        if (outputVariables != null && size(outputVariables) > MAX_OUTPUT_VARIABLE_BYTES) {
            throw new ApiException("OutputVariablesSizeExceededException",
                    "The output variables exceed the limit of " + MAX_OUTPUT_VARIABLE_BYTES + " bytes");
        }
        state.putSuccess(region, jobId, thirdParty, clientToken, revision, continuationToken, details,
                outputVariables == null ? Map.of() : outputVariables);
        return json.createObjectNode();
    }

    private JsonNode putFailure(JsonNode request, String region, boolean thirdParty) {
        RequestValidator v = new RequestValidator();
        String jobId = v.string(request, "", "jobId", thirdParty ? THIRD_PARTY_JOB_ID : JOB_ID, true);
        String clientToken = thirdParty ? v.string(request, "", "clientToken", CLIENT_TOKEN, true) : null;
        JsonNode failure = v.object(request, "", "failureDetails", true);
        String type = v.string(failure, "failureDetails", "type", FAILURE_TYPE, true);
        String message = v.string(failure, "failureDetails", "message", MESSAGE, true);
        String externalExecutionId = v.string(failure, "failureDetails", "externalExecutionId", EXECUTION_ID, false);
        v.throwIfInvalid();
        state.putFailure(region, jobId, thirdParty, clientToken, type, message, externalExecutionId);
        return json.createObjectNode();
    }

    private static RequestedType actionTypeId(RequestValidator v, JsonNode request) {
        JsonNode node = v.object(request, "", "actionTypeId", true);
        return new RequestedType(
                v.string(node, "actionTypeId", "category", CATEGORY, true),
                v.string(node, "actionTypeId", "owner", OWNER, true),
                v.string(node, "actionTypeId", "provider", PROVIDER, true),
                v.string(node, "actionTypeId", "version", VERSION, true));
    }

    /** Without maxBatchSize the service hands out one job. */
    private static int batch(Integer maxBatchSize) {
        return maxBatchSize == null ? 1 : maxBatchSize;
    }

    private static RecordedResult.Revision currentRevision(RequestValidator v, JsonNode request) {
        JsonNode node = v.object(request, "", "currentRevision", false);
        if (node == null) {
            return null;
        }
        return new RecordedResult.Revision(
                v.string(node, "currentRevision", "revision", REVISION, true),
                v.string(node, "currentRevision", "changeIdentifier", CHANGE_IDENTIFIER, true),
                v.timestamp(node, "currentRevision", "created"),
                v.string(node, "currentRevision", "revisionSummary", REVISION_SUMMARY, false));
    }

    private static RecordedResult.ExecutionDetails executionDetails(RequestValidator v, JsonNode request) {
        JsonNode node = v.object(request, "", "executionDetails", false);
        if (node == null) {
            return null;
        }
        return new RecordedResult.ExecutionDetails(
                v.string(node, "executionDetails", "summary", SUMMARY, false),
                v.string(node, "executionDetails", "externalExecutionId", EXECUTION_ID, false),
                v.integer(node, "executionDetails", "percentComplete", 0, 100));
    }

    private static long size(Map<String, String> variables) {
        return variables.entrySet().stream()
                .mapToLong(e -> e.getKey().getBytes(StandardCharsets.UTF_8).length
                        + (long) e.getValue().getBytes(StandardCharsets.UTF_8).length)
                .sum();
    }

    private ObjectNode data(JobSpec spec) {
        ObjectNode data = json.createObjectNode();
        ActionTypeId type = spec.actionType();
        data.putObject("actionTypeId").put("category", type.category().apiName())
                .put("owner", type.owner().apiName())
                .put("provider", type.provider()).put("version", type.version());
        ObjectNode configuration = data.putObject("actionConfiguration").putObject("configuration");
        spec.configuration().forEach(configuration::put);
        ObjectNode context = data.putObject("pipelineContext").put("pipelineName", spec.context().pipelineName());
        context.putObject("stage").put("name", spec.context().stageName());
        context.putObject("action").put("name", spec.context().actionName())
                .put("actionExecutionId", spec.context().actionExecutionId());
        if (spec.context().pipelineArn() != null) {
            context.put("pipelineArn", spec.context().pipelineArn());
        }
        if (spec.context().pipelineExecutionId() != null) {
            context.put("pipelineExecutionId", spec.context().pipelineExecutionId());
        }
        data.set("inputArtifacts", artifacts(spec.inputArtifacts()));
        data.set("outputArtifacts", artifacts(spec.outputArtifacts()));
        data.putObject("artifactCredentials").put("accessKeyId", spec.artifactCredentials().accessKeyId())
                .put("secretAccessKey", spec.artifactCredentials().secretAccessKey())
                .put("sessionToken", spec.artifactCredentials().sessionToken());
        if (spec.continuationToken() != null) {
            data.put("continuationToken", spec.continuationToken());
        }
        if (spec.encryptionKey() != null) {
            data.putObject("encryptionKey").put("id", spec.encryptionKey().id())
                    .put("type", spec.encryptionKey().type());
        }
        return data;
    }

    private ArrayNode artifacts(List<Artifact> artifacts) {
        ArrayNode list = json.createArrayNode();
        for (Artifact artifact : artifacts) {
            ObjectNode node = list.addObject().put("name", artifact.name());
            if (artifact.revision() != null) {
                node.put("revision", artifact.revision());
            }
            node.putObject("location").put("type", "S3").putObject("s3Location")
                    .put("bucketName", artifact.location().bucketName())
                    .put("objectKey", artifact.location().objectKey());
        }
        return list;
    }

    /** The actionTypeId members as sent; resolved only once the validator has passed them. */
    private record RequestedType(String category, String owner, String provider, String version) {

        /** The emulator holds no AWS-owned action types: AWS runs those actions itself. */
        ActionTypeId resolve() {
            if (!"ThirdParty".equals(owner) && !"Custom".equals(owner)) {
                throw ApiException.actionTypeNotFound(category, owner, provider, version);
            }
            return new ActionTypeId(ActionCategory.fromApiName(category), ActionOwner.fromApiName(owner), provider,
                    version);
        }
    }
}

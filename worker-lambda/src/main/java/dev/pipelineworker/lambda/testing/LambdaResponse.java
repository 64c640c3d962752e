package dev.pipelineworker.lambda.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipelineworker.ArtifactAccess;
import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.internal.ContinuationCodec;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * What one local invocation returned: the result payload, read, and the output artifacts the
 * handler wrote to the in-memory store. Accessors that expect a kind of result throw
 * {@link AssertionError} describing what came back instead, so they read as assertions.
 */
public final class LambdaResponse {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final LambdaEvent event;
    private final String json;
    private final JsonNode result;
    private final Map<String, byte[]> outputs;
    private final ArtifactAccess access;

    LambdaResponse(LambdaEvent event, String json, Map<String, byte[]> outputs, ArtifactAccess access) {
        this.event = event;
        this.json = json;
        try {
            this.result = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new AssertionError("the function wrote a result that is not JSON: " + json, e);
        }
        this.outputs = Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
        this.access = access;
    }

    /** The event that was invoked. */
    public LambdaEvent event() {
        return event;
    }

    /** The result payload as written. */
    public String json() {
        return json;
    }

    /** The result payload, parsed (a copy). */
    public JsonNode tree() {
        return result.deepCopy();
    }

    /** {@code success}, {@code continue} or {@code fail}. */
    public String result() {
        return result.path("result").asText(null);
    }

    /** Whether the result is {@code success}. */
    public boolean isSuccess() {
        return "success".equals(result());
    }

    /** Whether the result is {@code continue}. */
    public boolean isContinue() {
        return "continue".equals(result());
    }

    /** Whether the result is {@code fail}. */
    public boolean isFailure() {
        return "fail".equals(result());
    }

    /** {@code status.summary} (a failure's message), or {@code null}. */
    public String summary() {
        return text(result.path("status").path("summary"));
    }

    /** {@code status.externalExecutionId}, or {@code null}. */
    public String externalExecutionId() {
        return text(result.path("status").path("externalExecutionId"));
    }

    /** {@code failureType} as the Lambda model spells it; an AssertionError unless the result is {@code fail}. */
    public String failureType() {
        expect("fail");
        return text(result.path("failureType"));
    }

    /** The output variables, empty when there are none. */
    public Map<String, String> outputVariables() {
        Map<String, String> variables = new LinkedHashMap<>();
        result.path("outputVariables").properties().forEach(e -> variables.put(e.getKey(), e.getValue().asText()));
        return variables;
    }

    /** {@code continuation.State}; an AssertionError unless the result is {@code continue}. */
    public String continuationToken() {
        expect("continue");
        return text(result.path("continuation").path("State"));
    }

    /** The typed state in {@code continuation.State}, read with the default mapper. */
    public <T> T continuationState(Class<T> type) {
        return ContinuationCodec.defaults().decode(continuationToken(), type)
                .orElseThrow(() -> new AssertionError("the continuation state is null"));
    }

    /** The event CodePipeline sends next: this event with a new job id and this continuation. */
    public LambdaEvent nextEvent() {
        return event.next(continuationToken());
    }

    /**
     * The result as the {@link JobOutcome} it stands for, to compare with the polling engine's:
     * a continuation carries its token, a failure its type read back from the Lambda spelling.
     */
    public JobOutcome toOutcome() {
        String result = result();
        if ("success".equals(result)) {
            return JobOutcome.success(summary()).withExternalExecutionId(externalExecutionId())
                    .withOutputVariables(outputVariables());
        }
        if ("continue".equals(result)) {
            return JobOutcome.continueWith(continuationToken()).withSummary(summary())
                    .withExternalExecutionId(externalExecutionId());
        }
        expect("fail");
        String type = failureType();
        FailureType failureType = "PermissionsError".equals(type) ? FailureType.PERMISSION_ERROR
                : FailureType.fromApiName(type).orElseThrow(() ->
                        new AssertionError("unknown failureType '" + type + "' in " + json));
        return JobOutcome.fail(failureType, summary()).withExternalExecutionId(externalExecutionId());
    }

    /** What the artifact store was opened with, when the handler touched artifacts. */
    public Optional<ArtifactAccess> artifactAccess() {
        return Optional.ofNullable(access);
    }

    /** The names of the output artifacts written. */
    public Set<String> outputNames() {
        return outputs.keySet();
    }

    /** The bytes written to the named output artifact; an AssertionError if none were. */
    public byte[] outputBytes(String artifactName) {
        byte[] bytes = outputs.get(artifactName);
        if (bytes == null) {
            throw new AssertionError("no output artifact '" + artifactName + "' was written; written: "
                    + outputs.keySet() + "; result: " + json);
        }
        return bytes.clone();
    }

    /** The named output artifact unzipped, every file read as UTF-8, sorted by path. */
    public Map<String, String> outputTexts(String artifactName) {
        Map<String, String> files = new TreeMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(outputBytes(artifactName)))) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                if (!entry.isDirectory()) {
                    files.put(entry.getName(), new String(zip.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("output artifact '" + artifactName + "' is not a readable zip", e);
        }
        return files;
    }

    @Override
    public String toString() {
        return "LambdaResponse" + json;
    }

    private void expect(String kind) {
        if (!kind.equals(result())) {
            throw new AssertionError("expected a '" + kind + "' result but the function returned " + json);
        }
    }

    private static String text(JsonNode node) {
        return node.isTextual() ? node.asText() : null;
    }
}

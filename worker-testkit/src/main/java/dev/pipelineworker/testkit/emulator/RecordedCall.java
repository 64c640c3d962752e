package dev.pipelineworker.testkit.emulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipelineworker.testkit.LocalCodePipeline;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One HTTP call the emulator received, in arrival order, and how it answered.
 *
 * @param sequence     position among all calls, from 1
 * @param at           when it arrived, by the emulator's clock
 * @param operation    the operation named by {@code X-Amz-Target} (empty when the header was missing)
 * @param requestBody  the raw JSON request; it can hold a client token, so {@link #toString()} leaves it out
 * @param status       the HTTP status answered, or {@link #NO_RESPONSE} when the connection was dropped
 * @param errorType    the {@code __type} of an error answer, or null on success
 * @param faults       the injected faults applied to this call, in the order applied
 * @param region       the region the caller signed for (the region of its SigV4 credential scope), or the
 *                     emulator's default region when the request carried no parsable credential scope
 */
public record RecordedCall(
        long sequence,
        Instant at,
        String operation,
        String requestBody,
        int status,
        String errorType,
        List<Fault> faults,
        String region) {

    /** The {@link #status()} of a call whose connection was closed without an answer. */
    public static final int NO_RESPONSE = 0;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Checks the members and copies the fault list. */
    public RecordedCall {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(requestBody, "requestBody");
        faults = List.copyOf(faults);
        Objects.requireNonNull(region, "region");
    }

    /** A call in {@link LocalCodePipeline#DEFAULT_REGION}, as calls were recorded before they had a region. */
    public RecordedCall(long sequence, Instant at, String operation, String requestBody, int status, String errorType,
            List<Fault> faults) {
        this(sequence, at, operation, requestBody, status, errorType, faults, LocalCodePipeline.DEFAULT_REGION);
    }

    /** The served operation, or empty for an unknown one. */
    public Optional<Operation> knownOperation() {
        return Operation.fromWireName(operation);
    }

    /**
     * The job the call names (its request's {@code jobId}), e.g. to check which region a worker reported a job
     * through; empty for polls and for requests that are not a JSON object with a string {@code jobId}.
     */
    public Optional<String> jobId() {
        try {
            JsonNode jobId = JSON.readTree(requestBody).path("jobId");
            return jobId.isTextual() ? Optional.of(jobId.textValue()) : Optional.empty();
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    /** Whether the call is for this operation. */
    public boolean is(Operation op) {
        return op.wireName().equals(operation);
    }

    /** Whether the emulator answered HTTP 200. */
    public boolean succeeded() {
        return status == 200;
    }

    /** Whether an injected fault shaped the answer. */
    public boolean faultInjected() {
        return !faults.isEmpty();
    }

    @Override
    public String toString() {
        return "RecordedCall[#" + sequence + " " + region + " " + operation + " -> "
                + (status == NO_RESPONSE ? "dropped" : status) + (errorType == null ? "" : " " + errorType)
                + (faults.isEmpty() ? "" : " faults=" + faults) + "]";
    }
}

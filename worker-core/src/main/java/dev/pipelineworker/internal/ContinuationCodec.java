package dev.pipelineworker.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobFailureException;
import java.util.Objects;
import java.util.Optional;

/**
 * Writes typed continuation state into a continuation token and reads it back. The token is a
 * small JSON envelope, {@code {"pw":1,"state":...}}, so a token from elsewhere is told apart from
 * ours and the state stays readable in the console.
 */
@SharedInternal
public final class ContinuationCodec {

    /** The most characters CodePipeline accepts in a continuation token. */
    public static final int MAX_TOKEN_LENGTH = 2048;

    private static final String MARKER = "pw";
    private static final int VERSION = 1;
    private static final ContinuationCodec DEFAULT = new ContinuationCodec(defaultMapper());

    private final ObjectMapper mapper;

    public ContinuationCodec(ObjectMapper mapper) {
        this.mapper = Objects.requireNonNull(mapper, "mapper");
    }

    /** A codec on a mapper that knows java.time and ignores unknown properties. */
    public static ContinuationCodec defaults() {
        return DEFAULT;
    }

    /** The mapper {@link #defaults()} uses. */
    public static ObjectMapper defaultMapper() {
        return new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    /** The token carrying {@code state}; its length is not checked here. */
    public String encode(Object state) {
        ObjectNode envelope = mapper.createObjectNode();
        envelope.put(MARKER, VERSION);
        envelope.set("state", mapper.valueToTree(state));
        try {
            return mapper.writeValueAsString(envelope);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("continuation state of type " + state.getClass().getSimpleName()
                    + " cannot be serialised: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * The state in {@code token} as {@code type}, empty when there is no token. Fails with JobFailed
     * when the token is not one of ours or does not fit the type.
     */
    public <T> Optional<T> decode(String token, Class<T> type) {
        if (token == null) {
            return Optional.empty();
        }
        JsonNode envelope;
        try {
            envelope = mapper.readTree(token);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            envelope = null;
        }
        if (envelope == null || !envelope.isObject() || envelope.path(MARKER).asInt() != VERSION
                || !envelope.has("state")) {
            throw new JobFailureException(FailureType.JOB_FAILED,
                    "the continuation token was not written by pipeline-worker, so it holds no typed state");
        }
        try {
            return Optional.ofNullable(mapper.treeToValue(envelope.get("state"), type));
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            throw new JobFailureException(FailureType.JOB_FAILED,
                    "the continuation state cannot be read as " + type.getSimpleName());
        }
    }
}

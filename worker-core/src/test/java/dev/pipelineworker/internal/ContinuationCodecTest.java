package dev.pipelineworker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobFailureException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ContinuationCodecTest {

    private final ContinuationCodec codec = ContinuationCodec.defaults();

    @Test
    void typedStateRoundTripsThroughAToken() {
        Wait state = new Wait(Instant.parse("2026-11-21T10:00:00Z"), Instant.parse("2026-11-21T10:05:00Z"));

        String token = codec.encode(state);

        assertThat(token).startsWith("{\"pw\":1,").contains("2026-11-21T10:05:00Z");
        assertThat(codec.decode(token, Wait.class)).contains(state);
    }

    @Test
    void noTokenMeansNoState() {
        assertThat(codec.decode(null, Wait.class)).isEmpty();
    }

    @Test
    void aForeignOrCorruptedTokenFailsTheJobClearly() {
        for (String token : new String[] {"opaque-123", "{\"other\":1}", "{\"pw\":1,", "[1,2]", "{\"pw\":2,\"state\":{}}",
                "{\"state\":{}}", "{\"pw\":1}", "null"}) {
            assertThatThrownBy(() -> codec.decode(token, Wait.class))
                    .isInstanceOfSatisfying(JobFailureException.class,
                            e -> assertThat(e.type()).isEqualTo(FailureType.JOB_FAILED))
                    .hasMessageContaining("not written by pipeline-worker");
        }
    }

    @Test
    void stateOfTheWrongShapeFailsNamingTheType() {
        String token = codec.encode(new Wait(Instant.EPOCH, Instant.EPOCH));

        assertThatThrownBy(() -> codec.decode(token, Integer.class)).hasMessageContaining("cannot be read as Integer");
    }

    record Wait(Instant startedAt, Instant dueAt) {
    }
}

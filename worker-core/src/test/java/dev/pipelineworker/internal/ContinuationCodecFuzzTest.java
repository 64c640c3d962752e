package dev.pipelineworker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobFailureException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Continuation tokens come back from CodePipeline as they were sent, or from elsewhere: any token either decodes
 * into state or fails the job with JobFailed; state written as a token reads back as it was.
 */
class ContinuationCodecFuzzTest {

    private final ContinuationCodec codec = ContinuationCodec.defaults();

    record Progress(String step, int attempt, Instant since, List<String> done) {
    }

    @FuzzTest(maxDuration = "10s")
    void anyTokenDecodesOrFailsTheJob(FuzzedDataProvider data) {
        String token = data.consumeRemainingAsString();
        for (Class<?> type : List.of(Progress.class, Map.class, String.class, Integer.class)) {
            try {
                codec.decode(token, type);
            } catch (JobFailureException e) {
                assertThat(e.type()).isEqualTo(FailureType.JOB_FAILED);
            }
        }
    }

    @FuzzTest(maxDuration = "10s")
    void stateRoundTripsThroughAToken(FuzzedDataProvider data) {
        Progress state = new Progress(data.consumeString(100), data.consumeInt(),
                Instant.ofEpochSecond(data.consumeLong(0, 253_402_300_799L), data.consumeInt(0, 999_999_999)),
                List.of(data.consumeString(50), data.consumeRemainingAsString()));

        assertThat(codec.decode(codec.encode(state), Progress.class)).contains(state);
    }
}

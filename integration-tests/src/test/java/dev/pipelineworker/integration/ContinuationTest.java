package dev.pipelineworker.integration;

import static dev.pipelineworker.integration.EmulatorTestbed.THIRD_PARTY_TYPE;
import static dev.pipelineworker.integration.EmulatorTestbed.job;
import static dev.pipelineworker.integration.EmulatorTestbed.WAIT;
import static dev.pipelineworker.testkit.emulator.Operation.PUT_THIRD_PARTY_JOB_FAILURE_RESULT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.testkit.emulator.JobInfo;
import dev.pipelineworker.testkit.emulator.RecordedResult;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A continuation chain end to end: typed state out in job 1's result, back in job 2's data, where the emulator
 * (like CodePipeline) creates job 2 of the same action execution from job 1's token.
 */
class ContinuationTest extends EmulatorTest {

    /** The state carried from one job of the action execution to the next. */
    record BuildState(String externalBuildId, int checks, Instant startedAt) {
    }

    @Test
    void carriesTypedStateFromOneJobToTheNext() {
        BuildState state = new BuildState("ext-build-42", 3, Instant.parse("2025-01-02T03:04:05Z"));
        List<Optional<BuildState>> seen = new CopyOnWriteArrayList<>();
        JobInfo first = cp.enqueue(job(THIRD_PARTY_TYPE, "exec-chain"));
        cp.start(cp.thirdPartyWorker(context -> {
            Optional<BuildState> previous = context.continuationState(BuildState.class);
            seen.add(previous);
            if (previous.isEmpty()) {
                return JobOutcome.continueWithState(state).withSummary("build started")
                        .withExternalExecutionId(state.externalBuildId()).withPercentComplete(10);
            }
            return JobOutcome.success("build " + previous.get().externalBuildId() + " passed "
                    + previous.get().checks() + " checks");
        }));

        RecordedResult.Success firstResult = (RecordedResult.Success) cp.emulator().awaitResult(first.jobId(), WAIT);
        String token = firstResult.continuationToken();
        assertThat(token).isNotBlank().hasSizeLessThanOrEqualTo(2048).contains("ext-build-42");
        assertThat(firstResult.executionDetails())
                .isEqualTo(new RecordedResult.ExecutionDetails("build started", "ext-build-42", 10));
        await("continued").until(() -> cp.listener().has("continued:" + first.jobId()));

        RecordedResult last = cp.emulator().awaitFinalResult("exec-chain", WAIT);
        List<JobInfo> chain = cp.emulator().jobsForAction("exec-chain");
        assertThat(chain).hasSize(2);
        JobInfo second = chain.get(1);
        assertThat(second.spec().continuationToken()).isEqualTo(token);
        assertThat(last).isInstanceOfSatisfying(RecordedResult.Success.class, success -> {
            assertThat(success.jobId()).isEqualTo(second.jobId());
            assertThat(success.continuationToken()).isNull();
            assertThat(success.executionDetails().summary()).isEqualTo("build ext-build-42 passed 3 checks");
        });
        assertThat(seen).containsExactly(Optional.empty(), Optional.of(state));
        await("succeeded").until(() -> cp.listener().has("succeeded:" + second.jobId()));
        assertThat(cp.calls(PUT_THIRD_PARTY_JOB_FAILURE_RESULT)).isEmpty();
    }

    @Test
    void aPlainTokenIsSentAndReceivedAsIs() {
        List<Optional<String>> seen = new CopyOnWriteArrayList<>();
        JobInfo first = cp.enqueue(job(THIRD_PARTY_TYPE, "exec-plain"));
        cp.start(cp.thirdPartyWorker(context -> {
            seen.add(context.continuationToken());
            return context.continuationToken().isEmpty() ? JobOutcome.continueWith("poll-again:7")
                    : JobOutcome.success();
        }));

        RecordedResult last = cp.emulator().awaitFinalResult("exec-plain", WAIT);
        assertThat(cp.emulator().resultsForAction("exec-plain")).hasSize(2).first()
                .isInstanceOfSatisfying(RecordedResult.Success.class, s -> {
                    assertThat(s.jobId()).isEqualTo(first.jobId());
                    assertThat(s.continuationToken()).isEqualTo("poll-again:7");
                });
        assertThat(last).isInstanceOfSatisfying(RecordedResult.Success.class,
                s -> assertThat(s.continuationToken()).isNull());
        assertThat(seen).containsExactly(Optional.empty(), Optional.of("poll-again:7"));
    }

    @Test
    void aForeignTokenReadAsTypedStateFailsTheJob() {
        JobInfo job = cp.enqueue(job(THIRD_PARTY_TYPE, "exec-f").continuationToken("not-our-token"));
        cp.start(cp.thirdPartyWorker(context -> {
            context.continuationState(BuildState.class);
            return JobOutcome.success();
        }));

        assertThat(cp.emulator().awaitResult(job.jobId(), WAIT)).isInstanceOfSatisfying(RecordedResult.Failure.class,
                failure -> {
                    assertThat(failure.type()).isEqualTo(FailureType.JOB_FAILED);
                    assertThat(failure.message()).contains("not written by pipeline-worker");
                });
    }
}

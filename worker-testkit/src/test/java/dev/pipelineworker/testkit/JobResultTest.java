package dev.pipelineworker.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.Artifact;
import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.PipelineContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/** A result's kind and the assertions its accessors make; a job copied to a builder keeps every member. */
class JobResultTest {

    private final HandlerTestEnvironment env = HandlerTestEnvironment.create();

    @Test
    void eachKindOfOutcomeIsThatKindOnly() {
        JobResult success = env.run(context -> JobOutcome.success(), TestJob.builder().build());
        JobResult continuation = env.run(context -> JobOutcome.continueWith("t"), TestJob.builder().build());
        JobResult failure = env.run(context -> JobOutcome.fail(FailureType.JOB_FAILED, "no"), TestJob.builder().build());

        assertThat(List.of(success.isSuccess(), success.isContinue(), success.isFailure()))
                .containsExactly(true, false, false);
        assertThat(List.of(continuation.isSuccess(), continuation.isContinue(), continuation.isFailure()))
                .containsExactly(false, true, false);
        assertThat(List.of(failure.isSuccess(), failure.isContinue(), failure.isFailure()))
                .containsExactly(false, false, true);
    }

    @Test
    void aWrongExpectationNamesTheExceptionOnlyWhenTheHandlerThrewOne() {
        JobResult returnedFailure = env.run(context -> JobOutcome.fail(FailureType.JOB_FAILED, "no"),
                TestJob.builder().build());
        IllegalStateException boom = new IllegalStateException("boom");
        JobResult threw = env.run(context -> {
            throw boom;
        }, TestJob.builder().build());

        assertThatThrownBy(returnedFailure::success).isInstanceOf(AssertionError.class)
                .hasMessageNotContaining("the handler threw").hasNoCause();
        assertThatThrownBy(threw::continuation).isInstanceOf(AssertionError.class)
                .hasMessageEndingWith("; the handler threw " + boom).hasCause(boom);
        assertThat(threw.thrown()).containsSame(boom);
        assertThat(returnedFailure.thrown()).isEmpty();
    }

    @Test
    void aNullStateIsAnAssertionError() {
        JobResult result = env.run(context -> JobOutcome.continueWith("{\"pw\":1,\"state\":null}"),
                TestJob.builder().build());

        assertThatThrownBy(() -> result.continuationState(Map.class)).isInstanceOf(AssertionError.class)
                .hasMessage("the continuation state is null");
    }

    @Test
    void timeoutsAndDelaysMustBePositiveAndAChainHoldsAJob() {
        assertThatThrownBy(() -> env.jobTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("jobTimeout must be positive, got PT0S");
        assertThatThrownBy(() -> env.continuationDelay(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(env.jobTimeout(Duration.ofMillis(1))).isSameAs(env);
        assertThatThrownBy(() -> env.runUntilDone(context -> JobOutcome.success(), TestJob.builder().build(), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxJobs must be at least 1, got 0");
        assertThat(env.runUntilDone(context -> JobOutcome.success(), TestJob.builder().build(), 1).jobs()).hasSize(1);
        assertThatThrownBy(() -> new ChainResult(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aJobCopiedToABuilderKeepsEveryMember() {
        PipelineContext pipeline = PipelineContext.builder().pipelineName("p").actionExecutionId("e").build();
        TestJob job = TestJob.builder()
                .actionType(ActionTypeId.custom(ActionCategory.DEPLOY, "Deployer", "2"))
                .region(Region.EU_WEST_1)
                .pipeline(pipeline)
                .configuration(Map.of("Dropped", "x"))
                .configuration(Map.of("Kept", "y"))
                .inputBytes("with", new byte[] {1})
                .inputRevision("with", "rev-1")
                .inputBytes("without", new byte[] {2})
                .outputArtifacts("out")
                .build();

        TestJob copy = job.toBuilder().build();

        assertThat(job.configuration().asMap()).containsExactly(Map.entry("Kept", "y"));
        assertThat(copy.pipeline()).isEqualTo(pipeline);
        assertThat(copy.configuration()).isEqualTo(job.configuration());
        assertThat(copy.inputArtifacts()).isEqualTo(job.inputArtifacts());
        assertThat(copy.inputArtifacts()).extracting(Artifact::revision).containsExactly("rev-1", null);
        assertThat(copy.outputArtifacts()).extracting(Artifact::name).containsExactly("out");
        assertThat(copy.data().region()).isEqualTo(Region.EU_WEST_1);
        assertThatThrownBy(() -> TestJob.builder().inputRevision("never-added", "r"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("no input artifact named 'never-added' was added");
    }
}

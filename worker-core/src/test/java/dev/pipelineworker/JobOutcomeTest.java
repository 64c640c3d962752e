package dev.pipelineworker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The outcomes a handler builds with {@link JobOutcome}'s factories and {@code with...} methods: what each
 * carries, that each {@code with...} changes one member and keeps the others, and what a Continue refuses.
 */
class JobOutcomeTest {

    private static final CurrentRevision REVISION = CurrentRevision.of("abc123", "change-1");

    @Test
    void aSuccessStartsEmptyAndEachWithSetsOneMember() {
        JobOutcome.Success empty = JobOutcome.success();
        assertThat(empty).isEqualTo(new JobOutcome.Success(null, null, null, null, Map.of()));

        JobOutcome.Success full = JobOutcome.success("built").withExternalExecutionId("run-7").withPercentComplete(40)
                .withCurrentRevision(REVISION).withOutputVariables(Map.of("image", "sha256:1"));

        assertThat(full).isEqualTo(new JobOutcome.Success("built", "run-7", 40, REVISION, Map.of("image", "sha256:1")));
        assertThat(full.withSummary("rebuilt")).isEqualTo(
                new JobOutcome.Success("rebuilt", "run-7", 40, REVISION, Map.of("image", "sha256:1")));
    }

    @Test
    void aSuccessKeepsACopyOfItsOutputVariablesAndNoneIsEmpty() {
        Map<String, String> variables = new HashMap<>(Map.of("image", "sha256:1"));

        JobOutcome.Success success = JobOutcome.success().withOutputVariables(variables);
        variables.put("late", "x");

        assertThat(success.outputVariables()).containsOnlyKeys("image");
        assertThatThrownBy(() -> success.outputVariables().put("more", "y"))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(JobOutcome.success().withOutputVariables(null).outputVariables()).isEmpty();
    }

    @Test
    void aContinueCarriesATokenOrAStateAndKeepsTheOthersThroughItsWiths() {
        JobOutcome.Continue token = JobOutcome.continueWith("page-2").withSummary("half way")
                .withExternalExecutionId("run-7").withPercentComplete(50);

        assertThat(token).isEqualTo(new JobOutcome.Continue("page-2", null, "half way", "run-7", 50));
        assertThat(JobOutcome.continueWithState(7)).isEqualTo(new JobOutcome.Continue(null, 7, null, null, null));
    }

    @Test
    void aContinueWithBothATokenAndAStateOrNeitherIsRefused() {
        assertThatThrownBy(() -> new JobOutcome.Continue("t", 1, null, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a Continue carries either a token or a state, not both or neither");
        assertThatThrownBy(() -> new JobOutcome.Continue(null, null, null, null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JobOutcome.continueWith(null)).hasMessage("token");
        assertThatThrownBy(() -> JobOutcome.continueWithState(null)).hasMessage("state");
    }

    @Test
    void aContinuePrintsNeitherItsTokenNorItsState() {
        record Cursor(String secret) {
        }

        assertThat(JobOutcome.continueWith("s3cr3t-token").withSummary("s").withPercentComplete(5))
                .hasToString("Continue[token, summary=s, externalExecutionId=null, percentComplete=5]");
        assertThat(JobOutcome.continueWithState(new Cursor("s3cr3t")).withExternalExecutionId("run-1"))
                .hasToString("Continue[state Cursor, summary=null, externalExecutionId=run-1, percentComplete=null]");
    }

    @Test
    void aFailNeedsATypeAndItsMessageIsItsSummary() {
        JobOutcome.Fail fail = JobOutcome.fail(FailureType.PERMISSION_ERROR, "no access to the bucket");

        assertThat(fail.summary()).isEqualTo("no access to the bucket");
        assertThat(fail.externalExecutionId()).isNull();
        assertThat(fail.withExternalExecutionId("run-7"))
                .isEqualTo(new JobOutcome.Fail(FailureType.PERMISSION_ERROR, "no access to the bucket", "run-7"));
        assertThatThrownBy(() -> JobOutcome.fail(null, "m")).hasMessage("type");
    }

    @Test
    void aJobFailureExceptionStandsForAFailOfItsTypeAndMessage() {
        JobFailureException failure = new JobFailureException(FailureType.REVISION_UNAVAILABLE, "gone",
                new IllegalStateException("cause"));

        assertThat(failure.toOutcome()).isEqualTo(JobOutcome.fail(FailureType.REVISION_UNAVAILABLE, "gone"));
        assertThat(failure.type()).isEqualTo(FailureType.REVISION_UNAVAILABLE);
        assertThat(failure).hasCauseInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new JobFailureException(null, "m")).hasMessage("type");
        assertThatThrownBy(() -> new JobFailureException(null, "m", null)).hasMessage("type");
    }
}

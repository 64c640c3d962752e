package dev.pipelineworker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The job's cancellation signal: set once, every action run once, a failing action not stopping the others. */
class CancellationTest {

    private final Cancellation cancellation = new Cancellation();
    private final List<String> ran = new ArrayList<>();

    @Test
    void theFirstCancelRunsTheRegisteredActionsInOrderAndLaterOnesRunNothingAgain() {
        cancellation.onCancel(() -> ran.add("first"));
        cancellation.onCancel(() -> ran.add("second"));
        assertThat(cancellation.isCancelled()).isFalse();
        assertThat(ran).isEmpty();

        assertThat(cancellation.cancel()).isTrue();
        assertThat(cancellation.isCancelled()).isTrue();
        assertThat(ran).containsExactly("first", "second");

        assertThat(cancellation.cancel()).isFalse();
        assertThat(ran).containsExactly("first", "second");
    }

    @Test
    void anActionRegisteredAfterTheCancelRunsAtOnceAndOnlyThen() {
        cancellation.cancel();

        cancellation.onCancel(() -> ran.add("late"));

        assertThat(ran).containsExactly("late");
        cancellation.cancel();
        assertThat(ran).containsExactly("late");
    }

    @Test
    void anActionThatThrowsDoesNotKeepTheOthersFromRunning() {
        cancellation.onCancel(() -> {
            throw new IllegalStateException("handler's cleanup failed");
        });
        cancellation.onCancel(() -> ran.add("after the failure"));

        assertThat(cancellation.cancel()).isTrue();
        assertThat(ran).containsExactly("after the failure");

        cancellation.onCancel(() -> {
            throw new IllegalStateException("late cleanup failed");
        });
        assertThat(cancellation.isCancelled()).isTrue();
    }
}

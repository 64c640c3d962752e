package dev.pipelineworker.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** HandlerTestEnvironment cancels a running job as CodePipeline and a cancelling extension would. */
class CancelledJobTest {

    private final HandlerTestEnvironment env = HandlerTestEnvironment.create();
    private final TestJob job = TestJob.builder().build();
    private final ExecutorService remote = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        remote.shutdownNow();
    }

    @Test
    void aJobCancelledFromAnotherThreadWhileItsHandlerWaitsSeesItAndIsReportedAsCancelled() throws Exception {
        CountDownLatch waiting = new CountDownLatch(1);
        List<String> events = new CopyOnWriteArrayList<>();
        Future<Boolean> operator = remote.submit(() -> {
            waiting.await(10, TimeUnit.SECONDS);
            return env.cancelRunningJob();
        });

        JobResult result = env.run(context -> {
            context.onCancel(() -> events.add("remote build stopped"));
            waiting.countDown();
            try {
                Thread.sleep(10_000);
                events.add("slept through");
            } catch (InterruptedException e) {
                events.add("interrupted, cancelled=" + context.isCancelled());
            }
            return JobOutcome.success("finished anyway");
        }, job);

        assertThat(operator.get(10, TimeUnit.SECONDS)).as("the cancel found the running job").isTrue();
        assertThat(events).containsExactly("remote build stopped", "interrupted, cancelled=true");
        assertThat(result.isCancelled()).isTrue();
        assertThat(result.isSuccess()).isFalse();
        assertThat(result.isFailure()).isFalse();
        assertThat(result.isContinue()).isFalse();
        assertThat(result.outcome()).as("what the handler came to, dropped")
                .isInstanceOfSatisfying(JobOutcome.Success.class, s -> assertThat(s.summary())
                        .isEqualTo("finished anyway"));
        assertThat(result.toString()).contains("cancelled");
        assertThat(Thread.currentThread().isInterrupted()).as("the handler's interrupt stays in the run").isFalse();
    }

    @Test
    void aJobCancelledAtOnceHasItsCancelActionsRunWhenRegisteredAndReadsAsCancelled() {
        List<String> events = new ArrayList<>();

        JobResult result = env.run(context -> {
            assertThat(env.cancelRunningJob()).isTrue();
            assertThat(env.cancelRunningJob()).as("cancelled already").isFalse();
            context.onCancel(() -> events.add("ran at once"));
            return context.isCancelled() ? JobOutcome.fail(FailureType.JOB_FAILED, "stopped")
                    : JobOutcome.success("not seen");
        }, job);

        assertThat(events).containsExactly("ran at once");
        assertThat(result.isCancelled()).isTrue();
        assertThatThrownBy(result::failure).isInstanceOf(AssertionError.class)
                .hasMessageContaining("cancelled while its handler ran, so the worker reports nothing")
                .hasMessageContaining("stopped");
        assertThatThrownBy(result::success).isInstanceOf(AssertionError.class).hasMessageContaining("cancelled");
        assertThat(Thread.interrupted()).as("the interrupt is cleared after the run").isFalse();
    }

    @Test
    void withoutACancelAJobIsNotCancelledAndACancelBetweenRunsDoesNothing() {
        assertThat(env.cancelRunningJob()).as("no job running").isFalse();

        JobResult result = env.run(context -> JobOutcome.success("cancelled=" + context.isCancelled()), job);

        assertThat(result.isCancelled()).isFalse();
        assertThat(result.success().summary()).isEqualTo("cancelled=false");
        assertThat(env.cancelRunningJob()).as("the run is over").isFalse();
        assertThat(env.run(context -> JobOutcome.success("again " + context.isCancelled()), job).summary())
                .isEqualTo("again false");
    }
}

package dev.pipelineworker.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.Context;
import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.lambda.testing.FakeLambdaContext;
import dev.pipelineworker.lambda.testing.LambdaEvent;
import dev.pipelineworker.lambda.testing.LambdaResponse;
import dev.pipelineworker.lambda.testing.LocalLambdaInvoker;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Handler exceptions, a missing outcome and timeouts end in a fail result, never an unhandled Lambda error. */
class HandlerFailureTest {

    private static final LambdaEvent EVENT = LambdaEvent.builder().build();
    private static final LambdaOptions MARGIN_1S = LambdaOptions.defaults().withSafetyMargin(Duration.ofSeconds(1));

    @Test
    void anExceptionIsAJobFailedNamingItsTypeAndMessage() {
        LambdaResponse response = LocalLambdaInvoker.of(ctx -> {
            throw new IllegalStateException("the build server said no");
        }).invoke(EVENT);

        assertThat(response.json()).isEqualTo("{\"result\":\"fail\",\"failureType\":\"JobFailed\",\"status\":"
                + "{\"summary\":\"handler failed: IllegalStateException: the build server said no\"}}");
    }

    @Test
    void anErrorIsAFailureToo() {
        LambdaResponse response = LocalLambdaInvoker.of(ctx -> {
            throw new OutOfMemoryError("Java heap space");
        }).invoke(EVENT);

        assertThat(response.failureType()).isEqualTo("JobFailed");
        assertThat(response.summary()).isEqualTo("handler failed: OutOfMemoryError: Java heap space");
    }

    @Test
    void noOutcomeIsAFailure() {
        LambdaResponse response = LocalLambdaInvoker.of(ctx -> null).invoke(EVENT);

        assertThat(response.summary()).isEqualTo("handler returned no outcome");
    }

    @Test
    void aHandlerPastItsDeadlineIsInterruptedAndTheJobFails() throws InterruptedException {
        CountDownLatch interrupted = new CountDownLatch(1);
        LocalLambdaInvoker invoker = LocalLambdaInvoker.of(ctx -> {
            try {
                Thread.sleep(30_000);
                return JobOutcome.success("too late");
            } catch (InterruptedException e) {
                interrupted.countDown();
                throw e;
            }
        }, MARGIN_1S);
        FakeLambdaContext context = FakeLambdaContext.withRemainingTime(Duration.ofMillis(1_200));

        long started = System.nanoTime();
        LambdaResponse response = invoker.invoke(EVENT, context);
        long tookMillis = (System.nanoTime() - started) / 1_000_000;

        assertThat(response.failureType()).isEqualTo("JobFailed");
        assertThat(response.summary()).startsWith("the job timed out: the handler did not finish within ")
                .contains("less the safety margin of 1000 ms");
        assertThat(tookMillis).isLessThan(5_000);
        assertThat(interrupted.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(context.logLines()).anyMatch(line -> line.contains("the handler was interrupted"));
    }

    @Test
    void theHandlerSeesTheDeadlineItIsHeldTo() {
        AtomicBoolean withinBudget = new AtomicBoolean();
        LambdaResponse response = LocalLambdaInvoker.of(ctx -> {
            withinBudget.set(ctx.remaining().compareTo(Duration.ofSeconds(59)) <= 0
                    && ctx.remaining().compareTo(Duration.ofSeconds(55)) > 0);
            return JobOutcome.success();
        }, MARGIN_1S).remainingTime(Duration.ofMinutes(1)).invoke(EVENT);

        assertThat(response.isSuccess()).isTrue();
        assertThat(withinBudget).isTrue();
    }

    @Test
    void lessTimeThanTheSafetyMarginFailsWithoutRunningTheHandler() {
        AtomicBoolean ran = new AtomicBoolean();
        LambdaResponse response = LocalLambdaInvoker.of(ctx -> {
            ran.set(true);
            return JobOutcome.success();
        }).remainingTime(Duration.ofSeconds(3)).invoke(EVENT);

        assertThat(response.failureType()).isEqualTo("JobFailed");
        assertThat(response.summary()).startsWith("the job timed out before it started: the Lambda had ")
                .contains("no more than the safety margin of 10000 ms");
        assertThat(ran).isFalse();
    }

    @Test
    void withoutAnArtifactStoreTouchingArtifactsFailsSayingWhatToAdd() throws Exception {
        // The real entry point with discovery: nothing on this module's test classpath registers a store.
        JobHandlerLambda function = JobHandlerLambda.of(ctx -> {
            ctx.artifacts();
            return JobOutcome.success();
        }, LambdaOptions.defaults());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Context context = FakeLambdaContext.withRemainingTime(Duration.ofMinutes(1));

        function.handleRequest(new ByteArrayInputStream(EVENT.json().getBytes(StandardCharsets.UTF_8)), out, context);

        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("{\"result\":\"fail\",\"failureType\":\"JobFailed\","
                + "\"status\":{\"summary\":\"no artifact store is configured: add dev.pipelineworker:worker-s3 to the "
                + "function's jar or pass LambdaOptions.withArtifactStores(...)\"}}");
    }

    @Test
    void aSafetyMarginMustBeSensible() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LambdaOptions.defaults().withSafetyMargin(Duration.ofMinutes(15)))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LambdaOptions.defaults().withSafetyMargin(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

package dev.pipelineworker.internal.runtime;

import static dev.pipelineworker.internal.runtime.RuntimeFixture.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.internal.channel.Report;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shutdown: polling stops at once, running jobs get the grace period, and when it ends they are interrupted
 * and failed as cut off, while jobs that never got a thread are dropped unclaimed; the worker terminates only once
 * every job is done.
 */
class ShutdownGraceTest {

    private static final Report.Failure CUT_OFF = new Report.Failure(FailureType.SYSTEM_UNAVAILABLE,
            JobRun.SHUTDOWN_MESSAGE, null);

    @RegisterExtension
    final RuntimeFixture fixture = new RuntimeFixture();
    /** Released at the end of each test, so that a handler that ignores its interrupt can end. */
    private final CountDownLatch endOfTest = new CountDownLatch(1);

    @BeforeEach
    void setUp() {
        fixture.grace = Duration.ofMillis(100);
    }

    @AfterEach
    void tearDown() {
        endOfTest.countDown();
    }

    @Test
    void whenTheGraceEndsARunningHandlerIsInterruptedAndItsJobFailedOnceAsCutOff() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        fixture.channel.enqueue("stuck");
        fixture.start(ctx -> {
            running.countDown();
            try {
                endOfTest.await();
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
            return JobOutcome.success("after the grace");
        });
        running.await();

        fixture.runtime.shutdown();

        assertThat(fixture.runtime.awaitTermination(WAIT)).isTrue();
        assertThat(interrupted.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        assertThat(fixture.channel.reports.get("stuck")).containsExactly(CUT_OFF);
        assertThat(fixture.events).contains("failed stuck SystemUnavailable");
    }

    @Test
    void aJobStillWaitingForAThreadWhenTheGraceEndsIsDroppedUnclaimedSoTheWorkerTerminates() throws Exception {
        // One thread for two slots, held by a handler that ignores its interrupt: the second job never starts.
        fixture.jobs = Executors.newSingleThreadExecutor();
        CountDownLatch running = new CountDownLatch(1);
        AtomicBoolean secondRan = new AtomicBoolean();
        fixture.channel.enqueue("stubborn", "waiting");
        fixture.start(ctx -> {
            if (ctx.jobId().equals("waiting")) {
                secondRan.set(true);
                return JobOutcome.success();
            }
            running.countDown();
            while (endOfTest.getCount() > 0) {
                try {
                    endOfTest.await();
                } catch (InterruptedException e) {
                    // ignores it
                }
            }
            return JobOutcome.success();
        });
        running.await();
        RuntimeFixture.awaitTrue("both jobs in flight", () -> fixture.runtime.inFlightJobs() == 2);

        fixture.runtime.shutdown();

        assertThat(fixture.runtime.awaitTermination(WAIT)).isTrue();
        assertThat(fixture.channel.reports).containsOnlyKeys("stubborn");
        assertThat(fixture.channel.reports.get("stubborn")).containsExactly(CUT_OFF);
        assertThat(fixture.channel.claims).containsExactly("stubborn");
        assertThat(secondRan).isFalse();
        assertThat(fixture.runtime.health().slotsInUse()).as("the stubborn handler keeps its thread and slot")
                .isEqualTo(1);
    }

    @Test
    void awaitTerminationSaysFalseWhileAJobRunsWithinTheGrace() throws Exception {
        fixture.grace = Duration.ofSeconds(30);
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        fixture.channel.enqueue("busy");
        fixture.start(ctx -> {
            running.countDown();
            release.await();
            return JobOutcome.success("finished in time");
        });
        running.await();
        fixture.runtime.shutdown();

        assertThat(fixture.runtime.awaitTermination(Duration.ofMillis(50))).isFalse();
        assertThat(fixture.runtime.isRunning()).isFalse();
        release.countDown();
        assertThat(fixture.runtime.awaitTermination(WAIT)).isTrue();
        assertThat(fixture.channel.reports.get("busy"))
                .containsExactly(new Report.Success("finished in time", null, null, null, null, Map.of()));
    }

    @Test
    void aWorkerStartsOnceAndShutsDownOnce() throws Exception {
        fixture.start(ctx -> JobOutcome.success());

        assertThatIllegalStateException().isThrownBy(fixture.runtime::start)
                .withMessage("the worker was already started");
        fixture.runtime.shutdown();
        fixture.runtime.shutdown();
        assertThat(fixture.runtime.awaitTermination(WAIT)).isTrue();
        assertThatIllegalStateException().isThrownBy(fixture.runtime::start);
    }
}

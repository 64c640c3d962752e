package dev.pipelineworker.internal.runtime;

import static dev.pipelineworker.internal.runtime.RuntimeFixture.WAIT;
import static dev.pipelineworker.internal.runtime.RuntimeFixture.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import dev.pipelineworker.Backoff;
import dev.pipelineworker.ExtensionHealth;
import dev.pipelineworker.JobObserver;
import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.JobQueue;
import dev.pipelineworker.OutcomeJournal;
import dev.pipelineworker.RunningJob;
import dev.pipelineworker.WorkerControl;
import dev.pipelineworker.internal.Sleeper;
import dev.pipelineworker.internal.TestJobData;
import dev.pipelineworker.internal.channel.Report;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;

/**
 * What a worker extension may do through {@link WorkerControl}: wake a queue's idle poller, change its idle
 * backoff, list the running jobs, cancel one (never both cancelled and reported), and report its own health.
 */
class RuntimeControlTest {

    @RegisterExtension
    final RuntimeFixture fixture = new RuntimeFixture();

    @Test
    void aWakeUpEndsAnIdleWaitOfAnHourSoTheQueueIsPolledAtOnce() {
        fixture.idle = Backoff.exponential(Duration.ofHours(1), Duration.ofHours(1)).withJitter(0);
        fixture.sleeper = Sleeper.THREAD;
        WorkerControl control = fixture.start(ctx -> JobOutcome.success("woken")).control();
        awaitTrue("the first poll", () -> fixture.channel.pollSizes.size() == 1);

        fixture.channel.enqueue("j1");
        control.wakeUp(fixture.channel.queue());

        assertThat(fixture.channel.awaitReport("j1", WAIT)).isNotNull();
        assertThat(fixture.channel.pollSizes).hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void aQueueTheWorkerDoesNotServeIsIgnored() {
        WorkerControl control = fixture.start(ctx -> JobOutcome.success()).control();
        JobQueue elsewhere = JobQueue.of(TestJobData.ACTION, Region.EU_WEST_1);

        control.wakeUp(elsewhere);
        control.idleBackoff(elsewhere, Backoff.exponential(Duration.ofMillis(1), Duration.ofMillis(1)));

        assertThat(control.queues()).containsExactly(fixture.channel.queue());
        assertThat(fixture.runtime.isRunning()).isTrue();
    }

    @Test
    void theQueuesAreTheServedOnesAndTheConfiguredIdleBackoffIsTheBuiltOne() {
        FakeChannel europe = new FakeChannel(JobQueue.of(TestJobData.ACTION, Region.EU_WEST_1));
        fixture.channels = List.of(fixture.channel, europe);
        WorkerControl control = fixture.start(ctx -> JobOutcome.success()).control();

        assertThat(control.queues()).containsExactlyInAnyOrder(fixture.channel.queue(), europe.queue());
        assertThat(control.configuredIdleBackoff()).isEqualTo(RuntimeFixture.IDLE);
    }

    @Test
    void anotherIdleBackoffAppliesFromTheQueuesNextWaitOn() {
        WorkerControl control = fixture.start(ctx -> JobOutcome.success()).control();
        awaitTrue("two idle waits", () -> fixture.sleeps.size() >= 2);
        Duration longer = Duration.ofMillis(3);

        control.idleBackoff(fixture.channel.queue(), Backoff.exponential(longer, longer).withJitter(0));
        awaitTrue("a wait of the new backoff", () -> fixture.sleeps.contains(longer));

        List<Duration> sleeps = List.copyOf(fixture.sleeps);
        assertThat(sleeps.subList(0, 2)).containsExactly(Duration.ofMillis(10), Duration.ofMillis(20));
        assertThat(sleeps.subList(sleeps.indexOf(longer), sleeps.size())).containsOnly(longer);
        assertThatNullPointerException().isThrownBy(() -> control.idleBackoff(fixture.channel.queue(), null))
                .withMessage("backoff");
    }

    @Test
    void theRunningJobsAreThoseWhoseHandlersRunWithTheirPipelineAndWhenTheyWereClaimed() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Instant now = Instant.parse("2026-03-01T12:00:00Z");
        fixture.clock = Clock.fixed(now, ZoneOffset.UTC);
        fixture.channel.enqueue("held");
        long before = System.nanoTime();
        WorkerControl control = fixture.start(ctx -> {
            running.countDown();
            release.await();
            return JobOutcome.success();
        }).control();
        running.await();

        List<RunningJob> jobs = control.runningJobs();
        Duration sinceStart = Duration.ofNanos(System.nanoTime() - before);

        assertThat(jobs).singleElement().satisfies(job -> {
            assertThat(job.jobId()).isEqualTo("held");
            assertThat(job.queue()).isEqualTo(fixture.channel.queue());
            assertThat(job.pipeline().pipelineName()).isEqualTo("pipe");
            assertThat(job.pipeline().actionExecutionId()).isEqualTo("exec-held");
            // The clock stands still: the job has run for less than the test has, and not for no time at all.
            assertThat(job.runningSince()).isBetween(now.minus(sinceStart), now.minusNanos(1));
        });
        release.countDown();
        fixture.channel.awaitReport("held", WAIT);
        awaitTrue("no job in flight", () -> fixture.runtime.inFlightJobs() == 0);
        assertThat(control.runningJobs()).isEmpty();
    }

    @Test
    void aJobStillBeingClaimedIsNotRunning() throws Exception {
        CountDownLatch claiming = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        fixture.channel.claimer = (job, gate) -> {
            claiming.countDown();
            try {
                proceed.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return fixture.channel.claimNormally(job, gate);
        };
        fixture.channel.enqueue("claiming");
        WorkerControl control = fixture.start(ctx -> JobOutcome.success()).control();
        claiming.await();

        assertThat(fixture.runtime.inFlightJobs()).isEqualTo(1);
        assertThat(control.runningJobs()).isEmpty();
        assertThat(control.cancel("claiming", "stopped")).as("nothing runs that could be cancelled").isFalse();
        proceed.countDown();
        assertThat(fixture.channel.awaitReport("claiming", WAIT)).isNotNull();
    }

    @Test
    void aCancelledJobIsInterruptedToldItIsCancelledForgottenAndNeverReported(@TempDir Path journalDir)
            throws Exception {
        fixture.journal = OutcomeJournal.inDirectory(journalDir);
        fixture.observer = fixture.recordEndings();
        Map<String, JobObserver.JobEnding> endings = fixture.endings;
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch returned = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        AtomicBoolean sawCancelled = new AtomicBoolean();
        AtomicBoolean cancelActionRan = new AtomicBoolean();
        AtomicReference<Path> scratch = new AtomicReference<>();
        fixture.channel.enqueue("doomed", "next");
        WorkerControl control = fixture.start(ctx -> {
            if (ctx.jobId().equals("next")) {
                return JobOutcome.success();
            }
            ctx.onCancel(() -> cancelActionRan.set(true));
            scratch.set(ctx.scratchDirectory());
            running.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.set(true);
                sawCancelled.set(ctx.isCancelled());
            } finally {
                returned.countDown();
            }
            return JobOutcome.success("too late");
        }).control();
        running.await();

        assertThat(control.cancel("doomed", "stopped in the console")).isTrue();
        returned.await();
        fixture.channel.awaitReport("next", WAIT);
        awaitTrue("no job in flight", () -> fixture.runtime.inFlightJobs() == 0);

        assertThat(interrupted).isTrue();
        assertThat(sawCancelled).isTrue();
        assertThat(cancelActionRan).isTrue();
        assertThat(fixture.channel.reports).doesNotContainKey("doomed");
        assertThat(fixture.events).contains("cancelled doomed");
        assertThat(endings.get("doomed")).isEqualTo(JobObserver.JobEnding.of(JobObserver.JobEnding.Result.CANCELLED));
        assertThat(fixture.journal.readAll()).as("the cancelled job's claim is removed").isEmpty();
        assertThat(scratch.get()).doesNotExist();
        assertThat(control.cancel("doomed", "again")).as("it is gone").isFalse();
        assertThat(control.cancel("never-here", "unknown")).isFalse();
    }

    @Test
    void aJobWhoseReportIsUnderWayCannotBeCancelled() throws Exception {
        CountDownLatch reporting = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        fixture.channel.reportErrors.add(() -> {
            reporting.countDown();
            try {
                proceed.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return SdkClientException.create("connection reset");
        });
        fixture.channel.enqueue("reporting");
        WorkerControl control = fixture.start(ctx -> JobOutcome.success("done")).control();
        reporting.await();

        assertThat(control.cancel("reporting", "too late")).isFalse();
        proceed.countDown();
        assertThat(fixture.channel.awaitReport("reporting", WAIT))
                .isEqualTo(new Report.Success("done", null, null, null, null, Map.of()));
        assertThat(fixture.events).doesNotContain("cancelled reporting");
    }

    @Test
    void theLatestHealthOfEachExtensionIsShownUnderItsName() {
        WorkerControl control = fixture.start(ctx -> JobOutcome.success()).control();
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        ExtensionHealth first = ExtensionHealth.ok("events", now);
        ExtensionHealth failing = ExtensionHealth.failing("events", first, "queue unreachable");
        ExtensionHealth other = ExtensionHealth.ok("metrics", now);

        control.health(first);
        control.health(other);
        control.health(failing);

        assertThat(fixture.runtime.health().extensions()).containsExactlyInAnyOrder(failing, other);
    }
}

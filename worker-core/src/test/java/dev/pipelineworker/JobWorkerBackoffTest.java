package dev.pipelineworker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pipelineworker.internal.Sleeper;
import dev.pipelineworker.internal.WakeUp;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.codepipeline.model.CodePipelineException;
import software.amazon.awssdk.services.codepipeline.model.JobStatus;

/**
 * The waits {@link JobWorker.Builder} documents, as the worker asks its sleeper for them: after an empty poll, a
 * failed one and a throttled one, and between the calls of an acknowledgement whose answer is lost (the report
 * retry settings), each default and each setter's value. Every draw of the worker's randomness is the middle of
 * the jitter, so each wait is its backoff's exact figure; a draw at the bottom shows the randomness is the one
 * given.
 */
class JobWorkerBackoffTest {

    private static final ActionTypeId TYPE = ActionTypeId.custom(ActionCategory.BUILD, "Backoff", "1");
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final CodePipelineException UNAVAILABLE = (CodePipelineException) CodePipelineException.builder()
            .statusCode(503).message("unavailable").build();
    private static final CodePipelineException THROTTLED = (CodePipelineException) CodePipelineException.builder()
            .statusCode(400).message("slow down")
            .awsErrorDetails(AwsErrorDetails.builder().errorCode("ThrottlingException").build()).build();

    private final CustomJobsFake codePipeline = new CustomJobsFake();
    private final RecordingSleeper sleeper = new RecordingSleeper();
    private JobWorker worker;

    @AfterEach
    void stop() {
        if (worker != null) {
            worker.close();
        }
    }

    private JobWorker.Builder builder() {
        return JobWorker.builder(TYPE, context -> JobOutcome.success()).codePipelineClient(codePipeline)
                .outcomeJournal(OutcomeJournal.disabled()).sleeper(sleeper).random(FixedDraws.of(0.5));
    }

    private void start(JobWorker.Builder builder) {
        worker = builder.build();
        worker.start();
    }

    private static List<Duration> seconds(double... values) {
        return Arrays.stream(values).mapToObj(s -> Duration.ofMillis(Math.round(s * 1000))).toList();
    }

    /** The first {@code count} of {@code waits}, once there are that many. */
    private static List<Duration> first(List<Duration> waits, int count) {
        await().atMost(WAIT).until(() -> waits.size() >= count);
        return List.copyOf(waits).subList(0, count);
    }

    @Test
    void emptyPollsWaitAHundredMillisecondsDoublingToTenSeconds() {
        start(builder());

        assertThat(first(sleeper.idle, 9)).isEqualTo(seconds(0.1, 0.2, 0.4, 0.8, 1.6, 3.2, 6.4, 10, 10));
    }

    @Test
    void failedPollsWaitTwoSecondsDoublingToSixty() {
        codePipeline.pollFailure = UNAVAILABLE;

        start(builder());

        assertThat(first(sleeper.plain, 7)).isEqualTo(seconds(2, 4, 8, 16, 32, 60, 60));
        assertThat(sleeper.idle).isEmpty();
        QueueHealth queue = worker.health().queues().get(0);
        assertThat(queue.lastFailure()).hasValue(QueueHealth.PollFailure.OTHER);
        assertThat(queue.consecutiveFailures()).isGreaterThanOrEqualTo(7);
        assertThat(worker.health().state()).as("no poll has succeeded").isEqualTo(WorkerHealth.State.STARTING);
    }

    @Test
    void throttledPollsWaitFiveSecondsDoublingToTwoMinutes() {
        codePipeline.pollFailure = THROTTLED;

        start(builder());

        assertThat(first(sleeper.plain, 7)).isEqualTo(seconds(5, 10, 20, 40, 80, 120, 120));
        assertThat(worker.health().queues().get(0).lastFailure()).hasValue(QueueHealth.PollFailure.THROTTLED);
    }

    @Test
    void theErrorAndThrottleBackoffsReplaceTheDefaults() {
        codePipeline.pollFailure = UNAVAILABLE;
        start(builder().errorBackoff(Backoff.exponential(Duration.ofMillis(30), Duration.ofMillis(70)))
                .throttleBackoff(Backoff.exponential(Duration.ofMillis(11), Duration.ofMillis(40))));
        assertThat(first(sleeper.plain, 3)).isEqualTo(seconds(0.03, 0.06, 0.07));

        codePipeline.pollFailure = THROTTLED;
        await().atMost(WAIT).until(() -> sleeper.plain.contains(Duration.ofMillis(22)));
        assertThat(sleeper.plain).contains(Duration.ofMillis(11)).doesNotContain(Duration.ofMillis(5_000));
    }

    @Test
    void theWorkersRandomnessSpreadsTheWaits() {
        start(builder().random(FixedDraws.of(0.0)));

        assertThat(first(sleeper.idle, 2)).isEqualTo(seconds(0.08, 0.16));
    }

    @Test
    void aLostAcknowledgementIsAskedAgainEightTimesOneSecondDoublingToThirty() {
        codePipeline.acknowledgementFailure = UNAVAILABLE;
        codePipeline.queue("99999999-9999-9999-9999-999999999999", JobStatus.IN_PROGRESS);

        start(builder());

        await().atMost(WAIT).until(() -> codePipeline.acknowledgements.size() == 8 && sleeper.plain.size() == 7);
        assertThat(sleeper.plain).isEqualTo(seconds(1, 2, 4, 8, 16, 30, 30));
        await().atMost(WAIT).until(() -> worker.inFlightJobs() == 0);
        assertThat(codePipeline.acknowledgements).hasSize(8);
    }

    @Test
    void theReportRetriesSetHowOftenAnAcknowledgementAndAResultAreSent() {
        codePipeline.acknowledgementFailure = UNAVAILABLE;
        String lost = "99999999-9999-9999-9999-999999999998";
        codePipeline.queue(lost, JobStatus.IN_PROGRESS);
        List<String> abandoned = new CopyOnWriteArrayList<>();

        start(builder().reportRetries(3, Backoff.exponential(Duration.ofMillis(7), Duration.ofMillis(10)))
                .listener(new JobWorkerListener() {
                    @Override
                    public void reportAbandoned(JobQueue queue, String jobId, Throwable error) {
                        abandoned.add(jobId);
                    }
                }));
        await().atMost(WAIT).until(() -> worker.inFlightJobs() == 0 && codePipeline.acknowledgements.size() == 3);
        assertThat(sleeper.plain).isEqualTo(seconds(0.007, 0.01));

        codePipeline.acknowledgementFailure = null;
        codePipeline.successFailure = UNAVAILABLE;
        String unreported = "99999999-9999-9999-9999-999999999997";
        codePipeline.queue(unreported, JobStatus.IN_PROGRESS);
        await().atMost(WAIT).until(() -> abandoned.contains(unreported));
        assertThat(codePipeline.successCalls).containsExactly(unreported, unreported, unreported);
    }


    /** Records each wait, idle (after an empty poll) or plain, and spends a millisecond of it. */
    private static final class RecordingSleeper implements Sleeper {
        final List<Duration> idle = new CopyOnWriteArrayList<>();
        final List<Duration> plain = new CopyOnWriteArrayList<>();

        @Override
        public boolean sleep(Duration duration) {
            plain.add(duration);
            return pause();
        }

        @Override
        public boolean sleep(Duration duration, WakeUp wakeUp) {
            idle.add(duration);
            return pause();
        }

        private static boolean pause() {
            try {
                Thread.sleep(1);
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }
}

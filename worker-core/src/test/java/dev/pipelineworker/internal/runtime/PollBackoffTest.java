package dev.pipelineworker.internal.runtime;

import static dev.pipelineworker.internal.runtime.RuntimeFixture.WAIT;
import static dev.pipelineworker.internal.runtime.RuntimeFixture.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.QueueHealth;
import dev.pipelineworker.WorkerHealth;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * The waits between one queue's polls, as the {@code Sleeper} is asked for them (no jitter): each kind of wait
 * (idle, failed, throttled) counts its own attempts, a successful poll resets the failure waits and a poll that
 * brings jobs resets the idle wait; and what the listener and the queue's health hear of each poll.
 */
class PollBackoffTest {

    @RegisterExtension
    final RuntimeFixture fixture = new RuntimeFixture();

    @Test
    void failedAndThrottledPollsEachCountTheirOwnAttempts() {
        fixture.channel.pollErrors.add(ReportDeliveryTest::throttling);
        fixture.channel.pollErrors.add(() -> new IllegalStateException("network down"));
        fixture.channel.pollErrors.add(ReportDeliveryTest::throttling);
        fixture.channel.pollErrors.add(() -> new IllegalStateException("network down"));
        fixture.start(ctx -> JobOutcome.success());

        awaitTrue("four waits", () -> fixture.sleeps.size() >= 4);

        assertThat(List.copyOf(fixture.sleeps).subList(0, 4)).containsExactly(Duration.ofMillis(500),
                Duration.ofMillis(200), Duration.ofMillis(1000), Duration.ofMillis(400));
        assertThat(fixture.events).containsSubsequence("pollFailed us-east-1 AwsServiceException throttled",
                "pollFailed us-east-1 IllegalStateException", "pollFailed us-east-1 AwsServiceException throttled");
    }

    @Test
    void aSuccessfulPollStartsTheFailureWaitsAgainFromTheFirst() {
        fixture.channel.pollErrors.add(() -> new IllegalStateException("network down"));
        fixture.channel.pollErrors.add(() -> new IllegalStateException("network down"));
        fixture.channel.pollErrors.add(ReportDeliveryTest::throttling);
        AtomicInteger polls = new AtomicInteger();
        fixture.channel.beforePoll = () -> {
            // The fourth poll succeeds (it comes back empty), then both kinds fail once more.
            if (polls.incrementAndGet() == 5) {
                fixture.channel.pollErrors.add(() -> new IllegalStateException("network down"));
                fixture.channel.pollErrors.add(ReportDeliveryTest::throttling);
            }
        };
        fixture.start(ctx -> JobOutcome.success());

        awaitTrue("six waits", () -> fixture.sleeps.size() >= 6);

        assertThat(List.copyOf(fixture.sleeps).subList(0, 6)).containsExactly(Duration.ofMillis(200),
                Duration.ofMillis(400), Duration.ofMillis(500), Duration.ofMillis(10), Duration.ofMillis(200),
                Duration.ofMillis(500));
    }

    @Test
    void aPollThatBringsJobsStartsTheIdleWaitAgainFromTheFirst() {
        fixture.capacity = 1;
        AtomicInteger polls = new AtomicInteger();
        fixture.channel.beforePoll = () -> {
            if (polls.incrementAndGet() == 3) {
                fixture.channel.enqueue("j1");
            }
        };
        fixture.start(ctx -> JobOutcome.success());

        fixture.channel.awaitReport("j1", WAIT);
        awaitTrue("four idle waits", () -> fixture.sleeps.size() >= 4);

        assertThat(List.copyOf(fixture.sleeps).subList(0, 4)).containsExactly(Duration.ofMillis(10),
                Duration.ofMillis(20), Duration.ofMillis(10), Duration.ofMillis(20));
    }

    @Test
    void theListenerHearsHowManyJobsEachPollAskedForAndGot() {
        fixture.capacity = 3;
        fixture.channel.enqueue("j1", "j2");
        CountDownLatch release = new CountDownLatch(1);
        fixture.start(ctx -> {
            release.await();
            return JobOutcome.success();
        });

        awaitTrue("a poll with one slot left", () -> fixture.events.contains("polled 1 0"));
        release.countDown();

        assertThat(fixture.events.get(0)).isEqualTo("polled 3 2");
    }

    @Test
    void theQueuesHealthCountsConsecutiveFailuresUntilAPollSucceeds() {
        CountDownLatch failed = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        for (int i = 0; i < 3; i++) {
            fixture.channel.pollErrors.add(() -> AwsServiceException.builder().statusCode(403).build());
        }
        AtomicInteger polls = new AtomicInteger();
        fixture.channel.beforePoll = () -> {
            if (polls.incrementAndGet() == 4) {
                failed.countDown();
                try {
                    proceed.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        fixture.start(ctx -> JobOutcome.success());
        awaitTrue("three failures", () -> failed.getCount() == 0);

        WorkerHealth failing = fixture.runtime.health();
        proceed.countDown();
        awaitTrue("the poll after them", () -> fixture.runtime.health().queues().get(0).lastSuccessfulPoll()
                .isPresent());

        assertThat(failing.state()).as("not ready before a poll succeeded").isEqualTo(WorkerHealth.State.STARTING);
        QueueHealth queue = failing.queues().get(0);
        assertThat(queue.consecutiveFailures()).isEqualTo(3);
        assertThat(queue.lastSuccessfulPoll()).isEmpty();
        assertThat(queue.lastFailure()).contains(QueueHealth.PollFailure.ACCESS_DENIED);
        assertThat(fixture.runtime.health().queues().get(0).consecutiveFailures()).isZero();
        assertThat(fixture.runtime.health().state()).isEqualTo(WorkerHealth.State.READY);
    }

    @Test
    void aJobThatEndsWhileItsQueueIsIdleLeavesTheNextPollToThePollersBackoff() {
        List<Thread> handlerThreads = new CopyOnWriteArrayList<>();
        List<String> pollThreads = new CopyOnWriteArrayList<>();
        fixture.channel.beforePoll = () -> pollThreads.add(handlerThreads.contains(Thread.currentThread())
                ? "job thread" : "poller");
        CountDownLatch release = new CountDownLatch(1);
        fixture.channel.enqueue("j1");
        fixture.start(ctx -> {
            handlerThreads.add(Thread.currentThread());
            release.await();
            return JobOutcome.success();
        });
        awaitTrue("an empty poll while j1 runs", () -> fixture.events.contains("polled 1 0"));

        release.countDown();
        fixture.channel.awaitReport("j1", WAIT);
        awaitTrue("a poll with both slots", () -> fixture.events.contains("polled 2 0"));

        assertThat(pollThreads).containsOnly("poller");
    }

    @Test
    void aPollInterruptedByTheShutdownIsNoFailure() throws Exception {
        CountDownLatch polling = new CountDownLatch(1);
        AtomicInteger polls = new AtomicInteger();
        fixture.channel.beforePoll = () -> {
            if (polls.incrementAndGet() == 2) {
                polling.countDown();
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    // What the SDK does when the thread of its call is interrupted.
                    throw new IllegalStateException("aborted", e);
                }
            }
        };
        fixture.start(ctx -> JobOutcome.success());
        polling.await();

        fixture.runtime.shutdown();

        assertThat(fixture.runtime.awaitTermination(WAIT)).isTrue();
        assertThat(fixture.events).noneMatch(e -> e.startsWith("pollFailed"));
        assertThat(fixture.runtime.health().queues().get(0).consecutiveFailures()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"AccessDeniedException", "AccessDenied", "UnrecognizedClientException",
        "InvalidSignatureException", "ExpiredTokenException"})
    void credentialAndPermissionErrorsAreAccessDenied(String code) {
        assertThat(PollLoop.kindOf(serviceError(400, code), false)).isEqualTo(QueueHealth.PollFailure.ACCESS_DENIED);
    }

    @Test
    void aForbiddenAnswerIsAccessDeniedWhateverItsCodeAndOtherAnswersAreOther() {
        assertThat(PollLoop.kindOf(AwsServiceException.builder().statusCode(403).build(), false))
                .isEqualTo(QueueHealth.PollFailure.ACCESS_DENIED);
        assertThat(PollLoop.kindOf(serviceError(400, "ValidationException"), false))
                .isEqualTo(QueueHealth.PollFailure.OTHER);
        assertThat(PollLoop.kindOf(serviceError(400, "NotAccessDenied"), false))
                .isEqualTo(QueueHealth.PollFailure.OTHER);
        assertThat(PollLoop.kindOf(new IllegalStateException("a bug"), false)).isEqualTo(QueueHealth.PollFailure.OTHER);
    }

    private static AwsServiceException serviceError(int status, String code) {
        return AwsServiceException.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).build()).build();
    }
}

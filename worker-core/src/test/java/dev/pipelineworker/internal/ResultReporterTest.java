package dev.pipelineworker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipelineworker.Backoff;
import dev.pipelineworker.JobQueue;
import dev.pipelineworker.JobWorkerListener;
import dev.pipelineworker.internal.channel.ClaimedJob;
import dev.pipelineworker.internal.channel.JobChannel;
import dev.pipelineworker.internal.channel.Report;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.codepipeline.model.InvalidJobStateException;
import software.amazon.awssdk.services.codepipeline.model.JobNotFoundException;

/**
 * The worker's second layer of retries for results: transient errors are retried up to the configured attempts,
 * each retry heard by the listeners with its number, and a job CodePipeline no longer knows or waits for ends the
 * retries at once.
 */
class ResultReporterTest {

    private static final JobQueue QUEUE = JobQueue.of(TestJobData.ACTION, Region.US_EAST_1);
    private static final ClaimedJob JOB = new ClaimedJob("job-1", "client-1", "token", TestJobData.of("job-1"), null);
    private static final Report REPORT = new Report.Success("done", null, null, null, null, Map.of());
    // No wait between attempts: the test does not sleep.
    private static final Backoff NO_WAIT = Backoff.exponential(Duration.ZERO, Duration.ZERO);

    private final List<String> heard = new ArrayList<>();
    private final JobWorkerListener listener = new JobWorkerListener() {
        @Override
        public void reportRetried(JobQueue queue, String jobId, int attempt, Throwable error) {
            heard.add("retried " + queue.region() + " " + jobId + " attempt " + attempt + ": " + error.getMessage());
        }

        @Override
        public void reportAbandoned(JobQueue queue, String jobId, Throwable error) {
            heard.add("abandoned " + queue.region() + " " + jobId + ": " + error.getMessage());
        }
    };

    @Test
    void aResultAcceptedAtOnceIsSentOnceAndNothingIsHeard() {
        ReportingChannel channel = new ReportingChannel(List.of());

        assertThat(reporter(3).report(channel.channel, JOB, REPORT)).isEqualTo(ResultReporter.Delivery.ACCEPTED);

        assertThat(channel.reports).containsExactly(REPORT);
        assertThat(heard).isEmpty();
    }

    @Test
    void transientErrorsAreRetriedUntilOneAttemptIsAccepted() {
        ReportingChannel channel = new ReportingChannel(List.of(() -> SdkClientException.create("connection reset"),
                () -> service(503, "ServiceUnavailable")));

        assertThat(reporter(3).report(channel.channel, JOB, REPORT)).isEqualTo(ResultReporter.Delivery.ACCEPTED);

        assertThat(channel.attempts).hasValue(3);
        assertThat(heard).containsExactly("retried us-east-1 job-1 attempt 2: connection reset",
                "retried us-east-1 job-1 attempt 3: " + service(503, "ServiceUnavailable").getMessage());
    }

    @Test
    void whenEveryAttemptFailsTheResultIsAbandonedAfterTheConfiguredAttempts() {
        ReportingChannel channel = new ReportingChannel(List.of(() -> SdkClientException.create("reset 1"),
                () -> SdkClientException.create("reset 2"), () -> SdkClientException.create("reset 3"),
                () -> SdkClientException.create("reset 4")));

        assertThat(reporter(3).report(channel.channel, JOB, REPORT)).isEqualTo(ResultReporter.Delivery.FAILED);

        assertThat(channel.attempts).hasValue(3);
        assertThat(heard).containsExactly("retried us-east-1 job-1 attempt 2: reset 1",
                "retried us-east-1 job-1 attempt 3: reset 2", "abandoned us-east-1 job-1: reset 3");
    }

    @Test
    void anErrorThatIsAnAnswerIsNotRetried() {
        AwsServiceException refused = service(400, "ValidationException");
        ReportingChannel channel = new ReportingChannel(List.of(() -> refused));

        assertThat(reporter(5).report(channel.channel, JOB, REPORT)).isEqualTo(ResultReporter.Delivery.FAILED);

        assertThat(channel.attempts).hasValue(1);
        assertThat(heard).containsExactly("abandoned us-east-1 job-1: " + refused.getMessage());
    }

    @Test
    void aJobCodePipelineNoLongerKnowsOrWaitsForEndsTheRetriesAsGone() {
        JobNotFoundException notFound = JobNotFoundException.builder().message("no such job").build();
        InvalidJobStateException notWaiting = InvalidJobStateException.builder().message("job is Succeeded").build();
        ReportingChannel unknown = new ReportingChannel(List.of(() -> SdkClientException.create("reset"), () -> notFound));
        ReportingChannel finished = new ReportingChannel(List.of(() -> notWaiting));

        assertThat(reporter(5).report(unknown.channel, JOB, REPORT)).isEqualTo(ResultReporter.Delivery.GONE);
        assertThat(reporter(5).report(finished.channel, JOB, REPORT)).isEqualTo(ResultReporter.Delivery.GONE);

        assertThat(unknown.attempts).hasValue(2);
        assertThat(finished.attempts).hasValue(1);
        assertThat(heard).containsExactly("retried us-east-1 job-1 attempt 2: reset",
                "abandoned us-east-1 job-1: no such job", "abandoned us-east-1 job-1: job is Succeeded");
    }

    @Test
    void theWaitBeforeEachRetryIsDrawnFromTheBackoff() {
        AtomicInteger draws = new AtomicInteger();
        Random counting = new Random(1) {
            @Override
            public double nextDouble() {
                draws.incrementAndGet();
                return super.nextDouble();
            }
        };
        ReportingChannel channel = new ReportingChannel(List.of(() -> SdkClientException.create("reset 1"),
                () -> SdkClientException.create("reset 2")));

        new ResultReporter(3, NO_WAIT, counting, listener).report(channel.channel, JOB, REPORT);

        assertThat(draws).hasValue(2);
    }

    private ResultReporter reporter(int maxAttempts) {
        return new ResultReporter(maxAttempts, NO_WAIT, new Random(1), listener);
    }

    private static AwsServiceException service(int status, String code) {
        return AwsServiceException.builder().statusCode(status).message(code + " from the service")
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).build()).build();
    }

    /** A channel whose reports fail with the given errors, one an attempt, and then succeed; it does nothing else. */
    private static final class ReportingChannel {
        final Deque<Supplier<RuntimeException>> failures;
        final List<Report> reports = new ArrayList<>();
        final AtomicInteger attempts = new AtomicInteger();
        final JobChannel channel = (JobChannel) Proxy.newProxyInstance(JobChannel.class.getClassLoader(),
                new Class<?>[] {JobChannel.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "queue" -> QUEUE;
                    case "report" -> report((Report) args[1]);
                    default -> throw new UnsupportedOperationException(method.getName());
                });

        ReportingChannel(List<Supplier<RuntimeException>> failures) {
            this.failures = new ArrayDeque<>(failures);
        }

        private Object report(Report report) {
            attempts.incrementAndGet();
            Supplier<RuntimeException> failure = failures.poll();
            if (failure != null) {
                throw failure.get();
            }
            reports.add(report);
            return null;
        }
    }
}

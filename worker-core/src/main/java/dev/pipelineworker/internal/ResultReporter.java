package dev.pipelineworker.internal;

import dev.pipelineworker.Backoff;
import dev.pipelineworker.JobQueue;
import dev.pipelineworker.JobWorkerListener;
import dev.pipelineworker.internal.channel.ClaimedJob;
import dev.pipelineworker.internal.channel.JobChannel;
import dev.pipelineworker.internal.channel.Report;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.codepipeline.model.InvalidJobStateException;
import software.amazon.awssdk.services.codepipeline.model.JobNotFoundException;

/**
 * Sends results with a second, slower layer of retries on top of the SDK's own. The SDK already
 * retries throttling, 5xx and I/O errors a few times within seconds; this layer retries only the
 * same transient errors, and only after the SDK gave up, with backoff measured in seconds, so that
 * a result survives an outage of a minute or so. The attempts multiply (SDK attempts × these), and
 * that is deliberate: the total is bounded and documented on the worker builder. A job CodePipeline
 * no longer knows, or no longer waits for, ends the retries at once.
 */
public final class ResultReporter {

    private static final Logger LOG = LoggerFactory.getLogger(ResultReporter.class);

    private final RetryConfig config;
    private final JobWorkerListener listener;

    public ResultReporter(int maxAttempts, Backoff backoff, Random random, JobWorkerListener listener) {
        this.listener = listener;
        IntervalFunction interval = attempt -> backoff.delay(attempt, random).toMillis();
        this.config = RetryConfig.custom()
                .maxAttempts(maxAttempts)
                .intervalFunction(interval)
                .retryOnException(TransientErrors::isTransient)
                .build();
    }

    /** How sending a report ended. */
    public enum Delivery {
        /** CodePipeline accepted the result. */
        ACCEPTED,
        /** CodePipeline no longer knows the job or no longer waits for a result: nothing more to do. */
        GONE,
        /** Every attempt failed; the result may be sent again later. */
        FAILED
    }

    /** Sends the report through the channel of the job's queue. Never throws. */
    public Delivery report(JobChannel channel, ClaimedJob job, Report report) {
        JobQueue queue = channel.queue();
        Retry retry = Retry.of("report", config);
        retry.getEventPublisher().onRetry(event -> listener.reportRetried(queue, job.jobId(),
                event.getNumberOfRetryAttempts() + 1, event.getLastThrowable()));
        try {
            Retry.decorateRunnable(retry, () -> channel.report(job, report)).run();
            return Delivery.ACCEPTED;
        } catch (JobNotFoundException | InvalidJobStateException e) {
            LOG.warn("job {}: CodePipeline no longer accepts a result for it ({}); the {} was dropped",
                    job.jobId(), e.getClass().getSimpleName(), report);
            listener.reportAbandoned(queue, job.jobId(), e);
            return Delivery.GONE;
        } catch (RuntimeException e) {
            LOG.error("job {}: the {} could not be reported: {}", job.jobId(), report, RateLimitedLog.describe(e));
            listener.reportAbandoned(queue, job.jobId(), e);
            return Delivery.FAILED;
        }
    }
}

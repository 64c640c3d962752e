package dev.pipelineworker.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipelineworker.Backoff;
import dev.pipelineworker.WorkerControl;
import dev.pipelineworker.WorkerExtension;
import dev.pipelineworker.events.internal.EventParser;
import dev.pipelineworker.events.internal.QueueConsumer;
import dev.pipelineworker.internal.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Instant pickup and cancellation from CodePipeline's events: long-polls the SQS queue an EventBridge rule fills
 * with the pipeline's action and pipeline execution events (see {@code docs/events.md} for the rule, the queue
 * and the IAM policy). A STARTED action of one of the worker's action types wakes that queue's poller at once;
 * while the queue answers, idle polling of CodePipeline slows to {@link Builder#relaxedIdleMax(Duration)}, and
 * stays on as the safety net (continuation jobs make no STARTED event). An ABANDONED or CANCELED action, or a
 * STOPPED or CANCELED pipeline execution, cancels the running custom jobs it names ({@code JobContext.isCancelled()});
 * third-party jobs carry no pipeline execution id, so they are woken for but never cancelled. Events may come
 * twice or out of order, and the rule may be broader than the worker's types: all of that is harmless. A broken
 * queue never stops job polling: it shows in {@code JobWorker.health().extensions()} and in rate-limited warnings.
 *
 * <pre>{@code
 * JobWorker worker = JobWorker.builder(type, handler)
 *         .extension(WorkerEvents.builder().sqsClient(sqs).queueUrl(queueUrl).build())
 *         .build();
 * }</pre>
 *
 * <p>One queue serves one region (EventBridge delivers a region's events in that region); a worker of several
 * regions attaches one {@code WorkerEvents} per region's queue. The given SQS client stays open.
 */
public final class WorkerEvents implements WorkerExtension {

    private static final Logger LOG = LoggerFactory.getLogger("dev.pipelineworker.events.WorkerEvents");

    private final QueueConsumer.Settings settings;
    private volatile boolean running;
    private Thread thread;

    private WorkerEvents(Builder b) {
        this.settings = new QueueConsumer.Settings(b.sqs, b.queueUrl, b.waitTime, b.relaxedIdleMax, b.errorBackoff,
                b.clock, Sleeper.THREAD, b.random);
    }

    /** A builder with the defaults its setters document. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public synchronized void start(WorkerControl control) {
        if (thread != null) {
            throw new IllegalStateException("WorkerEvents belongs to one worker and starts once");
        }
        running = true;
        QueueConsumer consumer = new QueueConsumer(settings, control, new EventParser(new ObjectMapper()), LOG,
                () -> running);
        thread = new Thread(consumer, "pipeline-worker-events");
        thread.setDaemon(true);
        thread.start();
        LOG.info("worker reads pipeline events from {}", settings.queueUrl());
    }

    /** Stops reading the queue; a receive in flight is interrupted. */
    @Override
    public synchronized void close() {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }

    @Override
    public String toString() {
        return "WorkerEvents[" + settings.queueUrl() + "]";
    }

    /** Configures {@link WorkerEvents}. Not thread-safe. */
    public static final class Builder {
        private SqsClient sqs;
        private String queueUrl;
        private Duration waitTime = Duration.ofSeconds(20);
        private Duration relaxedIdleMax = Duration.ofSeconds(60);
        private Backoff errorBackoff = Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(60));
        private Clock clock = Clock.systemUTC();
        private Random random = new Random();

        private Builder() {
        }

        /** The SQS client of the queue's region. Required; it stays open when the worker closes. */
        public Builder sqsClient(SqsClient client) {
            this.sqs = Objects.requireNonNull(client, "client");
            return this;
        }

        /** The URL of the queue the EventBridge rule targets. Required. */
        public Builder queueUrl(String url) {
            this.queueUrl = Objects.requireNonNull(url, "url");
            return this;
        }

        /** How long one receive waits for events (SQS long polling, 1-20 s). Default: 20 s. */
        public Builder waitTime(Duration wait) {
            Objects.requireNonNull(wait, "wait");
            if (wait.toSeconds() < 1 || wait.toSeconds() > 20) {
                throw new IllegalArgumentException("waitTime must be 1-20 s, got " + wait);
            }
            this.waitTime = wait;
            return this;
        }

        /**
         * The maximum idle wait between CodePipeline polls while the queue answers; the worker's own idle backoff
         * applies again at once when it does not. A larger value saves CodePipeline calls; continuation jobs,
         * which make no event, wait up to this long. Default: 60 s.
         */
        public Builder relaxedIdleMax(Duration max) {
            this.relaxedIdleMax = Objects.requireNonNull(max, "max");
            return this;
        }

        /** The wait after a failed receive. Default: 1 s doubling to 60 s, 20% jitter. */
        public Builder errorBackoff(Backoff backoff) {
            this.errorBackoff = Objects.requireNonNull(backoff, "backoff");
            return this;
        }

        /** The clock of health timestamps and of the warnings' rate limit. Default: the UTC system clock. */
        public Builder clock(Clock newClock) {
            this.clock = Objects.requireNonNull(newClock, "clock");
            return this;
        }

        /** The randomness of the error backoff's jitter. Default: a new {@link Random}. */
        public Builder random(Random newRandom) {
            this.random = Objects.requireNonNull(newRandom, "random");
            return this;
        }

        /** The extension, for {@code JobWorker.Builder.extension(...)}. */
        public WorkerEvents build() {
            if (sqs == null || queueUrl == null) {
                throw new IllegalStateException("WorkerEvents needs sqsClient(...) and queueUrl(...)");
            }
            return new WorkerEvents(this);
        }
    }
}

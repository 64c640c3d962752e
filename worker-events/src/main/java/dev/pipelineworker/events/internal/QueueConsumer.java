package dev.pipelineworker.events.internal;

import dev.pipelineworker.Backoff;
import dev.pipelineworker.ExtensionHealth;
import dev.pipelineworker.JobQueue;
import dev.pipelineworker.WorkerControl;
import dev.pipelineworker.internal.RateLimitedLog;
import dev.pipelineworker.internal.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The loop that long-polls the events queue: each batch is parsed, routed and deleted. While receives succeed,
 * the worker's queues poll CodePipeline with the relaxed idle backoff; once one fails, they go back to the
 * configured one at once, the failure shows in the worker's health, a rate-limited warning is logged and the
 * loop backs off, so a broken queue costs pickup latency, never jobs.
 */
public final class QueueConsumer implements Runnable {

    private static final int MAX_MESSAGES = 10;
    private static final Duration RECEIVE_SLACK = Duration.ofSeconds(10);

    private final SqsClient sqs;
    private final String queueUrl;
    private final Duration waitTime;
    private final Backoff relaxedIdle;
    private final Backoff errorBackoff;
    private final WorkerControl control;
    private final EventParser parser;
    private final EventRouter router;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Random random;
    private final RateLimitedLog warnings;
    private final Logger log;
    private final BooleanSupplier running;
    private final String name;
    private ExtensionHealth health;
    private Boolean relaxed;

    /** The settings of one consumer; {@code relaxedIdleMax} is the idle maximum while the queue is healthy. */
    public record Settings(SqsClient sqs, String queueUrl, Duration waitTime, Duration relaxedIdleMax,
                           Backoff errorBackoff, Clock clock, Sleeper sleeper, Random random) {
    }

    public QueueConsumer(Settings settings, WorkerControl control, EventParser parser, Logger log,
                         BooleanSupplier running) {
        this.sqs = settings.sqs();
        this.queueUrl = settings.queueUrl();
        this.waitTime = settings.waitTime();
        Backoff configured = control.configuredIdleBackoff();
        this.relaxedIdle = settings.relaxedIdleMax().compareTo(configured.max()) <= 0 ? configured
                : new Backoff(configured.initial(), settings.relaxedIdleMax(), configured.multiplier(),
                        configured.jitter());
        this.errorBackoff = settings.errorBackoff();
        this.control = control;
        this.parser = parser;
        this.router = new EventRouter(control);
        this.clock = settings.clock();
        this.sleeper = settings.sleeper();
        this.random = settings.random();
        this.warnings = new RateLimitedLog(log, clock, Duration.ofMinutes(1));
        this.log = log;
        this.running = running;
        this.name = "events:" + queueUrl;
    }

    @Override
    public void run() {
        int errors = 0;
        while (running.getAsBoolean()) {
            List<Message> messages;
            try {
                // A receive that hangs (a queue deleted under a long poll, a half-open connection) must end, or
                // the queue would look healthy forever while it is not.
                messages = sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(MAX_MESSAGES)
                        .waitTimeSeconds((int) waitTime.toSeconds())
                        .overrideConfiguration(o -> o.apiCallTimeout(waitTime.plus(RECEIVE_SLACK)))).messages();
            } catch (RuntimeException e) {
                if (!running.getAsBoolean()) {
                    return;
                }
                Duration wait = errorBackoff.delay(++errors, random);
                failed(e, wait);
                if (!sleeper.sleep(wait)) {
                    return;
                }
                continue;
            }
            errors = 0;
            succeeded();
            handle(messages);
        }
    }

    private void handle(List<Message> messages) {
        List<DeleteMessageBatchRequestEntry> handled = new ArrayList<>();
        for (Message message : messages) {
            parser.parse(message.body()).ifPresent(event -> {
                int acted = router.route(event);
                log.debug("event {} acted on {} queue(s) or job(s)", event, acted);
            });
            handled.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(handled.size()))
                    .receiptHandle(message.receiptHandle()).build());
        }
        if (handled.isEmpty()) {
            return;
        }
        try {
            var result = sqs.deleteMessageBatch(r -> r.queueUrl(queueUrl).entries(handled));
            if (result.hasFailed() && !result.failed().isEmpty()) {
                warnings.warn("delete:" + queueUrl, result.failed().size() + " handled event(s) could not be "
                        + "deleted from " + queueUrl + "; they come back, and are harmless twice", null);
            }
        } catch (RuntimeException e) {
            warnings.warn("delete:" + queueUrl, "deleting handled events from " + queueUrl + " failed; they come "
                    + "back, and are harmless twice", e);
        }
    }

    private void succeeded() {
        health = ExtensionHealth.ok(name, clock.instant());
        control.health(health);
        if (!Boolean.TRUE.equals(relaxed)) {
            relaxed = true;
            control.queues().forEach(queue -> control.idleBackoff(queue, relaxedIdle));
            log.info("pipeline events from {}: polling CodePipeline with idle backoff up to {} while they arrive",
                    queueUrl, relaxedIdle.max());
        }
    }

    private void failed(RuntimeException e, Duration wait) {
        health = ExtensionHealth.failing(name, health, RateLimitedLog.describe(e));
        control.health(health);
        if (!Boolean.FALSE.equals(relaxed)) {
            relaxed = false;
            Backoff configured = control.configuredIdleBackoff();
            // A poller in the middle of a relaxed wait polls now, and from then on at the configured pace.
            for (JobQueue queue : control.queues()) {
                control.idleBackoff(queue, configured);
                control.wakeUp(queue);
            }
        }
        warnings.warn("receive:" + queueUrl, "receiving pipeline events from " + queueUrl + " failed; polling "
                + "CodePipeline goes on at the configured idle backoff; next try in " + wait.toMillis() + " ms", e);
    }
}

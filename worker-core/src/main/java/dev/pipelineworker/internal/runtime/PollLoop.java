package dev.pipelineworker.internal.runtime;

import dev.pipelineworker.JobQueue;
import dev.pipelineworker.QueueHealth;
import dev.pipelineworker.JobWorkerListener;
import dev.pipelineworker.internal.RateLimitedLog;
import dev.pipelineworker.internal.TransientErrors;
import dev.pipelineworker.internal.channel.JobChannel;
import dev.pipelineworker.internal.channel.PolledJob;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.codepipeline.model.ActionTypeNotFoundException;

/**
 * The poller thread of one queue: asks for as many jobs as there are free slots of the worker's shared budget
 * (never polling while none is free) and dispatches each with its slot, backing off when polls come back empty,
 * fail, or are throttled. Each queue has its own loop and backoff, so a queue whose polls fail (an action type
 * unknown in one region, access denied, an unreachable endpoint) waits without slowing the others; its warnings
 * are rate-limited per queue. Its {@link PollTrigger} may end an idle wait early and change the idle backoff.
 */
final class PollLoop implements Runnable {

    private final JobChannel channel;
    private final JobQueue queue;
    private final Capacity capacity;
    private final JobRun runs;
    private final WorkerSettings.Polling polling;
    private final WorkerSettings.Seams seams;
    private final JobWorkerListener listener;
    private final BooleanSupplier running;
    private final RateLimitedLog warnings;
    private volatile Instant lastSuccess;
    private volatile QueueHealth.PollFailure lastFailure;
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private final PollTrigger trigger;

    PollLoop(JobChannel channel, WorkerSettings settings, Capacity capacity, JobRun runs,
             BooleanSupplier running, RateLimitedLog warnings, PollTrigger trigger) {
        this.trigger = trigger;
        this.channel = channel;
        this.queue = channel.queue();
        this.capacity = capacity;
        this.runs = runs;
        this.polling = settings.polling();
        this.seams = settings.seams();
        this.listener = settings.listener();
        this.running = running;
        this.warnings = warnings;
    }

    /** The queue this loop polls. */
    JobQueue queue() {
        return queue;
    }

    /** How this queue's polls are going. */
    QueueHealth health() {
        return new QueueHealth(queue, Optional.ofNullable(lastSuccess), consecutiveFailures.get(),
                Optional.ofNullable(lastFailure));
    }

    /** Whether a poll of this queue has succeeded since the start. */
    boolean hasPolled() {
        return lastSuccess != null;
    }

    /** Polls until the worker stops or the thread is interrupted. */
    @Override
    public void run() {
        int idlePolls = 0;
        int errors = 0;
        int throttles = 0;
        while (running.getAsBoolean()) {
            int free;
            try {
                free = capacity.takeFree();
            } catch (InterruptedException e) {
                return;
            }
            List<PolledJob> jobs;
            try {
                jobs = channel.poll(free);
                errors = 0;
                throttles = 0;
                lastSuccess = seams.clock().instant();
                consecutiveFailures.set(0);
            } catch (RuntimeException e) {
                capacity.giveBack(free);
                if (!running.getAsBoolean()) {
                    // Shutdown interrupted the poll (the SDK throws AbortedException): not a failure.
                    return;
                }
                boolean throttled = TransientErrors.isThrottling(e);
                lastFailure = kindOf(e, throttled);
                consecutiveFailures.incrementAndGet();
                listener.pollFailed(queue, e, throttled);
                Duration wait = throttled ? polling.throttle().delay(++throttles, seams.random())
                        : polling.error().delay(++errors, seams.random());
                warnings.warn("poll:" + queue.id(), pollFailure(e, throttled, wait), e);
                if (!seams.sleeper().sleep(wait)) {
                    return;
                }
                continue;
            }
            int taken = Math.min(jobs.size(), free);
            listener.polled(queue, free, jobs.size());
            if (!running.getAsBoolean()) {
                capacity.giveBack(free);
                return;
            }
            capacity.giveBack(free - taken);
            for (PolledJob job : jobs.subList(0, taken)) {
                runs.dispatch(channel, job, capacity.permit());
            }
            if (taken > 0) {
                idlePolls = 0;
            } else if (!seams.sleeper().sleep(trigger.idle().delay(++idlePolls, seams.random()), trigger.wakeUp())) {
                return;
            }
        }
    }

    /** The kind of a failed poll, in the terms an operator acts on. */
    static QueueHealth.PollFailure kindOf(RuntimeException e, boolean throttled) {
        if (throttled) {
            return QueueHealth.PollFailure.THROTTLED;
        }
        if (e instanceof ActionTypeNotFoundException) {
            return QueueHealth.PollFailure.ACTION_TYPE_NOT_FOUND;
        }
        if (e instanceof AwsServiceException service) {
            String code = service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
            boolean denied = service.statusCode() == 403 || (code != null && (code.startsWith("AccessDenied")
                    || code.equals("UnrecognizedClientException") || code.equals("InvalidSignatureException")
                    || code.equals("ExpiredTokenException")));
            return denied ? QueueHealth.PollFailure.ACCESS_DENIED : QueueHealth.PollFailure.OTHER;
        }
        return e instanceof SdkClientException ? QueueHealth.PollFailure.NETWORK : QueueHealth.PollFailure.OTHER;
    }

    private String pollFailure(RuntimeException e, boolean throttled, Duration wait) {
        String what = e instanceof ActionTypeNotFoundException
                ? "poll of " + queue + " failed: CodePipeline does not know this action type in " + queue.region()
                        + "; check its category, owner, provider and version, and that it is registered there"
                : throttled ? "poll of " + queue + " throttled by CodePipeline" : "poll of " + queue + " failed";
        return what + "; next poll in " + wait.toMillis() + " ms";
    }
}

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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.codepipeline.model.ActionTypeNotFoundException;

/**
 * The polls of one queue: asks for as many jobs as there are free slots of the worker's shared budget (never polling
 * while none is free) and dispatches each with its slot, backing off when polls come back empty, fail, or are
 * throttled. Each queue has its own loop and backoff, so a queue whose polls fail (an action type unknown in one
 * region, access denied, an unreachable endpoint) waits without slowing the others; its warnings are rate-limited
 * per queue.
 *
 * <p>The queue's poller thread runs {@link #run()}. While the queue is busy (its last poll brought jobs), the thread
 * of a job that has just finished polls too, with that job's slot ({@link #pollOn}): at one slot a job then never
 * changes thread, and with many slots a freed slot does not wait for the poller's call in flight. The poller stays
 * the one that sits out every backoff: a poll on a job thread that comes back empty or fails leaves its wait to the
 * poller, which waits it out before its next poll, so the backoff is the same whichever thread polled. Its
 * {@link PollTrigger} may end an idle wait early and change the idle backoff.
 */
final class PollLoop implements Runnable {

    /** How the loop tells the runtime that a job thread polls, so that shutdown waits for it and interrupts it. */
    interface LivePollers {
        /** Counts the caller as a poller; false (and not counted) once the worker stopped polling. */
        boolean enter();

        /** The caller no longer polls. */
        void leave();
    }

    /** The wait after a poll before the next one, and whether it is the idle backoff. */
    private record Pause(Duration delay, boolean idle) {
    }

    /** The poll saw the worker stop: no next poll. */
    private static final Pause STOP = new Pause(Duration.ZERO, false);

    private final JobChannel channel;
    private final JobQueue queue;
    private final Capacity capacity;
    private final JobRun runs;
    private final WorkerSettings.Polling polling;
    private final WorkerSettings.Seams seams;
    private final JobWorkerListener listener;
    private final BooleanSupplier running;
    private final LivePollers livePollers;
    private final RateLimitedLog warnings;
    private volatile Instant lastSuccess;
    private volatile QueueHealth.PollFailure lastFailure;
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private final AtomicInteger idlePolls = new AtomicInteger();
    private final AtomicInteger errors = new AtomicInteger();
    private final AtomicInteger throttles = new AtomicInteger();
    /** Whether the last poll brought jobs: only then do job threads poll. */
    private volatile boolean busy;
    /** Whether this queue's poller thread waits for a slot. */
    private volatile boolean pollerWaiting;
    /** The wait a poll on a job thread ended with, for the poller to sit out before its next poll. */
    private final AtomicReference<Pause> owed = new AtomicReference<>();
    /** At most one job thread polls a queue at a time, besides its poller. */
    private final AtomicBoolean jobThreadPolling = new AtomicBoolean();
    private final Object jobThreadLock = new Object();
    private Thread jobThread;
    private final PollTrigger trigger;

    PollLoop(JobChannel channel, WorkerSettings settings, Capacity capacity, JobRun runs,
             BooleanSupplier running, LivePollers livePollers, RateLimitedLog warnings, PollTrigger trigger) {
        this.trigger = trigger;
        this.channel = channel;
        this.queue = channel.queue();
        this.capacity = capacity;
        this.runs = runs;
        this.polling = settings.polling();
        this.seams = settings.seams();
        this.listener = settings.listener();
        this.running = running;
        this.livePollers = livePollers;
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
        while (running.getAsBoolean()) {
            int free;
            pollerWaiting = true;
            try {
                free = capacity.takeFree();
            } catch (InterruptedException e) {
                return;
            } finally {
                pollerWaiting = false;
            }
            Pause pause = owed.getAndSet(null);
            if (pause != null) {
                capacity.giveBack(free);
            } else {
                pause = poll(free, false);
            }
            if (pause != null && !sitOut(pause)) {
                return;
            }
        }
    }

    /**
     * Polls on the calling job thread with the slot of the job that thread has just finished, if the queue is busy
     * and no other queue's poller waits for a slot (so a busy queue does not starve a quiet one). True when the
     * slot was used (handed to a polled job or given back); false when the caller still holds it.
     */
    boolean pollOn(Capacity.Permit slot) {
        if (!busy || capacity.waitingPollers() > (pollerWaiting ? 1 : 0) || !running.getAsBoolean()
                || !jobThreadPolling.compareAndSet(false, true)) {
            return false;
        }
        try {
            synchronized (jobThreadLock) {
                jobThread = Thread.currentThread();
            }
            if (!livePollers.enter()) {
                return false;
            }
            try {
                if (!slot.reclaim()) {
                    return true;
                }
                poll(1 + capacity.takeFreeNow(), true);
                return true;
            } finally {
                livePollers.leave();
            }
        } finally {
            synchronized (jobThreadLock) {
                jobThread = null;
            }
            if (!running.getAsBoolean()) {
                // The shutdown's interrupt was meant for this poll, not for the thread's next task.
                Thread.interrupted();
            }
            jobThreadPolling.set(false);
        }
    }

    /** Interrupts a poll in flight on a job thread: shutdown stops polling at once. */
    void interruptJobThreadPoll() {
        synchronized (jobThreadLock) {
            if (jobThread != null) {
                jobThread.interrupt();
            }
        }
    }

    /**
     * Polls for up to {@code free} jobs with that many slots taken, dispatches each job polled with one of them and
     * gives the rest back. Returns the wait before the next poll, null for none, or {@link #STOP}; on a job thread
     * the wait is left to the poller instead.
     */
    private Pause poll(int free, boolean onJobThread) {
        List<PolledJob> jobs;
        try {
            jobs = channel.poll(free);
            errors.set(0);
            throttles.set(0);
            lastSuccess = seams.clock().instant();
            consecutiveFailures.set(0);
        } catch (RuntimeException e) {
            busy = false;
            if (!running.getAsBoolean()) {
                // Shutdown interrupted the poll (the SDK throws AbortedException): not a failure.
                capacity.giveBack(free);
                return STOP;
            }
            boolean throttled = TransientErrors.isThrottling(e);
            lastFailure = kindOf(e, throttled);
            consecutiveFailures.incrementAndGet();
            Duration wait = throttled ? polling.throttle().delay(throttles.incrementAndGet(), seams.random())
                    : polling.error().delay(errors.incrementAndGet(), seams.random());
            Pause pause = withoutJobs(new Pause(wait, false), free, onJobThread);
            listener.pollFailed(queue, e, throttled);
            warnings.warn("poll:" + queue.id(), pollFailure(e, throttled, wait), e);
            return pause;
        }
        int taken = Math.min(jobs.size(), free);
        listener.polled(queue, free, jobs.size());
        if (!running.getAsBoolean()) {
            capacity.giveBack(free);
            return STOP;
        }
        busy = taken > 0;
        if (taken == 0) {
            return withoutJobs(new Pause(trigger.idle().delay(idlePolls.incrementAndGet(), seams.random()), true),
                    free, onJobThread);
        }
        idlePolls.set(0);
        capacity.giveBack(free - taken);
        for (PolledJob job : jobs.subList(0, taken)) {
            runs.dispatch(channel, job, capacity.permit(), this);
        }
        return null;
    }

    /**
     * Gives back the slots of a poll that brought no job. On a job thread its pause is left to the poller first, so
     * that the poller those slots wake sits it out.
     */
    private Pause withoutJobs(Pause pause, int free, boolean onJobThread) {
        if (onJobThread) {
            owed.set(pause);
        }
        capacity.giveBack(free);
        return onJobThread ? null : pause;
    }

    /** Waits out {@code pause}; false when the worker stops (or the thread is interrupted) meanwhile. */
    private boolean sitOut(Pause pause) {
        if (pause == STOP) {
            return false;
        }
        return pause.idle() ? idleWait(pause.delay()) : seams.sleeper().sleep(pause.delay());
    }

    /** The wait after an empty poll; false when the worker stops (or the thread is interrupted) meanwhile. */
    private boolean idleWait(Duration wait) {
        return seams.sleeper().sleep(wait, trigger.wakeUp());
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

package dev.pipelineworker.internal.runtime;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The worker's concurrency budget: one slot per job that may run at once. The poll loop takes every free slot
 * before it polls (so it never asks for more jobs than it can run), hands one {@link Permit} to each job it
 * dispatches, and gives the rest back; the job carries its permit and releases it exactly once. A job's thread may
 * instead {@link Permit#reclaim() reclaim} its permit to poll with it (see {@link PollLoop#pollOn}), so that the slot
 * goes from one job to the next without waking the poller.
 */
final class Capacity {

    private final Semaphore slots;
    private final int size;
    private final AtomicInteger inUse = new AtomicInteger();
    private final AtomicInteger waiting = new AtomicInteger();

    Capacity(int size) {
        this.size = size;
        // Fair: the poll loops of several queues wait in turn, so a quiet queue is not starved by a busy one.
        this.slots = new Semaphore(size, true);
    }

    /** Waits until a slot is free, then takes it and every other free slot; returns how many were taken. */
    int takeFree() throws InterruptedException {
        waiting.incrementAndGet();
        try {
            slots.acquire();
        } finally {
            waiting.decrementAndGet();
        }
        return 1 + slots.drainPermits();
    }

    /** Takes every free slot without waiting; returns how many were taken (maybe none). */
    int takeFreeNow() {
        return slots.drainPermits();
    }

    /** Poll loops waiting in {@link #takeFree()} for a slot. */
    int waitingPollers() {
        return waiting.get();
    }

    /** One of the slots taken by {@link #takeFree()}, handed to a job. */
    Permit permit() {
        inUse.incrementAndGet();
        return new Permit();
    }

    /** Slots held by jobs. */
    int inUse() {
        return inUse.get();
    }

    /** Slots no job holds (a poll in progress may be holding some of them for the jobs it will hand out). */
    int free() {
        return size - inUse.get();
    }

    /** Gives back {@code count} slots taken by {@link #takeFree()} and not handed to a job. */
    void giveBack(int count) {
        if (count > 0) {
            slots.release(count);
        }
    }

    /** A job's slot; releasing it more than once releases it once. */
    final class Permit {
        private final AtomicBoolean released = new AtomicBoolean();

        void release() {
            if (released.compareAndSet(false, true)) {
                inUse.decrementAndGet();
                slots.release();
            }
        }

        /**
         * Takes the slot back from the job without making it free, as if {@link #takeFree()} had taken it: the
         * caller then hands it to a job or gives it back. False if the permit was already released.
         */
        boolean reclaim() {
            if (released.compareAndSet(false, true)) {
                inUse.decrementAndGet();
                return true;
            }
            return false;
        }
    }
}

package dev.pipelineworker.internal.runtime;

import dev.pipelineworker.Backoff;
import dev.pipelineworker.internal.WakeUp;
import java.util.Objects;

/**
 * What may steer one queue's {@link PollLoop} from outside: a wake-up that ends its idle wait, and the idle
 * backoff it uses from its next wait on.
 */
final class PollTrigger {

    private final WakeUp wakeUp = new WakeUp();
    private volatile Backoff idle;

    PollTrigger(Backoff idle) {
        this.idle = Objects.requireNonNull(idle, "idle");
    }

    WakeUp wakeUp() {
        return wakeUp;
    }

    Backoff idle() {
        return idle;
    }

    void idle(Backoff backoff) {
        idle = Objects.requireNonNull(backoff, "backoff");
    }
}

package dev.pipelineworker.testkit.emulator;

import java.time.Duration;
import java.util.Objects;

/** A misbehaviour the emulator can inject into a call, as a {@link FaultRule} selects it. */
public sealed interface Fault {

    /** Answers HTTP 400 with {@code __type} {@code ThrottlingException}, which the AWS SDK retries. */
    static Fault throttling() {
        return new Throttling();
    }

    /** Answers the given 5xx status with an {@code InternalFailure} or {@code ServiceUnavailable} body. */
    static Fault serverError(int status) {
        return new ServerError(status);
    }

    /** Waits this long before serving the call normally. */
    static Fault latency(Duration delay) {
        return new Latency(delay);
    }

    /** Closes the connection without any response. */
    static Fault dropConnection() {
        return new DropConnection();
    }

    /** Throttles the call the way the service does. */
    record Throttling() implements Fault {
    }

    /** Fails the call with a server error status. */
    record ServerError(int status) implements Fault {
        /** Checks that the status is a 5xx. */
        public ServerError {
            if (status < 500 || status > 599) {
                throw new IllegalArgumentException("a server error status is 500-599, got " + status);
            }
        }
    }

    /** Delays the call, then serves it. */
    record Latency(Duration delay) implements Fault {
        /** Checks that the delay is not negative. */
        public Latency {
            Objects.requireNonNull(delay, "delay");
            if (delay.isNegative()) {
                throw new IllegalArgumentException("latency must not be negative");
            }
        }
    }

    /** Closes the socket without answering. */
    record DropConnection() implements Fault {
    }
}

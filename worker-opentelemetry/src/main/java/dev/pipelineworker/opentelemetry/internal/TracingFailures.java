package dev.pipelineworker.opentelemetry.internal;

import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Where the tracing's own failures go, so that a broken tracer costs a job its span and nothing else. The default
 * logs through the JDK's {@link System.Logger} (no logging library needed; SLF4J's
 * {@code slf4j-jdk-platform-logging} routes it): the first failure at WARNING, the rest at DEBUG, and only the
 * exception's class, since a tracer's message may quote the attribute values it was given.
 */
@FunctionalInterface
public interface TracingFailures {

    /** {@code what} (a fixed phrase) failed with {@code failure}; the job goes on. */
    void failed(String what, RuntimeException failure);

    /** Logs the first failure at WARNING and the others at DEBUG. */
    static TracingFailures logging() {
        System.Logger log = System.getLogger(TracingFailures.class.getName());
        AtomicBoolean warned = new AtomicBoolean();
        return (what, failure) -> log.log(warned.compareAndSet(false, true) ? Level.WARNING : Level.DEBUG,
                "tracing a job failed ({0}: {1}); the job goes on, its span is incomplete",
                what, failure.getClass().getName());
    }
}

package dev.pipelineworker.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Logs a repeated warning once per window and counts the repeats, so that an outage gives a few
 * lines that say how often it happened instead of thousands of identical ones.
 */
@SharedInternal
public final class RateLimitedLog {

    private final Logger log;
    private final Clock clock;
    private final Duration window;
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

    public RateLimitedLog(Logger log, Clock clock, Duration window) {
        this.log = log;
        this.clock = clock;
        this.window = window;
    }

    /** Logs at WARN unless a warning with the same {@code key} was logged within the window. */
    public void warn(String key, String message, Throwable error) {
        Instant now = clock.instant();
        Window w = windows.computeIfAbsent(key, k -> new Window());
        long suppressed;
        synchronized (w) {
            if (w.openedAt != null && now.isBefore(w.openedAt.plus(window))) {
                w.suppressed.incrementAndGet();
                return;
            }
            w.openedAt = now;
            suppressed = w.suppressed.getAndSet(0);
        }
        String suffix = suppressed == 0 ? "" : " (" + suppressed + " similar warnings suppressed in the last "
                + window.toSeconds() + " s)";
        if (error == null) {
            log.warn("{}{}", message, suffix);
        } else {
            log.warn("{}{}: {}", message, suffix, describe(error));
            log.debug("details of the warning above", error);
        }
    }

    /** A one-line description of an error: its type and message, without a stack trace. */
    public static String describe(Throwable error) {
        String message = error.getMessage();
        return error.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private static final class Window {
        private Instant openedAt;
        private final AtomicLong suppressed = new AtomicLong();
    }
}

package dev.pipelineworker.micrometer.internal;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Swallows what a meter registry throws, so that metrics never change what the worker does: the first failure is
 * logged as a warning, later ones at DEBUG (a broken registry usually fails on every call, and the job path must
 * not pay for a log line each time).
 */
public final class RegistryGuard {

    private static final Logger LOG = LoggerFactory.getLogger("dev.pipelineworker.micrometer");

    private final AtomicBoolean warned = new AtomicBoolean();

    /** Notes a registry failure; never throws. */
    public void failed(Throwable error) {
        try {
            if (warned.compareAndSet(false, true)) {
                LOG.warn("the meter registry threw {} ({}); the worker goes on without these metrics, later failures "
                        + "are logged at DEBUG", error.getClass().getName(), error.getMessage());
            } else if (LOG.isDebugEnabled()) {
                LOG.debug("the meter registry threw {} ({})", error.getClass().getName(), error.getMessage());
            }
        } catch (RuntimeException | LinkageError ignored) {
            // A failing logger must not reach the worker either.
        }
    }
}

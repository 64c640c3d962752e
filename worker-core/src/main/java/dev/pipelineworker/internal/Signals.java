package dev.pipelineworker.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns SIGTERM and SIGINT into a call instead of an exit, so that a main can drain its jobs and
 * return normally (exit status 0) rather than die with 143 halfway through a shutdown hook.
 */
public final class Signals {

    private static final Logger LOG = LoggerFactory.getLogger(Signals.class);

    private Signals() {
    }

    /** Calls {@code action} on SIGTERM or SIGINT; false when this JVM does not allow it. */
    public static boolean onTermination(Runnable action) {
        try {
            for (String name : new String[] {"TERM", "INT"}) {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> {
                    LOG.info("received SIG{}", name);
                    action.run();
                });
            }
            return true;
        } catch (IllegalArgumentException | LinkageError e) {
            LOG.debug("signal handlers unavailable; relying on the shutdown hook", e);
            return false;
        }
    }
}

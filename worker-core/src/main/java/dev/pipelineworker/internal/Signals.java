package dev.pipelineworker.internal;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns SIGTERM and SIGINT into a call instead of an exit, so that a main can drain its jobs and
 * return normally (exit status 0) rather than die with 143 halfway through a shutdown hook.
 *
 * <p>{@code sun.misc.Signal} (module jdk.unsupported, on every JDK) is the only way to do that. It is
 * reached reflectively because javac's warning for a compiled reference to it cannot be suppressed,
 * and the build treats warnings as errors.
 */
public final class Signals {

    private static final Logger LOG = LoggerFactory.getLogger(Signals.class);

    private Signals() {
    }

    /** Calls {@code action} on SIGTERM or SIGINT; false when this JVM does not allow it. */
    public static boolean onTermination(Runnable action) {
        try {
            Class<?> signalType = Class.forName("sun.misc.Signal");
            Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
            Method handle = signalType.getMethod("handle", signalType, handlerType);
            for (String name : new String[] {"TERM", "INT"}) {
                Object handler = Proxy.newProxyInstance(Signals.class.getClassLoader(), new Class<?>[] {handlerType},
                        (proxy, method, args) -> switch (method.getName()) {
                            case "handle" -> {
                                LOG.info("received SIG{}", name);
                                action.run();
                                yield null;
                            }
                            case "equals" -> proxy == args[0];
                            case "hashCode" -> System.identityHashCode(proxy);
                            default -> "SIG" + name + " handler";
                        });
                handle.invoke(null, signalType.getConstructor(String.class).newInstance(name), handler);
            }
            return true;
        } catch (ReflectiveOperationException | IllegalArgumentException | LinkageError e) {
            LOG.debug("signal handlers unavailable; relying on the shutdown hook", e);
            return false;
        }
    }
}

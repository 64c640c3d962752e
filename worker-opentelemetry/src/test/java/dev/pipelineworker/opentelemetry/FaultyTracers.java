package dev.pipelineworker.opentelemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.context.propagation.ContextPropagators;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.function.Predicate;

/** Tracers broken in the ways a misbehaving SDK or exporter could be, each throwing {@link TracerBroken}. */
final class FaultyTracers {

    /** What a faulty tracer throws. */
    static final class TracerBroken extends IllegalStateException {
        TracerBroken(String method) {
            super("the tracer is broken (" + method + ")");
        }
    }

    private FaultyTracers() {
    }

    /** A tracer whose {@code spanBuilder} throws. */
    static Tracer throwingOnEveryCall() {
        return proxy(Tracer.class, (proxy, method, args) -> {
            throw new TracerBroken(method.getName());
        });
    }

    /**
     * A tracer whose spans can be put in a context and made current, but throw on everything else: attributes,
     * status, end.
     */
    static Tracer withSpansThatThrow() {
        return proxy(Tracer.class, (proxy, method, args) -> spanBuilder());
    }

    /** {@code real}, except that building a span whose name {@code broken} accepts throws. */
    static Tracer failingFor(Tracer real, Predicate<String> broken) {
        return proxy(Tracer.class, (proxy, method, args) -> {
            if (method.getName().equals("spanBuilder") && broken.test((String) args[0])) {
                throw new TracerBroken("spanBuilder(" + args[0] + ")");
            }
            return invoke(real, method, args);
        });
    }

    /** An {@link OpenTelemetry} whose every tracer is {@code tracer}. */
    static OpenTelemetry openTelemetryWith(Tracer tracer) {
        TracerProvider provider = new TracerProvider() {
            @Override
            public Tracer get(String instrumentationScopeName) {
                return tracer;
            }

            @Override
            public Tracer get(String instrumentationScopeName, String instrumentationScopeVersion) {
                return tracer;
            }
        };
        return new OpenTelemetry() {
            @Override
            public TracerProvider getTracerProvider() {
                return provider;
            }

            @Override
            public ContextPropagators getPropagators() {
                return ContextPropagators.noop();
            }
        };
    }

    private static SpanBuilder spanBuilder() {
        return proxy(SpanBuilder.class, (proxy, method, args) -> method.getName().equals("startSpan") ? span() : proxy);
    }

    private static Span span() {
        return proxy(Span.class, (proxy, method, args) -> {
            if (method.getName().equals("getSpanContext")) {
                return SpanContext.getInvalid();
            }
            if (method.getName().equals("storeInContext")) {
                return InvocationHandler.invokeDefault(proxy, method, args);
            }
            throw new TracerBroken(method.getName());
        });
    }

    private interface Call {
        Object invoke(Object proxy, Method method, Object[] args) throws Throwable;
    }

    private static <T> T proxy(Class<T> type, Call call) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        return method.getName().equals("toString") ? "faulty " + type.getSimpleName()
                                : method.getName().equals("hashCode") ? System.identityHashCode(proxy) : proxy == args[0];
                    }
                    return call.invoke(proxy, method, args);
                }));
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}

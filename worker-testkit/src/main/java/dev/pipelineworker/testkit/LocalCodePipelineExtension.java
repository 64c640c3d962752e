package dev.pipelineworker.testkit;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Runs a {@link LocalCodePipeline} on a free port for JUnit 5 tests and injects it into test, lifecycle and
 * constructor parameters of type {@link LocalCodePipeline}.
 *
 * <p>Registered on a static field, or with {@code @ExtendWith(LocalCodePipelineExtension.class)}, it starts once
 * for the class and is {@link LocalCodePipeline#reset() reset} after each test (a {@code @Nested} class shares its
 * outer class's); on an instance field each test gets a fresh one. Its emulator lives in JUnit's
 * {@link ExtensionContext.Store} of the class or the test it was started for, and is closed when that ends.
 * Continuations follow at once, where the service waits about 30 s.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final LocalCodePipelineExtension CP = LocalCodePipelineExtension.create(b -> b.client(CLIENT_ID, TOKEN));
 *
 * @Test
 * void servesAJob(LocalCodePipeline codePipeline) { ... }
 * }</pre>
 */
public final class LocalCodePipelineExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(LocalCodePipelineExtension.class);

    private final LocalCodePipeline.Builder builder;
    /** The emulator running for this registration, for {@link #emulator()}; the store owns and closes it. */
    private volatile LocalCodePipeline current;

    /** The extension {@code @ExtendWith} creates: the same as {@link #create()}. */
    public LocalCodePipelineExtension() {
        this(testDefaults());
    }

    private LocalCodePipelineExtension(LocalCodePipeline.Builder builder) {
        this.builder = Objects.requireNonNull(builder, "builder");
    }

    /** An extension with the builder's defaults, except that continuations follow at once. */
    public static LocalCodePipelineExtension create() {
        return new LocalCodePipelineExtension();
    }

    /**
     * An extension with what {@code configuration} makes of the builder {@link #create()} uses (continuations
     * follow at once unless it sets {@link LocalCodePipeline.Builder#continuationDelay(Duration)}); its port should
     * stay 0.
     */
    public static LocalCodePipelineExtension create(UnaryOperator<LocalCodePipeline.Builder> configuration) {
        return new LocalCodePipelineExtension(Objects.requireNonNull(configuration.apply(testDefaults()),
                "the configured builder"));
    }

    private static LocalCodePipeline.Builder testDefaults() {
        return LocalCodePipeline.builder().continuationDelay(Duration.ZERO);
    }

    /**
     * The running emulator, for tests that keep the extension in a field; only inside a test or a callback after
     * this extension's. A test parameter of type {@link LocalCodePipeline} gets the same one.
     */
    public LocalCodePipeline emulator() {
        LocalCodePipeline running = current;
        if (running == null) {
            throw new IllegalStateException("the LocalCodePipeline runs only while a test runs");
        }
        return running;
    }

    /**
     * The emulator of this test or class, started now if it is not running yet: for extensions that build on this
     * one and for code that has the {@link ExtensionContext}.
     */
    public LocalCodePipeline emulator(ExtensionContext context) {
        return startIfNone(Objects.requireNonNull(context, "context"));
    }

    /** Shorthand for {@code emulator().endpoint()}. */
    public URI endpoint() {
        return emulator().endpoint();
    }

    /** The emulator for this context: its own, or the one of an enclosing class; null before any was started. */
    private LocalCodePipeline running(ExtensionContext context) {
        Running running = context.getStore(NAMESPACE).get(this, Running.class);
        return running == null ? null : running.emulator();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        startIfNone(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        startIfNone(context);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!stopIfOwn(context)) {
            LocalCodePipeline shared = running(context);
            if (shared != null) {
                shared.reset();
            }
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stopIfOwn(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == LocalCodePipeline.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return emulator(context);
    }

    private LocalCodePipeline startIfNone(ExtensionContext context) {
        LocalCodePipeline running = running(context);
        if (running == null) {
            running = builder.start();
            context.getStore(NAMESPACE).put(this, new Running(running, context.getUniqueId()));
            current = running;
        }
        return running;
    }

    /** Closes the emulator if it was started for this very context; false if it belongs to an enclosing one. */
    private boolean stopIfOwn(ExtensionContext context) {
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        Running running = store.get(this, Running.class);
        if (running == null || !running.owner().equals(context.getUniqueId())) {
            return false;
        }
        store.remove(this);
        current = null;
        running.close();
        return true;
    }

    /**
     * An emulator and the unique id of the context it was started for. AutoCloseable, so that JUnit versions that
     * close stored values close one a failed callback left behind.
     */
    private record Running(LocalCodePipeline emulator, String owner) implements AutoCloseable {
        @Override
        public void close() {
            emulator.close();
        }
    }
}

package dev.pipelineworker.testkit;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a {@link LocalCodePipeline} on a free port for JUnit 5 tests.
 *
 * <p>In a static field it starts once for the class and is {@link LocalCodePipeline#reset() reset} after each
 * test; in an instance field each test gets a fresh one.
 *
 * <pre>{@code
 * @RegisterExtension
 * static LocalCodePipelineExtension cp = LocalCodePipelineExtension.create();
 * }</pre>
 */
public final class LocalCodePipelineExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    private final LocalCodePipeline.Builder builder;
    private LocalCodePipeline emulator;
    private boolean perClass;

    private LocalCodePipelineExtension(LocalCodePipeline.Builder builder) {
        this.builder = Objects.requireNonNull(builder, "builder");
    }

    /** An extension with the builder's defaults, except that continuations follow at once. */
    public static LocalCodePipelineExtension create() {
        return of(LocalCodePipeline.builder().continuationDelay(Duration.ZERO));
    }

    /** An extension running what this builder configures (its port should stay 0). */
    public static LocalCodePipelineExtension of(LocalCodePipeline.Builder builder) {
        return new LocalCodePipelineExtension(builder);
    }

    /** The running emulator; only inside a test or a callback after this extension's. */
    public LocalCodePipeline emulator() {
        if (emulator == null) {
            throw new IllegalStateException("the LocalCodePipeline runs only while a test runs");
        }
        return emulator;
    }

    /** Shorthand for {@code emulator().endpoint()}. */
    public URI endpoint() {
        return emulator().endpoint();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        perClass = true;
        emulator = builder.start();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (!perClass) {
            emulator = builder.start();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (perClass) {
            emulator.reset();
        } else {
            stop();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (perClass) {
            stop();
        }
    }

    private void stop() {
        if (emulator != null) {
            emulator.close();
            emulator = null;
        }
    }
}

package dev.pipelineworker.testkit.s3;

import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.JobHandler;
import dev.pipelineworker.JobWorker;
import dev.pipelineworker.testkit.LocalCodePipeline;
import dev.pipelineworker.testkit.LocalCodePipelineExtension;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * End-to-end tests of a worker in the test's JVM, for JUnit 5: runs a {@link LocalCodePipeline} and a
 * {@link LocalS3} and injects test parameters of these types:
 *
 * <ul>
 *   <li>{@link LocalCodePipeline}: to enqueue jobs and read their results;
 *   <li>{@link LocalS3}: to put inputs and read outputs;
 *   <li>{@link LocalWorkers}: builders for any action type and handler, wired to both;
 *   <li>{@link JobWorker.Builder}: a fresh builder for the worker named in {@link #forWorker}, which the test
 *       builds, starts and closes.
 * </ul>
 *
 * <pre>{@code
 * @RegisterExtension
 * static final LocalWorkerExtension LOCAL = LocalWorkerExtension.forWorker(ACTION_TYPE, MyHandler::new);
 *
 * @Test
 * void writesTheReport(LocalCodePipeline codePipeline, LocalS3 s3, JobWorker.Builder worker) {
 *     s3.putZip("in/source.zip", Map.of("a.txt", "alpha"));
 *     try (JobWorker running = worker.build().start()) { ... }
 * }
 * }</pre>
 *
 * <p>Registered on a static field, or with {@code @ExtendWith(LocalWorkerExtension.class)}, the emulator and S3Mock
 * start once for the class ({@code @Nested} classes share them) and the emulator is reset after each test; on an
 * instance field each test gets its own. Objects in LocalS3 stay until it stops, so tests should use keys of their
 * own. The clients behind {@link LocalWorkers} are created for each test and closed after it. Everything lives in
 * JUnit's {@link ExtensionContext.Store}. Do not register a {@link LocalCodePipelineExtension} beside it: both would
 * offer the {@link LocalCodePipeline} parameter.
 */
public final class LocalWorkerExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(LocalWorkerExtension.class);
    /** The bucket LocalS3 creates unless {@link #bucket(String)} names another. */
    public static final String DEFAULT_BUCKET = "artifacts";

    private final Settings settings;
    private final LocalCodePipelineExtension codePipeline;

    /** The extension {@code @ExtendWith} creates: no worker of its own, bucket {@value #DEFAULT_BUCKET}, no KMS key. */
    public LocalWorkerExtension() {
        this(new Settings(null, null, DEFAULT_BUCKET, null, UnaryOperator.identity()));
    }

    private LocalWorkerExtension(Settings settings) {
        this.settings = settings;
        this.codePipeline = LocalCodePipelineExtension.create(settings.codePipeline());
    }

    /** An extension injecting {@link LocalCodePipeline}, {@link LocalS3} and {@link LocalWorkers}. */
    public static LocalWorkerExtension create() {
        return new LocalWorkerExtension();
    }

    /**
     * An extension that also injects a {@link JobWorker.Builder} for {@code actionType}, with a handler from
     * {@code handlers} for each test.
     */
    public static LocalWorkerExtension forWorker(ActionTypeId actionType, Supplier<? extends JobHandler> handlers) {
        return new LocalWorkerExtension(new Settings(Objects.requireNonNull(actionType, "actionType"),
                Objects.requireNonNull(handlers, "handlers"), DEFAULT_BUCKET, null, UnaryOperator.identity()));
    }

    /** This extension with LocalS3 creating {@code name} as its bucket (default {@value #DEFAULT_BUCKET}). */
    public LocalWorkerExtension bucket(String name) {
        return new LocalWorkerExtension(settings.withBucket(Objects.requireNonNull(name, "name")));
    }

    /** This extension with LocalS3 accepting {@code keyArn} for SSE-KMS (default: none, only the AWS managed key). */
    public LocalWorkerExtension kmsKey(String keyArn) {
        return new LocalWorkerExtension(settings.withKmsKey(Objects.requireNonNull(keyArn, "keyArn")));
    }

    /**
     * This extension with the emulator configured by {@code configuration}, applied to the builder
     * {@link LocalCodePipelineExtension#create(UnaryOperator)} starts from (continuations at once).
     */
    public LocalWorkerExtension codePipeline(UnaryOperator<LocalCodePipeline.Builder> configuration) {
        return new LocalWorkerExtension(settings.withCodePipeline(Objects.requireNonNull(configuration,
                "configuration")));
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        codePipeline.beforeAll(context);
        s3(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        codePipeline.beforeEach(context);
        s3(context);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        try {
            closeIfOwn(context, LocalWorkers.class);
            closeIfOwn(context, LocalS3.class);
        } finally {
            codePipeline.afterEach(context);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            closeIfOwn(context, LocalWorkers.class);
            closeIfOwn(context, LocalS3.class);
        } finally {
            codePipeline.afterAll(context);
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return codePipeline.supportsParameter(parameter, context) || type == LocalS3.class
                || type == LocalWorkers.class || type == JobWorker.Builder.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        if (type == LocalS3.class) {
            return s3(context);
        }
        if (type == LocalWorkers.class) {
            return workers(context);
        }
        if (type == JobWorker.Builder.class) {
            if (settings.actionType() == null) {
                throw new ParameterResolutionException("a JobWorker.Builder parameter needs the worker: register "
                        + "LocalWorkerExtension.forWorker(actionType, handler), or take LocalWorkers");
            }
            return workers(context).workerFor(settings.actionType(), settings.handlers().get());
        }
        return codePipeline.resolveParameter(parameter, context);
    }

    private LocalS3 s3(ExtensionContext context) {
        return startIfNone(context, LocalS3.class, () -> LocalS3.start(settings.bucket(), settings.kmsKeyArn()));
    }

    private LocalWorkers workers(ExtensionContext context) {
        LocalCodePipeline emulator = codePipeline.emulator(context);
        LocalS3 s3 = s3(context);
        return startIfNone(context, LocalWorkers.class, () -> LocalWorkers.of(emulator, s3));
    }

    private <T extends AutoCloseable> T startIfNone(ExtensionContext context, Class<T> type, Supplier<T> start) {
        Owned running = context.getStore(NAMESPACE).get(key(type), Owned.class);
        if (running != null) {
            return type.cast(running.resource());
        }
        T started = start.get();
        context.getStore(NAMESPACE).put(key(type), new Owned(started, context.getUniqueId()));
        return started;
    }

    private void closeIfOwn(ExtensionContext context, Class<?> type) {
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        Owned running = store.get(key(type), Owned.class);
        if (running != null && running.owner().equals(context.getUniqueId())) {
            store.remove(key(type));
            running.close();
        }
    }

    /** The store key of one of this registration's resources; two registrations keep theirs apart. */
    private Key key(Class<?> type) {
        return new Key(this, type);
    }

    private record Key(LocalWorkerExtension registration, Class<?> type) {
    }

    /**
     * A resource and the unique id of the context it was started for. AutoCloseable, so that JUnit versions that
     * close stored values close one a failed callback left behind.
     */
    private record Owned(AutoCloseable resource, String owner) implements AutoCloseable {
        @Override
        public void close() {
            try {
                resource.close();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("closing " + resource + " failed", e);
            }
        }
    }

    /** What the extension runs; immutable, each setter of the extension copies it with one change. */
    private record Settings(ActionTypeId actionType, Supplier<? extends JobHandler> handlers, String bucket,
                            String kmsKeyArn, UnaryOperator<LocalCodePipeline.Builder> codePipeline) {
        Settings withBucket(String newBucket) {
            return new Settings(actionType, handlers, newBucket, kmsKeyArn, codePipeline);
        }

        Settings withKmsKey(String keyArn) {
            return new Settings(actionType, handlers, bucket, keyArn, codePipeline);
        }

        Settings withCodePipeline(UnaryOperator<LocalCodePipeline.Builder> configuration) {
            return new Settings(actionType, handlers, bucket, kmsKeyArn, configuration);
        }
    }
}

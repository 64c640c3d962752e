package dev.pipelineworker.lambda.testing;

import com.amazonaws.services.lambda.runtime.Context;
import dev.pipelineworker.ArtifactAccess;
import dev.pipelineworker.ArtifactStore;
import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobFailureException;
import dev.pipelineworker.JobHandler;
import dev.pipelineworker.lambda.JobHandlerLambda;
import dev.pipelineworker.lambda.LambdaOptions;
import dev.pipelineworker.testkit.InMemoryArtifactStore;
import dev.pipelineworker.testkit.TestJob;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Invokes a {@link JobHandlerLambda} locally, through its real {@code handleRequest}, with the
 * event's input artifacts in an {@link InMemoryArtifactStore}: no AWS, no network. The function's
 * handler and options are kept; only the artifact store factory is replaced, per invocation.
 */
public final class LocalLambdaInvoker {

    /** The remaining time of the default context: 15 minutes, a Lambda's longest. */
    public static final Duration DEFAULT_REMAINING_TIME = Duration.ofMinutes(15);

    private final JobHandler handler;
    private final LambdaOptions options;
    private Duration remainingTime = DEFAULT_REMAINING_TIME;

    private LocalLambdaInvoker(JobHandler handler, LambdaOptions options) {
        this.handler = Objects.requireNonNull(handler, "handler");
        this.options = Objects.requireNonNull(options, "options");
    }

    /** An invoker for this function, keeping its handler and options. */
    public static LocalLambdaInvoker of(JobHandlerLambda function) {
        return new LocalLambdaInvoker(function.handler(), function.options());
    }

    /** An invoker for {@code handler} with default options. */
    public static LocalLambdaInvoker of(JobHandler handler) {
        return new LocalLambdaInvoker(handler, LambdaOptions.defaults());
    }

    /** An invoker for {@code handler} with these options (their artifact store is replaced). */
    public static LocalLambdaInvoker of(JobHandler handler, LambdaOptions options) {
        return new LocalLambdaInvoker(handler, options);
    }

    /** The remaining time of the context {@link #invoke(LambdaEvent)} creates. Default: 15 minutes. */
    public LocalLambdaInvoker remainingTime(Duration remaining) {
        this.remainingTime = Objects.requireNonNull(remaining, "remaining");
        return this;
    }

    /** Invokes the event built from {@code job} with a fresh {@link FakeLambdaContext}. */
    public LambdaResponse invoke(TestJob job) {
        return invoke(LambdaEvent.from(job));
    }

    /** Invokes {@code event} with a fresh {@link FakeLambdaContext}. */
    public LambdaResponse invoke(LambdaEvent event) {
        return invoke(event, FakeLambdaContext.withRemainingTime(remainingTime));
    }

    /** Invokes {@code event} with {@code context}. */
    public LambdaResponse invoke(LambdaEvent event, Context context) {
        InMemoryArtifactStore store = new InMemoryArtifactStore(event.inputContents(), event.outputArtifactNames());
        AtomicReference<ArtifactAccess> opened = new AtomicReference<>();
        JobHandlerLambda function = JobHandlerLambda.of(handler, options.withArtifactStores(access -> {
            opened.set(access);
            return new EventArtifacts(access, event.inputContents().keySet(), store);
        }));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            function.handleRequest(new ByteArrayInputStream(event.json().getBytes(StandardCharsets.UTF_8)), out,
                    context);
        } catch (IOException e) {
            throw new UncheckedIOException("in-memory streams do not fail", e);
        }
        Map<String, byte[]> outputs = store.outputs();
        return new LambdaResponse(event, out.toString(StandardCharsets.UTF_8), outputs, opened.get());
    }

    /**
     * The event's artifacts as the S3 store would serve them: an input the event declares but holds no bytes for is
     * a missing object (RevisionUnavailable), a name it does not declare is the in-memory store's ConfigurationError.
     */
    private static final class EventArtifacts implements ArtifactStore {
        private final ArtifactAccess access;
        private final Set<String> withContent;
        private final InMemoryArtifactStore store;

        EventArtifacts(ArtifactAccess access, Set<String> withContent, InMemoryArtifactStore store) {
            this.access = access;
            this.withContent = withContent;
            this.store = store;
        }

        @Override
        public InputStream openInput(String artifactName) {
            boolean declared = access.inputArtifacts().stream().anyMatch(a -> a.name().equals(artifactName));
            if (declared && !withContent.contains(artifactName)) {
                throw new JobFailureException(FailureType.REVISION_UNAVAILABLE,
                        "input artifact '" + artifactName + "' is not in the artifact store (the event carries no "
                                + "bytes for it: LambdaEvent.withInput)");
            }
            return store.openInput(artifactName);
        }

        @Override
        public void writeOutput(String artifactName, InputStream content, long contentLength) throws IOException {
            store.writeOutput(artifactName, content, contentLength);
        }
    }
}

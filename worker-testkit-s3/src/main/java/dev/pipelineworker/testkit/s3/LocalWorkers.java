package dev.pipelineworker.testkit.s3;

import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.JobHandler;
import dev.pipelineworker.JobWorker;
import dev.pipelineworker.OutcomeJournal;
import dev.pipelineworker.s3.S3ArtifactStoreFactory;
import dev.pipelineworker.testkit.LocalCodePipeline;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;

/**
 * Real workers in the test's own JVM, wired to a running {@link LocalCodePipeline} and {@link LocalS3}: one call to
 * {@link #workerFor(ActionTypeId, JobHandler)} gives a {@link JobWorker.Builder} whose CodePipeline client, client
 * tokens and S3 artifact store point at them, where a deployed worker finds AWS through the environment.
 *
 * <pre>{@code
 * try (LocalWorkers local = LocalWorkers.of(codePipeline, s3);
 *      JobWorker worker = local.workerFor(ACTION_TYPE, new MyHandler()).build().start()) {
 *     JobInfo job = codePipeline.enqueue(JobSpec.builder(ACTION_TYPE)...build());
 *     RecordedResult result = codePipeline.awaitFinalResult(job.actionExecutionId(), Duration.ofSeconds(30));
 * }
 * }</pre>
 *
 * <p>It owns what it creates (an S3 artifact store factory with LocalS3's endpoint, {@link LocalS3#REGION} and
 * path-style S3, and the workers' journal directory) and closes it on {@link #close()}; close the workers first.
 * The CodePipeline clients are the emulator's own ({@link LocalCodePipeline#client(String)}). {@code LocalWorkerExtension} does all of this for
 * JUnit 5 tests.
 */
public final class LocalWorkers implements AutoCloseable {

    private final LocalCodePipeline codePipeline;
    private final LocalS3 s3;
    private final S3ArtifactStoreFactory artifactStores;
    private final Path journals;
    private final AtomicInteger workers = new AtomicInteger();

    private LocalWorkers(LocalCodePipeline codePipeline, LocalS3 s3) {
        this.codePipeline = Objects.requireNonNull(codePipeline, "codePipeline");
        this.s3 = Objects.requireNonNull(s3, "s3");
        try {
            this.journals = Files.createTempDirectory("pipeline-worker-test-journals-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.artifactStores = S3ArtifactStoreFactory.builder()
                .endpointOverride(s3.endpoint())
                .forcePathStyle(true)
                .region(LocalS3.REGION)
                .build();
    }

    /** Clients for this running emulator and this LocalS3; close them with {@link #close()}. */
    public static LocalWorkers of(LocalCodePipeline codePipeline, LocalS3 s3) {
        return new LocalWorkers(codePipeline, s3);
    }

    /**
     * A builder for a worker serving {@code actionType} with {@code handler} from the emulator, with its artifacts in
     * LocalS3: {@link LocalCodePipeline#workerFor(ActionTypeId, JobHandler) the emulator's worker builder} (its
     * clients for each region served, its client tokens, eager idle polling), the artifact store factory of this
     * object, and a journal directory of its own (so that no outcome an earlier test left behind reaches this
     * emulator). Everything else is the builder's default, and any of it may be set again. A new builder on every
     * call; the caller closes the worker.
     */
    public JobWorker.Builder workerFor(ActionTypeId actionType, JobHandler handler) {
        return codePipeline.workerFor(actionType, handler)
                .artifactStoreFactory(artifactStores)
                .outcomeJournal(OutcomeJournal.inDirectory(journals.resolve("worker-" + workers.incrementAndGet()),
                        OutcomeJournal.Durability.PROCESS_CRASH));
    }

    /** The CodePipeline client the workers use in the emulator's default region; the emulator closes it. */
    public CodePipelineClient codePipelineClient() {
        return codePipeline.client(codePipeline.defaultRegion());
    }

    /** The artifact store factory the workers use, pointed at LocalS3. */
    public S3ArtifactStoreFactory artifactStoreFactory() {
        return artifactStores;
    }

    /** The emulator the workers poll. */
    public LocalCodePipeline codePipeline() {
        return codePipeline;
    }

    /** The S3 that holds the workers' artifacts. */
    public LocalS3 s3() {
        return s3;
    }

    /** Closes the artifact store factory and deletes the journal directory; the emulator and LocalS3 keep running. */
    @Override
    public void close() {
        try {
            artifactStores.close();
        } finally {
            deleteJournals();
        }
    }

    private void deleteJournals() {
        try (Stream<Path> paths = Files.walk(journals)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // Only temporary files are left behind; a test should not fail for them.
        }
    }

    @Override
    public String toString() {
        return "LocalWorkers[" + codePipeline + ", " + s3 + "]";
    }
}

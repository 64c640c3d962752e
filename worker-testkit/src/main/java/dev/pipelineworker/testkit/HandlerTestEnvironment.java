package dev.pipelineworker.testkit;

import dev.pipelineworker.Artifact;
import dev.pipelineworker.JobContext;
import dev.pipelineworker.JobHandler;
import dev.pipelineworker.actiontype.ActionTypeDefinition;
import dev.pipelineworker.internal.Cancellation;
import dev.pipelineworker.internal.ConfigurationCheck;
import dev.pipelineworker.internal.ContinuationCodec;
import dev.pipelineworker.internal.HandlerInvocation;
import dev.pipelineworker.internal.OutcomeValidator;
import dev.pipelineworker.internal.ScratchSpace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link JobHandler} against a {@link TestJob} on the calling thread, with in-memory
 * artifacts and a {@link TestClock}: no AWS, no network. The handler runs through the same code
 * as under the worker: it sees the same {@link JobContext} (MDC included), and the
 * {@link JobResult} holds exactly the outcome the worker would report, its exceptions and
 * {@code null} mapped to failures and everything fitted to the CodePipeline limits (long texts
 * truncated, an outcome that cannot be sent failed saying why). One exception: an
 * {@link AssertionError} the handler throws is rethrown, so an assertion inside a handler fails
 * the test.
 *
 * <p>{@link JobContext#scratchDirectory()} works as under the worker, in a temporary directory of
 * this environment's own; each job's scratch directory is deleted after its run, as the worker
 * deletes it after the report. {@link JobResult#scratchFiles()} lists what the handler left there.
 * Not thread-safe: run one job at a time.
 */
public final class HandlerTestEnvironment {

    /** Where the clock of {@link #create()} starts. */
    public static final Instant DEFAULT_START = Instant.parse("2025-01-01T00:00:00Z");

    private static final Logger LOG = LoggerFactory.getLogger(HandlerTestEnvironment.class);

    private final TestClock clock;
    // A random name, created on first use only: a test that never asks for a scratch directory creates nothing.
    private final ScratchSpace scratch = new ScratchSpace(Path.of(System.getProperty("java.io.tmpdir"),
            "pipeline-worker-testkit-" + UUID.randomUUID()));
    private Duration jobTimeout = Duration.ofHours(1);
    private Duration continuationDelay = Duration.ofSeconds(30);
    private ConfigurationCheck configuration = ConfigurationCheck.none();
    /** The job whose handler runs now, for {@link #cancelRunningJob()} from any thread; null between runs. */
    private volatile Running running;

    private HandlerTestEnvironment(TestClock clock) {
        this.clock = clock;
    }

    /** An environment whose clock reads {@link #DEFAULT_START}. */
    public static HandlerTestEnvironment create() {
        return new HandlerTestEnvironment(new TestClock(DEFAULT_START));
    }

    /** The clock that job deadlines and {@link JobContext#remaining()} follow; hand it to handlers that read time. */
    public TestClock clock() {
        return clock;
    }

    /** How long each job may run, from the clock's time when it starts. Default: 1 hour. */
    public HandlerTestEnvironment jobTimeout(Duration timeout) {
        this.jobTimeout = requirePositive(timeout, "jobTimeout");
        return this;
    }

    /** How far {@link #runUntilDone} moves the clock between jobs. Default: 30 seconds, as CodePipeline waits. */
    public HandlerTestEnvironment continuationDelay(Duration delay) {
        this.continuationDelay = requirePositive(delay, "continuationDelay");
        return this;
    }

    /**
     * Checks jobs of the declared type against {@code definition} before the handler runs, as the worker does: a
     * job missing a required property fails with ConfigurationError, and a handler that reads a property the
     * definition does not declare fails the test's job with an {@link IllegalStateException} naming the key
     * ({@link JobResult#thrown()}). Default: no definition.
     */
    public HandlerTestEnvironment actionType(ActionTypeDefinition definition) {
        this.configuration = ConfigurationCheck.of(definition);
        return this;
    }

    /** Runs one job; rethrows an AssertionError the handler threw. */
    public JobResult run(JobHandler handler, TestJob job) {
        Objects.requireNonNull(handler, "handler");
        InMemoryArtifactStore store = new InMemoryArtifactStore(job.inputContents(),
                job.outputArtifacts().stream().map(Artifact::name).toList());
        ContinuationCodec codec = ContinuationCodec.defaults();
        HandlerInvocation invocation = new HandlerInvocation(handler,
                new OutcomeValidator(job.data().actionTypeId().owner(), codec), codec, clock, scratch, configuration,
                LOG);
        Cancellation cancellation = new Cancellation();
        HandlerInvocation.Result result;
        Set<String> scratchFiles;
        Running run = new Running(cancellation, Thread.currentThread());
        running = run;
        try {
            result = invocation.run(job.data(), clock.instant().plus(jobTimeout), () -> store, cancellation);
            scratchFiles = filesIn(scratch.directoryFor(job.jobId()));
        } finally {
            running = null;
            run.end();
            deleteScratch(job.jobId());
        }
        if (result.thrown() instanceof AssertionError assertion) {
            throw assertion;
        }
        return new JobResult(job, result.outcome(), result.thrown(), store.outputs(), scratchFiles,
                cancellation.isCancelled());
    }

    /**
     * Cancels the job whose handler is running, as CodePipeline does when its action execution is abandoned or its
     * pipeline execution stopped or cancelled, and a cancelling extension (worker-events) tells the worker: its
     * context's {@link JobContext#isCancelled()} turns true, the actions it registered with
     * {@link JobContext#onCancel(Runnable)} run on the calling thread, and the handler's thread is interrupted. Call
     * it from the handler itself (first thing, for a job cancelled at once) or from a thread the handler waits on,
     * such as a fake of the remote work it drives. The worker reports nothing for a cancelled job, whatever its
     * handler then returns: {@link JobResult#isCancelled()}.
     *
     * @return true if it cancelled a running job; false if no handler was running or its job was cancelled already
     */
    public boolean cancelRunningJob() {
        Running job = running;
        return job != null && job.cancel();
    }

    private void deleteScratch(String jobId) {
        try {
            scratch.delete(jobId);
            scratch.deleteRootIfEmpty();
        } catch (IOException e) {
            LOG.warn("job {}: deleting its scratch directory failed: {}", jobId, e.toString());
        }
    }

    /** The paths, relative and '/'-separated, of everything but directories under {@code directory}. */
    private static Set<String> filesIn(Path directory) {
        if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
            return Set.of();
        }
        Set<String> files = new TreeSet<>();
        try {
            Files.walkFileTree(directory, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    files.add(directory.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/"));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("the job's scratch directory cannot be listed", e);
        }
        return files;
    }

    /**
     * Runs {@code first}, then, while the handler continues, moves the clock by the continuation
     * delay and runs the next job; at most {@code maxJobs} jobs. Throws an AssertionError if the
     * handler is still continuing after {@code maxJobs}.
     */
    public ChainResult runUntilDone(JobHandler handler, TestJob first, int maxJobs) {
        if (maxJobs < 1) {
            throw new IllegalArgumentException("maxJobs must be at least 1, got " + maxJobs);
        }
        List<JobResult> results = new ArrayList<>();
        TestJob job = first;
        while (true) {
            JobResult result = run(handler, job);
            results.add(result);
            if (!result.isContinue()) {
                return new ChainResult(results);
            }
            if (results.size() == maxJobs) {
                throw new AssertionError("the handler still continues after " + maxJobs + " jobs; last outcome: "
                        + result.outcome());
            }
            clock.advance(continuationDelay);
            job = result.nextJob();
        }
    }

    /** A run's cancellation and thread: an interrupt reaches the thread only while the run lasts. */
    private static final class Running {
        private final Cancellation cancellation;
        private final Thread thread;
        private boolean ended;

        Running(Cancellation cancellation, Thread thread) {
            this.cancellation = cancellation;
            this.thread = thread;
        }

        /** Cancels, running the onCancel actions outside the lock, then interrupts the handler if it still runs. */
        boolean cancel() {
            if (!cancellation.cancel()) {
                return false;
            }
            synchronized (this) {
                if (!ended) {
                    thread.interrupt();
                }
            }
            return true;
        }

        /** Ends the run on its own thread; the interrupt was for the handler, as the worker's is, not for the test. */
        void end() {
            synchronized (this) {
                ended = true;
            }
            if (cancellation.isCancelled()) {
                Thread.interrupted();
            }
        }
    }

    private static Duration requirePositive(Duration duration, String name) {
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + duration);
        }
        return duration;
    }
}

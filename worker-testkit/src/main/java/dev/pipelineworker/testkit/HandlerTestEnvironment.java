package dev.pipelineworker.testkit;

import dev.pipelineworker.Artifact;
import dev.pipelineworker.JobContext;
import dev.pipelineworker.JobHandler;
import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.internal.ContinuationCodec;
import dev.pipelineworker.internal.DefaultJobContext;
import dev.pipelineworker.internal.OutcomeMapper;
import dev.pipelineworker.internal.OutcomeValidator;
import dev.pipelineworker.internal.channel.Report;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Runs a {@link JobHandler} against a {@link TestJob} on the calling thread, with in-memory
 * artifacts and a {@link TestClock}: no AWS, no network. The handler sees the same
 * {@link JobContext} the worker builds, and its exceptions, and outcomes the worker could not send,
 * become the failures the worker reports.
 */
public final class HandlerTestEnvironment {

    /** Where the clock of {@link #create()} starts. */
    public static final Instant DEFAULT_START = Instant.parse("2025-01-01T00:00:00Z");

    private final TestClock clock;
    private Duration jobTimeout = Duration.ofHours(1);
    private Duration continuationDelay = Duration.ofSeconds(30);

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

    /** Runs one job. */
    public JobResult run(JobHandler handler, TestJob job) {
        Objects.requireNonNull(handler, "handler");
        InMemoryArtifactStore store = new InMemoryArtifactStore(job.inputContents(),
                job.outputArtifacts().stream().map(Artifact::name).toList());
        JobContext context = new DefaultJobContext(job.data(), clock.instant().plus(jobTimeout), clock,
                ContinuationCodec.defaults(), () -> store);
        JobOutcome outcome;
        Throwable thrown = null;
        try {
            outcome = OutcomeMapper.orFailure(handler.handle(context));
        } catch (AssertionError e) {
            // An assertion inside a test's handler must fail the test, not turn into a Fail outcome.
            throw e;
        } catch (Throwable e) {
            thrown = e;
            outcome = OutcomeMapper.fromThrowable(e);
        }
        return new JobResult(job, asTheWorkerWouldReport(outcome, job), thrown, store.outputs());
    }

    // The worker turns an outcome it cannot send (output variables on a third-party job, an
    // over-long continuation) into a failure; a test must see that failure, not the raw outcome.
    private static JobOutcome asTheWorkerWouldReport(JobOutcome outcome, TestJob job) {
        if (outcome instanceof JobOutcome.Fail) {
            return outcome;
        }
        Report report = new OutcomeValidator(job.data().actionTypeId().owner(), ContinuationCodec.defaults())
                .validate(outcome);
        return report instanceof Report.Failure failure
                ? JobOutcome.fail(failure.type(), failure.message()).withExternalExecutionId(failure.externalExecutionId())
                : outcome;
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

    private static Duration requirePositive(Duration duration, String name) {
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + duration);
        }
        return duration;
    }
}

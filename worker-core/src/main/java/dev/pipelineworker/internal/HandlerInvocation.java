package dev.pipelineworker.internal;

import dev.pipelineworker.ArtifactStore;
import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobFailureException;
import dev.pipelineworker.JobHandler;
import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.internal.channel.Report;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * The one way a {@link JobHandler} is run, whether the polling worker, the Lambda entry point or
 * the testkit calls it, so that a handler ends the same way under all three. It builds the job's
 * context (the artifact store opened on first use, the scratch directory created on first use),
 * puts the job's identity in the MDC, calls the handler, turns a {@code null} or anything thrown
 * into a failure with {@link OutcomeMapper}, logs a handler failure, closes the store, and fits
 * the outcome to the API limits with {@link OutcomeValidator}: the {@link Result} holds the report
 * that is to be sent. It runs on the calling thread and knows nothing of deadlines: interrupting a
 * handler that overran is the caller's job, as is deleting the scratch directory after the report.
 */
public final class HandlerInvocation {

    private final JobHandler handler;
    private final OutcomeValidator validator;
    private final ContinuationCodec codec;
    private final Clock clock;
    private final ScratchSpace scratch;
    private final ConfigurationCheck configuration;
    private final Logger log;

    /**
     * Runs {@code handler} with {@code validator} and {@code codec} for the engine's limits and
     * continuation state, {@code clock} for the context's remaining time, job scratch directories
     * under {@code scratch}, and logs to {@code log}.
     */
    public HandlerInvocation(JobHandler handler, OutcomeValidator validator, ContinuationCodec codec, Clock clock,
                             ScratchSpace scratch, Logger log) {
        this(handler, validator, codec, clock, scratch, ConfigurationCheck.none(), log);
    }

    /**
     * As the other constructor, and checks each job's configuration with {@code configuration} first: a job the
     * check refuses fails with ConfigurationError without its handler running.
     */
    public HandlerInvocation(JobHandler handler, OutcomeValidator validator, ContinuationCodec codec, Clock clock,
                             ScratchSpace scratch, ConfigurationCheck configuration, Logger log) {
        this.configuration = Objects.requireNonNull(configuration, "configuration");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.validator = Objects.requireNonNull(validator, "validator");
        this.codec = Objects.requireNonNull(codec, "codec");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.scratch = Objects.requireNonNull(scratch, "scratch");
        this.log = Objects.requireNonNull(log, "log");
    }

    /**
     * How a run ended.
     *
     * @param report   what is to be sent: validated, every member within the API's limits
     * @param thrown   what the handler threw, or {@code null} when it returned
     * @param duration how long the handler took, closing its artifact store included
     */
    public record Result(Report report, Throwable thrown, Duration duration) {
        public Result {
            Objects.requireNonNull(report, "report");
            Objects.requireNonNull(duration, "duration");
        }

        /** The report as an outcome: what the worker reports, in the handler's terms. */
        public JobOutcome outcome() {
            if (report instanceof Report.Failure failure) {
                return new JobOutcome.Fail(failure.type(), failure.message(), failure.externalExecutionId());
            }
            Report.Success success = (Report.Success) report;
            if (success.isContinuation()) {
                return new JobOutcome.Continue(success.continuationToken(), null, success.summary(),
                        success.externalExecutionId(), success.percentComplete());
            }
            return new JobOutcome.Success(success.summary(), success.externalExecutionId(),
                    success.percentComplete(), success.currentRevision(), success.outputVariables());
        }
    }

    /**
     * Runs the handler once for {@code job}, whose deadline the context reports as {@code deadline}.
     * {@code openStore} is asked for the job's artifact store the first time the handler needs it.
     * Never throws for anything the handler does.
     */
    public Result run(JobData claimed, Instant deadline, Supplier<ArtifactStore> openStore) {
        return run(claimed, deadline, openStore, new Cancellation());
    }

    /** As {@link #run(JobData, Instant, Supplier)}, with the job's {@code cancellation} signal for its context. */
    public Result run(JobData claimed, Instant deadline, Supplier<ArtifactStore> openStore, Cancellation cancellation) {
        Optional<String> refused = configuration.problem(claimed);
        if (refused.isPresent()) {
            log.info("job {} failed before its handler ran: {}", claimed.jobId(), refused.get());
            return new Result(validator.validate(JobOutcome.fail(FailureType.CONFIGURATION_ERROR, refused.get())),
                    null, Duration.ZERO);
        }
        JobData job = configuration.declare(claimed);
        LazyArtifactStore store = new LazyArtifactStore(openStore);
        DefaultJobContext context = new DefaultJobContext(job, deadline, clock, codec, store,
                new LazyScratchDirectory(scratch, job.jobId()), cancellation);
        long started = System.nanoTime();
        JobOutcome outcome;
        Throwable thrown = null;
        try (JobMdc mdc = JobMdc.open(job.jobId(), job.pipeline(), job.region())) {
            try {
                outcome = OutcomeMapper.orFailure(handler.handle(context));
            } catch (Throwable error) {
                thrown = error;
                outcome = OutcomeMapper.fromThrowable(error);
                logFailure(job.jobId(), error);
            } finally {
                store.close().ifPresent(e -> log.warn("job {}: closing the artifact store failed: {}", job.jobId(),
                        RateLimitedLog.describe(e)));
            }
        }
        Duration duration = Duration.ofNanos(System.nanoTime() - started);
        return new Result(validator.validate(outcome), thrown, duration);
    }

    private void logFailure(String jobId, Throwable error) {
        if (error instanceof JobFailureException) {
            log.info("job {} failed by the handler: {}", jobId, error.getMessage());
            return;
        }
        if (error instanceof VirtualMachineError) {
            log.error("job {}: the handler threw {}; the JVM is in trouble, the job is reported as failed", jobId,
                    error.getClass().getName());
        } else {
            log.warn("job {}: the handler threw {}", jobId, error.getClass().getName());
        }
        log.debug("handler exception", error);
    }

    /** A job's scratch directory, created on the first call and the same path on every later one. */
    private static final class LazyScratchDirectory implements Supplier<Path> {
        private final ScratchSpace scratch;
        private final String jobId;
        private Path directory;

        LazyScratchDirectory(ScratchSpace scratch, String jobId) {
            this.scratch = scratch;
            this.jobId = jobId;
        }

        @Override
        public synchronized Path get() {
            if (directory == null) {
                try {
                    directory = scratch.create(jobId);
                } catch (IOException e) {
                    throw new JobFailureException(FailureType.JOB_FAILED,
                            "the job's scratch directory cannot be created: " + RateLimitedLog.describe(e));
                }
            }
            return directory;
        }
    }
}

package dev.pipelineworker.internal.runtime;

import dev.pipelineworker.ArtifactStoreFactory;
import dev.pipelineworker.Backoff;
import dev.pipelineworker.JobHandler;
import dev.pipelineworker.JobObserver;
import dev.pipelineworker.JobWorkerListener;
import dev.pipelineworker.OutcomeJournal;
import dev.pipelineworker.internal.ConfigurationCheck;
import dev.pipelineworker.internal.ContinuationCodec;
import dev.pipelineworker.internal.OutcomeValidator;
import dev.pipelineworker.internal.ScratchSpace;
import dev.pipelineworker.internal.Sleeper;
import dev.pipelineworker.internal.channel.JobChannel;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;

/**
 * Everything the runtime needs, resolved (defaults applied, clients built), in groups that each part of the
 * runtime takes whole: the channel of every queue the worker serves (one poll loop each, sharing the rest), the
 * poll loop's {@link Polling}, the run of a job {@link Handling} and {@link Limits}, the report pipeline
 * {@link Reporting}.
 */
public record WorkerSettings(List<JobChannel> channels, Handling handling, OutcomeJournal journal, Limits limits,
                             Polling polling, Reporting reporting, Threads threads, Seams seams,
                             JobWorkerListener listener, JobObserver observer) {

    public WorkerSettings {
        channels = List.copyOf(channels);
        if (channels.isEmpty()) {
            throw new IllegalArgumentException("a worker serves at least one queue");
        }
        Objects.requireNonNull(handling, "handling");
        Objects.requireNonNull(journal, "journal");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(polling, "polling");
        Objects.requireNonNull(reporting, "reporting");
        Objects.requireNonNull(threads, "threads");
        Objects.requireNonNull(seams, "seams");
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(observer, "observer");
    }

    /**
     * What runs a job: the handler, the validator and codec that shape its outcome, the artifact stores
     * ({@code null} when none is configured or discovered), where jobs get their scratch directories, and the
     * check of a job's configuration against the declared action type.
     */
    public record Handling(JobHandler handler, OutcomeValidator validator, ContinuationCodec codec,
                           ArtifactStoreFactory artifactStores, ScratchSpace scratch, ConfigurationCheck configuration) {
        public Handling {
            Objects.requireNonNull(handler, "handler");
            Objects.requireNonNull(validator, "validator");
            Objects.requireNonNull(codec, "codec");
            Objects.requireNonNull(scratch, "scratch");
            Objects.requireNonNull(configuration, "configuration");
        }

        /** Handling without a declared action type. */
        public Handling(JobHandler handler, OutcomeValidator validator, ContinuationCodec codec,
                        ArtifactStoreFactory artifactStores, ScratchSpace scratch) {
            this(handler, validator, codec, artifactStores, scratch, ConfigurationCheck.none());
        }
    }

    /** How many jobs run at once, how long each may run, and how long running jobs get at shutdown. */
    public record Limits(int maxConcurrentJobs, Duration jobTimeout, Duration shutdownGrace) {
        public Limits {
            if (maxConcurrentJobs < 1) {
                throw new IllegalArgumentException("maxConcurrentJobs must be at least 1");
            }
            Objects.requireNonNull(jobTimeout, "jobTimeout");
            Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        }
    }

    /** The waits after an empty, a failed and a throttled poll. */
    public record Polling(Backoff idle, Backoff error, Backoff throttle) {
        public Polling {
            Objects.requireNonNull(idle, "idle");
            Objects.requireNonNull(error, "error");
            Objects.requireNonNull(throttle, "throttle");
        }
    }

    /** How often, and with what waits, a result (and an acknowledgement without an answer) is sent. */
    public record Reporting(int maxAttempts, Backoff backoff) {
        public Reporting {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1");
            }
            Objects.requireNonNull(backoff, "backoff");
        }
    }

    /** Where jobs run, where deadlines fire, and how the runtime makes its own threads. */
    public record Threads(ExecutorService jobExecutor, ScheduledExecutorService scheduler, ThreadFactory factory) {
        public Threads {
            Objects.requireNonNull(jobExecutor, "jobExecutor");
            Objects.requireNonNull(scheduler, "scheduler");
            Objects.requireNonNull(factory, "factory");
        }
    }

    /** The time, randomness and sleeping the runtime uses, injected so tests control them. */
    public record Seams(Clock clock, Random random, Sleeper sleeper) {
        public Seams {
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(random, "random");
            Objects.requireNonNull(sleeper, "sleeper");
        }
    }
}

package dev.pipelineworker.internal;

import dev.pipelineworker.ArtifactStoreFactory;
import dev.pipelineworker.Backoff;
import dev.pipelineworker.JobHandler;
import dev.pipelineworker.JobWorkerListener;
import dev.pipelineworker.OutcomeJournal;
import dev.pipelineworker.internal.channel.JobChannel;
import java.time.Clock;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;

/**
 * Everything the runtime needs, resolved: defaults applied, clients built.
 * {@code artifactStores} may be {@code null} when no store is configured or discovered.
 */
public record WorkerSettings(
        JobChannel channel,
        JobHandler handler,
        OutcomeValidator validator,
        ContinuationCodec codec,
        ArtifactStoreFactory artifactStores,
        OutcomeJournal journal,
        int maxConcurrentJobs,
        ExecutorService jobExecutor,
        ScheduledExecutorService scheduler,
        ThreadFactory threadFactory,
        Backoff idleBackoff,
        Backoff errorBackoff,
        Backoff throttleBackoff,
        int reportMaxAttempts,
        Backoff reportBackoff,
        Duration jobTimeout,
        Duration shutdownGrace,
        JobWorkerListener listener,
        Clock clock,
        Random random,
        Sleeper sleeper) {
}

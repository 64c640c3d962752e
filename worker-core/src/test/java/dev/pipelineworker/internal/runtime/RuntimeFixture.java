package dev.pipelineworker.internal.runtime;

import dev.pipelineworker.ActionOwner;
import dev.pipelineworker.ArtifactStoreFactory;
import dev.pipelineworker.Backoff;
import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobHandler;
import dev.pipelineworker.JobObserver;
import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.JobQueue;
import dev.pipelineworker.JobWorkerListener;
import dev.pipelineworker.OutcomeJournal;
import dev.pipelineworker.internal.ContinuationCodec;
import dev.pipelineworker.internal.OutcomeValidator;
import dev.pipelineworker.internal.SafeListener;
import dev.pipelineworker.internal.SafeObserver;
import dev.pipelineworker.internal.ScratchSpace;
import dev.pipelineworker.internal.Sleeper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A {@link WorkerRuntime} on {@link FakeChannel}s for the focused runtime tests: exact backoffs (no jitter), a
 * {@link Sleeper} that records every wait and hardly sleeps, a listener that records what it hears as lines, and
 * the executors it made shut down after each test. Register it with {@code @RegisterExtension}; tests change its
 * fields before {@link #start}.
 */
final class RuntimeFixture implements AfterEachCallback {

    static final Duration WAIT = Duration.ofSeconds(15);
    /** Idle waits: 10, 20, 40, 80, 80 ... ms. */
    static final Backoff IDLE = Backoff.exponential(Duration.ofMillis(10), Duration.ofMillis(80)).withJitter(0);
    /** Waits after a failed poll: 200, 400, 800, 1000 ... ms. */
    static final Backoff ERROR = Backoff.exponential(Duration.ofMillis(200), Duration.ofSeconds(1)).withJitter(0);
    /** Waits after a throttled poll: 500, 1000, 2000, 4000, 5000 ... ms. */
    static final Backoff THROTTLE = Backoff.exponential(Duration.ofMillis(500), Duration.ofSeconds(5)).withJitter(0);

    final FakeChannel channel = new FakeChannel();
    List<FakeChannel> channels = List.of(channel);
    /** Every wait the poll loops asked the sleeper for, in order. */
    final List<Duration> sleeps = new CopyOnWriteArrayList<>();
    /**
     * What the listener heard, one line a call, e.g. {@code "polled 2 0"}, {@code "failed j1 JobFailed"} or
     * {@code "pollFailed us-east-1 SdkClientException"}.
     */
    final List<String> events = new CopyOnWriteArrayList<>();
    final Sleeper recordingSleeper = duration -> {
        sleeps.add(duration);
        try {
            Thread.sleep(1);
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    };
    Sleeper sleeper = recordingSleeper;
    /** A second listener, after the recording one. */
    JobWorkerListener alsoListening = new JobWorkerListener() { };
    JobObserver observer = JobObserver.NONE;
    OutcomeJournal journal = OutcomeJournal.disabled();
    int capacity = 2;
    Duration jobTimeout = Duration.ofSeconds(30);
    Duration grace = Duration.ofSeconds(5);
    int reportAttempts = 3;
    Backoff idle = IDLE;
    Clock clock = Clock.systemUTC();
    /** Per job, the durations the listener was told when its result was accepted: to report, and since the claim. */
    final Map<String, List<Duration>> acceptedAfter = new ConcurrentHashMap<>();
    /** The artifact stores; none configured when null. */
    ArtifactStoreFactory artifactStores;
    /** The job executor; a fixed pool of {@link #capacity} threads when left null. */
    ExecutorService jobs;
    final ScratchSpace scratch;
    WorkerRuntime runtime;
    private final List<ExecutorService> executors = new ArrayList<>();

    /** Each job's observation ends here, by job id, once {@link #observer} is {@link #recordEndings()}. */
    final Map<String, JobObserver.JobEnding> endings = new ConcurrentHashMap<>();
    private final Path scratchRoot;

    RuntimeFixture() {
        try {
            scratchRoot = Files.createTempDirectory("runtime-test-scratch");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.scratch = new ScratchSpace(scratchRoot);
    }

    /** An observer that records how each job's observation ended in {@link #endings}. */
    JobObserver recordEndings() {
        return (queue, jobId) -> new JobObserver.JobObservation() {
            @Override
            public void ended(JobObserver.JobEnding ending) {
                endings.put(jobId, ending);
            }
        };
    }

    /** Builds and starts the runtime with {@code handler}. */
    WorkerRuntime start(JobHandler handler) {
        runtime = new WorkerRuntime(settings(handler));
        runtime.start();
        return runtime;
    }

    WorkerSettings settings(JobHandler handler) {
        if (jobs == null) {
            jobs = Executors.newFixedThreadPool(capacity);
        }
        executors.add(jobs);
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        executors.add(scheduler);
        OutcomeValidator validator = new OutcomeValidator(ActionOwner.THIRD_PARTY, ContinuationCodec.defaults());
        return new WorkerSettings(List.copyOf(channels),
                new WorkerSettings.Handling(handler, validator, ContinuationCodec.defaults(), artifactStores,
                        scratch),
                journal,
                new WorkerSettings.Limits(capacity, jobTimeout, grace),
                new WorkerSettings.Polling(idle, ERROR, THROTTLE),
                new WorkerSettings.Reporting(reportAttempts,
                        Backoff.exponential(Duration.ofMillis(1), Duration.ofMillis(5)).withJitter(0)),
                new WorkerSettings.Threads(jobs, scheduler, Executors.defaultThreadFactory()),
                new WorkerSettings.Seams(clock, new Random(1), sleeper),
                new SafeListener(List.of(recordingListener(), alsoListening)), new SafeObserver(observer));
    }

    private JobWorkerListener recordingListener() {
        return new JobWorkerListener() {
            @Override
            public void polled(JobQueue queue, int requested, int received) {
                events.add("polled " + requested + " " + received);
            }

            @Override
            public void pollFailed(JobQueue queue, Throwable error, boolean throttled) {
                events.add("pollFailed " + queue.region().id() + " " + error.getClass().getSimpleName()
                        + (throttled ? " throttled" : ""));
            }

            @Override
            public void claimed(JobQueue queue, String jobId) {
                events.add("claimed " + jobId);
            }

            @Override
            public void lostToOtherWorker(JobQueue queue, String jobId) {
                events.add("lost " + jobId);
            }

            @Override
            public void handlerFinished(JobQueue queue, String jobId, Duration duration, JobOutcome outcome) {
                events.add("handlerFinished " + jobId);
            }

            @Override
            public void succeeded(JobQueue queue, String jobId) {
                events.add("succeeded " + jobId);
            }

            @Override
            public void continued(JobQueue queue, String jobId) {
                events.add("continued " + jobId);
            }

            @Override
            public void resultAccepted(JobQueue queue, String jobId, Duration reportDuration, Duration sinceClaim) {
                events.add("resultAccepted " + jobId + (sinceClaim == null ? " recovered" : ""));
                acceptedAfter.put(jobId, sinceClaim == null ? List.of(reportDuration)
                        : List.of(reportDuration, sinceClaim));
            }

            @Override
            public void failed(JobQueue queue, String jobId, FailureType type) {
                events.add("failed " + jobId + " " + type.apiName());
            }

            @Override
            public void reportRetried(JobQueue queue, String jobId, int attempt, Throwable error) {
                events.add("reportRetried " + jobId + " " + attempt);
            }

            @Override
            public void reportAbandoned(JobQueue queue, String jobId, Throwable error) {
                events.add("reportAbandoned " + jobId);
            }

            @Override
            public void cancelled(JobQueue queue, String jobId) {
                events.add("cancelled " + jobId);
            }
        };
    }

    /** The listener's lines that start with {@code prefix}. */
    List<String> events(String prefix) {
        return events.stream().filter(e -> e.startsWith(prefix)).toList();
    }

    static void awaitTrue(String what, Callable<Boolean> condition) {
        Awaitility.await(what).atMost(WAIT).pollInterval(Duration.ofMillis(5)).until(condition);
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        if (runtime != null) {
            runtime.shutdown();
            runtime.awaitTermination(WAIT);
            runtime.release();
        }
        executors.forEach(ExecutorService::shutdownNow);
        try (Stream<Path> paths = Files.walk(scratchRoot)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}

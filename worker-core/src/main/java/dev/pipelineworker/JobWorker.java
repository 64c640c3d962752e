package dev.pipelineworker;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipelineworker.actiontype.ActionTypeDefinition;
import dev.pipelineworker.internal.ConfigurationCheck;
import dev.pipelineworker.internal.ContinuationCodec;
import dev.pipelineworker.internal.OutcomeValidator;
import dev.pipelineworker.internal.Regions;
import dev.pipelineworker.internal.Signals;
import dev.pipelineworker.internal.Sleeper;
import dev.pipelineworker.internal.SafeListener;
import dev.pipelineworker.internal.SafeObserver;
import dev.pipelineworker.internal.ScratchSpace;
import dev.pipelineworker.internal.channel.Acknowledgement;
import dev.pipelineworker.internal.channel.CustomChannel;
import dev.pipelineworker.internal.channel.JobChannel;
import dev.pipelineworker.internal.channel.ThirdPartyChannel;
import dev.pipelineworker.internal.preflight.Preflight;
import dev.pipelineworker.internal.runtime.JobThreads;
import dev.pipelineworker.internal.runtime.WorkerRuntime;
import dev.pipelineworker.internal.runtime.WorkerSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Polls CodePipeline for jobs of an action type, claims them, runs a {@link JobHandler} on each
 * and reports how it ended. Build one with {@link #builder(ActionTypeId, JobHandler)}, then
 * {@link #start()} it and {@link #close()} it, or call {@link #runUntilSignal()} from a main.
 *
 * <p>A worker serves one region by default; {@link Builder#regions(String...)} and
 * {@link Builder#versions(String...)} make it serve several {@link JobQueue queues} (action type and
 * region pairs) with one handler, one executor and one concurrency budget, each queue polled and
 * backed off on its own.
 *
 * <p>Several workers, in one process or many, may serve the same action type: CodePipeline's nonce
 * makes each claim exclusive.
 */
public final class JobWorker implements AutoCloseable {

    private final WorkerRuntime runtime;
    private final Builder builder;
    private final List<JobQueue> queues;
    private final ExecutorService ownedExecutor;
    private final ScheduledExecutorService ownedScheduler;
    private final List<CodePipelineClient> ownedClients = new ArrayList<>();
    private final Map<Region, CodePipelineClient> regionClients = new LinkedHashMap<>();
    private final ArtifactStoreFactory discoveredStores;
    private final Duration jobTimeout;
    private final OutcomeJournal journal;
    private final AtomicBoolean extensionsClosed = new AtomicBoolean();

    private JobWorker(Builder b, List<JobQueue> queues) {
        this.builder = b;
        this.queues = List.copyOf(queues);
        this.jobTimeout = resolveJobTimeout(b);
        this.journal = resolveJournal(b);
        this.ownedExecutor = b.executor == null
                ? JobThreads.defaultExecutor(b.maxConcurrentJobs, "pipeline-worker-job",
                        daemonThreads("pipeline-worker-job")) : null;
        this.ownedScheduler = b.scheduler == null
                ? Executors.newSingleThreadScheduledExecutor(daemonThreads("pipeline-worker-timer")) : null;
        this.discoveredStores = b.artifactStoresSet ? null : discoverArtifactStores();
        ContinuationCodec codec = new ContinuationCodec(b.objectMapper);
        this.runtime = new WorkerRuntime(new WorkerSettings(
                resolveChannels(b, this.queues),
                new WorkerSettings.Handling(b.handler, new OutcomeValidator(b.actionType.owner(), codec), codec,
                        b.artifactStoresSet ? b.artifactStores : discoveredStores,
                        b.scratchRoot != null ? new ScratchSpace(b.scratchRoot) : ScratchSpace.inTemporaryDirectory(),
                        b.definition != null ? ConfigurationCheck.of(b.definition) : ConfigurationCheck.none()),
                journal,
                new WorkerSettings.Limits(b.maxConcurrentJobs, jobTimeout, b.shutdownGrace),
                new WorkerSettings.Polling(b.idleBackoff, b.errorBackoff, b.throttleBackoff),
                new WorkerSettings.Reporting(b.reportMaxAttempts, b.reportBackoff),
                new WorkerSettings.Threads(b.executor != null ? b.executor : ownedExecutor,
                        b.scheduler != null ? b.scheduler : ownedScheduler, daemonThreads("pipeline-worker")),
                new WorkerSettings.Seams(b.clock, b.random, b.sleeper),
                new SafeListener(b.listeners),
                SafeObserver.of(b.observers)));
    }

    /**
     * One channel per queue, each through its region's client (built here and owned unless given), with the
     * acknowledgement patience of the report retries.
     */
    private List<JobChannel> resolveChannels(Builder b, List<JobQueue> queues) {
        Acknowledgement acknowledgement = new Acknowledgement(b.reportMaxAttempts, b.reportBackoff, b.random,
                b.sleeper);
        List<JobChannel> channels = new ArrayList<>();
        for (JobQueue queue : queues) {
            CodePipelineClient client = regionClients.computeIfAbsent(queue.region(), region -> resolveClient(b, region));
            channels.add(queue.actionType().owner() == ActionOwner.THIRD_PARTY
                    ? new ThirdPartyChannel(client, queue.actionType(), b.clientTokens, acknowledgement)
                    : new CustomChannel(client, queue.actionType(), b.queryParam, acknowledgement));
        }
        return channels;
    }

    /** The given client, the one the given factory makes for {@code region}, or one built (and owned) here. */
    private CodePipelineClient resolveClient(Builder b, Region region) {
        if (b.client != null) {
            return b.client;
        }
        if (b.clients != null) {
            return Objects.requireNonNull(b.clients.apply(region), "codePipelineClients gave no client for " + region);
        }
        CodePipelineClient client = CodePipelineClient.builder().region(region).build();
        ownedClients.add(client);
        return client;
    }

    /** The given journal, or the default one under the temporary directory. */
    private static OutcomeJournal resolveJournal(Builder b) {
        return b.journal != null ? b.journal : OutcomeJournal.inDirectory(defaultJournalDirectory(b.actionType),
                OutcomeJournal.Durability.PROCESS_CRASH);
    }

    /** The given job timeout, or 5 minutes less than CodePipeline allows the owner's actions. */
    private static Duration resolveJobTimeout(Builder b) {
        if (b.jobTimeout != null) {
            return b.jobTimeout;
        }
        return b.actionType.owner() == ActionOwner.CUSTOM ? Duration.ofHours(24).minusMinutes(5)
                : Duration.ofMinutes(55);
    }

    /** The first artifact store factory on the class path, or {@code null}; the worker owns (and closes) it. */
    private static ArtifactStoreFactory discoverArtifactStores() {
        Iterator<ArtifactStoreFactory> found = ServiceLoader.load(ArtifactStoreFactory.class).iterator();
        return found.hasNext() ? found.next() : null;
    }

    /** A builder for a worker serving {@code actionType} with {@code handler}. */
    public static Builder builder(ActionTypeId actionType, JobHandler handler) {
        return new Builder(actionType, handler);
    }

    /**
     * A builder for a worker serving the declared {@code actionType} with {@code handler}: the definition's id is
     * the served type, and its jobs are checked against it (see {@link Builder#actionType(ActionTypeDefinition)}).
     */
    public static Builder builder(ActionTypeDefinition actionType, JobHandler handler) {
        return new Builder(actionType.id(), handler).actionType(actionType);
    }

    /**
     * Starts polling on a background thread. A worker starts once. With
     * {@link Builder#preflightAtStart(boolean)}, runs {@link #preflight()} first and refuses to start when a check
     * fails.
     *
     * @throws IllegalStateException when the preflight at start fails; its message is the report
     */
    public JobWorker start() {
        if (builder.preflightAtStart) {
            PreflightReport report = preflight();
            if (!report.passed()) {
                throw new IllegalStateException("the worker does not start: its preflight failed"
                        + System.lineSeparator() + report.render());
            }
        }
        runtime.start();
        builder.extensions.forEach(extension -> extension.start(runtime.control()));
        return this;
    }

    /**
     * Checks, without polling (a poll hands out real jobs), that the worker can serve what it is built for. Per
     * queue: the caller's identity (STS GetCallerIdentity), the region, the action type's registration
     * (GetActionType for a third-party type, ListActionTypes for a custom one) against the declared
     * {@link Builder#actionType(ActionTypeDefinition) definition} (missing or extra properties, required-ness,
     * artifact counts, the executor's job timeout), the worker's job timeout against the executor's (it must be
     * shorter), and the clock against the service's {@code Date} header; for the worker: the client tokens of a
     * third-party type and the outcome journal's directory (writable, fsync, free space). An AccessDenied names the
     * IAM action that is missing. Calls AWS; never throws for what it finds.
     */
    public PreflightReport preflight() {
        Map<Region, StsClient> stsClients = new LinkedHashMap<>();
        List<StsClient> owned = new ArrayList<>();
        try {
            return new Preflight(queues, regionClients::get, region -> stsClients.computeIfAbsent(region, r -> {
                if (builder.stsClients != null) {
                    return Objects.requireNonNull(builder.stsClients.apply(r), "stsClients gave no client for " + r);
                }
                StsClient client = StsClient.builder().region(r).build();
                owned.add(client);
                return client;
            }), builder.definition, jobTimeout, builder.clientTokens, journal, builder.clock)
                    .run();
        } finally {
            owned.forEach(StsClient::close);
        }
    }

    /** The queues this worker serves: each action type it serves in each of its regions. */
    public List<JobQueue> queues() {
        return queues;
    }

    /**
     * A snapshot of the worker's health for probes and gauges: its state (ready once a queue has polled
     * successfully, never dependent on AWS for liveness), each queue's polls, its slots and its journal.
     * Cheap, and never calls AWS.
     */
    public WorkerHealth health() {
        return runtime.health();
    }

    /** Whether the worker is polling. */
    public boolean isRunning() {
        return runtime.isRunning();
    }

    /** The number of jobs being claimed, run or reported right now. */
    public int inFlightJobs() {
        return runtime.inFlightJobs();
    }

    /**
     * Stops polling at once and acknowledges no more jobs. Running jobs have the shutdown grace
     * period to finish; those that do not are reported as failed with SystemUnavailable,
     * "worker shutting down". Returns at once; see {@link #awaitTermination(Duration)}.
     */
    public void shutdown() {
        runtime.shutdown();
        closeExtensions();
    }

    /** Closes the extensions once; one that fails to close is logged and does not keep the others open. */
    private void closeExtensions() {
        if (!extensionsClosed.compareAndSet(false, true)) {
            return;
        }
        for (WorkerExtension extension : builder.extensions) {
            try {
                extension.close();
            } catch (RuntimeException e) {
                LoggerFactory.getLogger(JobWorker.class).warn("closing the extension {} failed: {}", extension,
                        e.getClass().getName());
            }
        }
    }

    /** Waits until every claimed job has been reported after {@link #shutdown()}; false on timeout. */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return runtime.awaitTermination(timeout);
    }

    /**
     * Shuts down, waits for the running jobs (the grace period plus time to report), and releases
     * what the worker created or discovered itself: its threads, its client, and an artifact store
     * factory found on the class path. Given executors, clients and factories stay open.
     */
    @Override
    public void close() {
        shutdown();
        try {
            runtime.awaitTermination(builder.shutdownGrace.plus(Duration.ofMinutes(2)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        runtime.release();
        if (ownedExecutor != null) {
            ownedExecutor.shutdownNow();
        }
        if (ownedScheduler != null) {
            ownedScheduler.shutdownNow();
        }
        ownedClients.forEach(CodePipelineClient::close);
        if (discoveredStores instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                LoggerFactory.getLogger(JobWorker.class).warn("closing the artifact store factory failed: {}",
                        e.getClass().getName());
            }
        }
    }

    /**
     * For a main: starts the worker and blocks until SIGTERM or SIGINT (Ctrl-C), then drains the
     * running jobs as {@link #close()} does and returns, so the process can exit with status 0.
     */
    public void runUntilSignal() throws InterruptedException {
        start();
        Thread hook = new Thread(this::close, "pipeline-worker-shutdown-hook");
        Runtime.getRuntime().addShutdownHook(hook);
        Signals.onTermination(this::shutdown);
        boolean stopped;
        do {
            stopped = runtime.awaitTermination(Duration.ofHours(1));
        } while (!stopped);
        close();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException jvmAlreadyExiting) {
            // The JVM is exiting for another reason and runs the hook itself; close() is idempotent.
            return;
        }
    }

    private static Path defaultJournalDirectory(ActionTypeId type) {
        return Path.of(System.getProperty("java.io.tmpdir"), "pipeline-worker", "journal",
                type.owner().apiName() + "-" + type.category().apiName() + "-" + type.provider() + "-" + type.version());
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Configures a {@link JobWorker}. Every setter returns this builder; {@link #build()} checks the whole. */
    public static final class Builder {
        private static final Pattern QUERY_VALUE = Pattern.compile("[a-zA-Z0-9_-]+");

        private final ActionTypeId actionType;
        private final JobHandler handler;
        private ActionTypeDefinition definition;
        private Function<Region, StsClient> stsClients;
        private boolean preflightAtStart;
        private CodePipelineClient client;
        private Function<Region, CodePipelineClient> clients;
        private List<Region> regions;
        private List<String> versions;
        private final List<ActionTypeId> moreActionTypes = new ArrayList<>();
        private ClientTokenProvider clientTokens;
        private Map<String, String> queryParam = Map.of();
        private int maxConcurrentJobs = 8;
        private ExecutorService executor;
        private ScheduledExecutorService scheduler;
        private Backoff idleBackoff = Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(10));
        private Backoff errorBackoff = Backoff.exponential(Duration.ofSeconds(2), Duration.ofSeconds(60));
        private Backoff throttleBackoff = Backoff.exponential(Duration.ofSeconds(5), Duration.ofSeconds(120));
        private int reportMaxAttempts = 8;
        private Backoff reportBackoff = Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(30));
        private Duration jobTimeout;
        private Duration shutdownGrace = Duration.ofSeconds(30);
        private final List<JobWorkerListener> listeners = new ArrayList<>();
        private final List<WorkerExtension> extensions = new ArrayList<>();
        private final List<JobObserver> observers = new ArrayList<>();
        private OutcomeJournal journal;
        private Path scratchRoot;
        private ArtifactStoreFactory artifactStores;
        private boolean artifactStoresSet;
        private ObjectMapper objectMapper = ContinuationCodec.defaultMapper();
        private Clock clock = Clock.systemUTC();
        private Random random = new Random();
        private Sleeper sleeper = Sleeper.THREAD;

        private Builder(ActionTypeId actionType, JobHandler handler) {
            this.actionType = Objects.requireNonNull(actionType, "actionType");
            this.handler = Objects.requireNonNull(handler, "handler");
        }

        /**
         * The CodePipeline client, for a worker that serves one region: the client's. Default: one
         * client per region, built with {@code CodePipelineClient.builder().region(region)}, which
         * follows the standard credentials chain, {@code AWS_ENDPOINT_URL_CODEPIPELINE},
         * {@code AWS_USE_FIPS_ENDPOINT}, {@code AWS_USE_DUALSTACK_ENDPOINT} and {@code AWS_RETRY_MODE};
         * the worker closes those on {@link JobWorker#close()}. A given client is left open. For several
         * regions, see {@link #codePipelineClients(Function)}.
         */
        public Builder codePipelineClient(CodePipelineClient client) {
            this.client = Objects.requireNonNull(client, "client");
            return this;
        }

        /**
         * Makes the CodePipeline client of each region the worker serves, for example to share an HTTP
         * client or set an endpoint; called once per region while the worker is built. The clients it
         * gives are left open. Default: as {@link #codePipelineClient(CodePipelineClient)} says.
         */
        public Builder codePipelineClients(Function<Region, CodePipelineClient> clients) {
            this.clients = Objects.requireNonNull(clients, "clients");
            return this;
        }

        /**
         * The regions to serve the action type(s) in: the worker polls one queue per action type and
         * region, all sharing one handler, executor and {@link #maxConcurrentJobs(int)}. Region names
         * are checked here (such as {@code us-east-1}; a name the SDK does not know yet is served, with a
         * warning, so a new region needs no new release). Default: the region of the given
         * {@link #codePipelineClient(CodePipelineClient) client}, else the SDK's default region chain
         * ({@code AWS_REGION}, the profile, instance metadata).
         */
        public Builder regions(String... regions) {
            this.regions = Regions.parse("regions", List.of(regions));
            return this;
        }

        /** As {@link #regions(String...)}, with the SDK's region type. */
        public Builder regions(Region... regions) {
            this.regions = Regions.parse("regions", Arrays.stream(regions).map(Region::id).toList());
            return this;
        }

        /**
         * Serves these versions of the action type (same owner, category and provider), for example
         * {@code "1", "2"} while pipelines move from one to the other. Default: the action type's own
         * version only.
         */
        public Builder versions(String... versions) {
            if (versions.length == 0) {
                throw new IllegalArgumentException("versions must name at least one version");
            }
            List<String> list = List.of(versions);
            Set<String> seen = new HashSet<>();
            for (String version : list) {
                new ActionTypeId(actionType.category(), actionType.owner(), actionType.provider(), version);
                if (!seen.add(version)) {
                    throw new IllegalArgumentException("versions: version " + version + " is named twice");
                }
            }
            this.versions = list;
            return this;
        }

        /**
         * Serves these action types too, with the same handler, in every region the worker serves. They
         * must have the owner of the worker's action type. Default: none.
         */
        public Builder alsoServe(ActionTypeId... actionTypes) {
            for (ActionTypeId type : actionTypes) {
                Objects.requireNonNull(type, "actionType");
                if (type.owner() != actionType.owner()) {
                    throw new IllegalArgumentException("alsoServe: " + type + " is a " + type.owner().apiName()
                            + " action type; a worker serves action types of one owner (" + actionType.owner().apiName()
                            + ")");
                }
                moreActionTypes.add(type);
            }
            return this;
        }

        /**
         * The declared action type: jobs of its type are checked against it before the handler runs (a required
         * property missing fails the job with ConfigurationError naming the key), the handler's
         * {@link ActionConfiguration} knows the declared properties (reading an undeclared key is an error), and
         * {@link JobWorker#preflight()} compares it with the registration. Its id must be a type the worker serves;
         * {@link JobWorker#builder(ActionTypeDefinition, JobHandler)} serves it. Default: none.
         */
        public Builder actionType(ActionTypeDefinition definition) {
            this.definition = Objects.requireNonNull(definition, "definition");
            return this;
        }

        /**
         * Makes the STS client {@link JobWorker#preflight()} asks for the caller's identity in each region. Default:
         * {@code StsClient.builder().region(region)}, the standard configuration ({@code AWS_ENDPOINT_URL_STS}
         * included), built for the preflight and closed after it. Given clients are left open.
         */
        public Builder stsClients(Function<Region, StsClient> stsClients) {
            this.stsClients = Objects.requireNonNull(stsClients, "stsClients");
            return this;
        }

        /**
         * Whether {@link JobWorker#start()} runs {@link JobWorker#preflight()} first and refuses to start when a
         * check fails. Default: off.
         */
        public Builder preflightAtStart(boolean preflightAtStart) {
            this.preflightAtStart = preflightAtStart;
            return this;
        }

        /** The clientId to clientToken lookup for third-party jobs. Required for ThirdParty action types. */
        public Builder clientTokens(ClientTokenProvider clientTokens) {
            this.clientTokens = Objects.requireNonNull(clientTokens, "clientTokens");
            return this;
        }

        /**
         * For custom action types: poll only jobs whose action configuration has this key and value
         * (key 1-50 characters, value 1-50 of {@code [a-zA-Z0-9_-]}). Default: no filter.
         */
        public Builder customQueryParam(String key, String value) {
            if (key == null || key.isEmpty() || key.length() > 50) {
                throw new IllegalArgumentException("queryParam key must be 1-50 characters");
            }
            if (value == null || value.length() > 50 || !QUERY_VALUE.matcher(value).matches()) {
                throw new IllegalArgumentException("queryParam value must be 1-50 characters of [a-zA-Z0-9_-]");
            }
            this.queryParam = Map.of(key, value);
            return this;
        }

        /** How many jobs run at once; polls ask for at most the free slots. Default: 8. */
        public Builder maxConcurrentJobs(int maxConcurrentJobs) {
            if (maxConcurrentJobs < 1) {
                throw new IllegalArgumentException("maxConcurrentJobs must be at least 1, got " + maxConcurrentJobs);
            }
            this.maxConcurrentJobs = maxConcurrentJobs;
            return this;
        }

        /**
         * Where jobs are claimed, run and reported. Default: on Java 21 and later a virtual thread per
         * job, else a fixed pool of {@code maxConcurrentJobs} daemon threads; shut down on close. A given
         * executor is left running; it should have at least {@code maxConcurrentJobs} threads.
         */
        public Builder executor(ExecutorService executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** Runs deadlines and the shutdown grace timer. Default: one daemon thread, shut down on close. */
        public Builder scheduler(ScheduledExecutorService scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /**
         * The wait between polls that find no job. Default: 100 ms doubling to 10 s, 20% jitter.
         * The maximum sets the idle cost and the pickup time after a long idle period: about
         * {@code 60 s / max} polls a minute, and a job waits up to {@code max} (half of it on
         * average) before it is seen. The start sets how fast a stream of jobs with short gaps is
         * served: a job arriving just after an empty poll waits about that long. 100 ms keeps a
         * stream fast and adds only three polls per idle period over a 1 s start (see
         * {@code docs/benchmarks.md}).
         */
        public Builder idleBackoff(Backoff backoff) {
            this.idleBackoff = Objects.requireNonNull(backoff, "backoff");
            return this;
        }

        /** The wait after a failed poll. Default: 2 s doubling to 60 s, 20% jitter. */
        public Builder errorBackoff(Backoff backoff) {
            this.errorBackoff = Objects.requireNonNull(backoff, "backoff");
            return this;
        }

        /** The wait after a throttled poll. Default: 5 s doubling to 120 s, 20% jitter. */
        public Builder throttleBackoff(Backoff backoff) {
            this.throttleBackoff = Objects.requireNonNull(backoff, "backoff");
            return this;
        }

        /**
         * How often a result is sent when CodePipeline is throttling or unavailable, on top of the
         * SDK's own retries (each attempt here is one SDK call with its retries: by default 3 to 4
         * HTTP attempts within seconds). Default: 8 attempts, 1 s doubling to 30 s, 20% jitter: about 90 s of
         * waiting, so a result outlives an outage of a minute or so rather than leaving the job to time out. The same
         * settings govern how long the worker keeps asking whether an acknowledgement went through when its
         * answer was lost, so that a job it may own is not dropped sooner than a result would be.
         */
        public Builder reportRetries(int maxAttempts, Backoff backoff) {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("report maxAttempts must be at least 1, got " + maxAttempts);
            }
            this.reportMaxAttempts = maxAttempts;
            this.reportBackoff = Objects.requireNonNull(backoff, "backoff");
            return this;
        }

        /**
         * How long a handler may run before the job is reported as timed out and the handler is
         * interrupted. Default: 55 minutes for ThirdParty actions (CodePipeline allows an hour),
         * 23 hours 55 minutes for Custom actions (24 hours).
         */
        public Builder jobTimeout(Duration jobTimeout) {
            if (jobTimeout == null || jobTimeout.isNegative() || jobTimeout.isZero()) {
                throw new IllegalArgumentException("jobTimeout must be positive");
            }
            this.jobTimeout = jobTimeout;
            return this;
        }

        /** How long running jobs may take to finish after shutdown begins. Default: 30 s. */
        public Builder shutdownGrace(Duration shutdownGrace) {
            if (shutdownGrace == null || shutdownGrace.isNegative()) {
                throw new IllegalArgumentException("shutdownGrace must not be negative");
            }
            this.shutdownGrace = shutdownGrace;
            return this;
        }

        /**
         * Adds an observer of each job's claim, handler and report in scopes, for tracing (see
         * {@code dev.pipelineworker:worker-opentelemetry}) or per-job metrics. Several observers nest in
         * the order added: the first one's scope encloses the second's. What an observer throws is
         * logged and ignored. Default: none.
         */
        public Builder observer(JobObserver observer) {
            this.observers.add(Objects.requireNonNull(observer, "observer"));
            return this;
        }

        /**
         * Attaches an extension that steers the worker, e.g. worker-events' {@code WorkerEvents} (instant pickup
         * and cancellation from pipeline events). The worker starts it after its own start, in the order added,
         * and closes it when it shuts down; a given extension belongs to this worker. Default: none.
         */
        public Builder extension(WorkerExtension extension) {
            this.extensions.add(Objects.requireNonNull(extension, "extension"));
            return this;
        }

        /** Adds a listener for metrics or tests. Default: none. */
        public Builder listener(JobWorkerListener listener) {
            this.listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Opens each job's artifact store. Default: the first {@link ArtifactStoreFactory} found by
         * {@link ServiceLoader} ({@code worker-s3} registers one); without one, a handler that
         * touches artifacts fails with a message saying what to add.
         */
        public Builder artifactStoreFactory(ArtifactStoreFactory factory) {
            this.artifactStores = Objects.requireNonNull(factory, "factory");
            this.artifactStoresSet = true;
            return this;
        }

        /**
         * Where finished outcomes wait until CodePipeline accepted them, so that a crash loses none:
         * on start, the worker reports what an earlier run left before it polls. Default: a file
         * journal under {@code <java.io.tmpdir>/pipeline-worker/journal/<action type>} that survives
         * the process dying but is not fsync'd ({@link OutcomeJournal.Durability#PROCESS_CRASH}): the
         * temporary directory rarely survives a reboot, and the two fsyncs per job would halve the
         * throughput of short jobs. Point it at a persistent volume with
         * {@link OutcomeJournal#inDirectory(Path)} (fsync'd) in containers, or turn it off with
         * {@link OutcomeJournal#disabled()}.
         */
        public Builder outcomeJournal(OutcomeJournal journal) {
            this.journal = Objects.requireNonNull(journal, "journal");
            return this;
        }

        /**
         * Where jobs get their {@link JobContext#scratchDirectory() scratch directories}, one per job,
         * created when a handler first asks and deleted after the job's report; a restarted worker
         * deletes those of the jobs it recovers from its journal. Default: {@code
         * <java.io.tmpdir>/pipeline-worker-scratch-<user>}. In a container with a read-only root file
         * system, point it at a writable volume ({@code emptyDir}); it must not be writable by other
         * users.
         */
        public Builder scratchRoot(Path root) {
            this.scratchRoot = Objects.requireNonNull(root, "root");
            return this;
        }

        /**
         * The Jackson mapper for typed continuation state. Default: a mapper that knows
         * {@code java.time} and ignores unknown properties, so state classes can grow.
         */
        public Builder objectMapper(ObjectMapper objectMapper) {
            this.objectMapper = Objects.requireNonNull(objectMapper, "objectMapper");
            return this;
        }

        /** The clock for deadlines handed to handlers. Default: {@link Clock#systemUTC()}. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The randomness for backoff jitter. Default: a new {@link Random}. */
        public Builder random(Random random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /**
         * How the worker waits between polls and between an acknowledgement's checks, so that this package's tests
         * see each wait (and its backoff) without spending it. Not API. Default: {@link Sleeper#THREAD}.
         */
        Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        /** Checks the settings and builds the worker (not yet started). */
        public JobWorker build() {
            if (actionType.owner() == ActionOwner.THIRD_PARTY && clientTokens == null) {
                throw new IllegalStateException("a ThirdParty action type needs clientTokens(...): the clientId to "
                        + "clientToken mapping the integrator registered with AWS");
            }
            if (actionType.owner() != ActionOwner.CUSTOM && !queryParam.isEmpty()) {
                throw new IllegalStateException("customQueryParam applies to Custom action types only");
            }
            if (client != null && clients != null) {
                throw new IllegalStateException("set codePipelineClient(...) or codePipelineClients(...), not both");
            }
            List<JobQueue> queues = resolveQueues();
            if (definition != null && queues.stream().noneMatch(q -> q.actionType().equals(definition.id()))) {
                throw new IllegalStateException("the action type definition describes " + definition.id()
                        + ", which this worker does not serve; build the worker with JobWorker.builder(definition, "
                        + "handler) so the definition names the served type");
            }
            return new JobWorker(this, queues);
        }

        /** Every served action type in every served region; each pair once. */
        private List<JobQueue> resolveQueues() {
            List<Region> served = resolveRegions();
            List<ActionTypeId> types = new ArrayList<>();
            for (String version : versions != null ? versions : List.of(actionType.version())) {
                types.add(new ActionTypeId(actionType.category(), actionType.owner(), actionType.provider(), version));
            }
            types.addAll(moreActionTypes);
            Set<JobQueue> queues = new LinkedHashSet<>();
            for (Region region : served) {
                for (ActionTypeId type : types) {
                    if (!queues.add(JobQueue.of(type, region))) {
                        throw new IllegalStateException("the queue " + JobQueue.of(type, region)
                                + " is named twice (versions, alsoServe)");
                    }
                }
            }
            return List.copyOf(queues);
        }

        private List<Region> resolveRegions() {
            if (client != null) {
                Region own = client.serviceClientConfiguration().region();
                if (regions != null && !regions.equals(List.of(own))) {
                    throw new IllegalStateException("the given codePipelineClient serves " + own + " only, but regions "
                            + regions + " were asked for; use codePipelineClients(region -> ...) for several regions");
                }
                return List.of(own);
            }
            return regions != null ? regions : List.of(Regions.fromDefaultChain());
        }
    }
}

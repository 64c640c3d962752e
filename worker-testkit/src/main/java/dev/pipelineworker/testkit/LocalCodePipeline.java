package dev.pipelineworker.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.ArtifactCredentials;
import dev.pipelineworker.Backoff;
import dev.pipelineworker.JobHandler;
import dev.pipelineworker.JobWorker;
import dev.pipelineworker.OutcomeJournal;
import dev.pipelineworker.actiontype.ActionTypeDefinition;
import dev.pipelineworker.testkit.emulator.EventSink;
import dev.pipelineworker.testkit.emulator.FaultRule;
import dev.pipelineworker.testkit.emulator.JobInfo;
import dev.pipelineworker.testkit.emulator.RecordedResult;
import dev.pipelineworker.testkit.emulator.JobSpec;
import dev.pipelineworker.testkit.emulator.Operation;
import dev.pipelineworker.testkit.emulator.RecordedCall;
import dev.pipelineworker.testkit.emulator.internal.ActionTypeOperations;
import dev.pipelineworker.testkit.emulator.internal.ApiException;
import dev.pipelineworker.testkit.emulator.internal.EmulatorServer;
import dev.pipelineworker.testkit.emulator.internal.EmulatorSettings;
import dev.pipelineworker.testkit.emulator.internal.EmulatorState;
import dev.pipelineworker.testkit.emulator.internal.RegionNames;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * A local CodePipeline that serves the job-worker operations on the real wire protocol (AWS JSON 1.1), so the
 * AWS SDK's {@code CodePipelineClient} (with {@code endpointOverride(endpoint())}) and the AWS CLI
 * ({@code --endpoint-url}) work against it. Tests enqueue jobs, inject faults, and read back every call and
 * result.
 *
 * <p>It implements client tokens, nonces, the job states, re-offering of unacknowledged jobs, job timeouts,
 * continuation and the service's validation and error encoding. SigV4 signatures are accepted without
 * verification, so any credentials work. Timeouts follow the injectable {@link Clock} and are applied whenever
 * the emulator is called or read (see {@link #applyTime()}).
 *
 * <p><b>Regions.</b> One endpoint serves every region, as separate regional endpoints would: each call is served
 * by the region of its SigV4 credential scope ({@code Credential=AKID/20250101/eu-west-1/codepipeline/...}, the
 * region the SDK client was built for), and sees only that region's jobs and action types. A job is in the region
 * its {@link JobSpec.Builder#region(String) spec} names, otherwise in the {@link Builder#defaultRegion(String)
 * default region} ({@value #DEFAULT_REGION} unless configured); an unsigned call, or one without a parsable
 * credential scope (some tools), is served as the default region. So single-region tests whose clients sign for
 * the default region need no region anywhere. Calls for another region's job answer {@code JobNotFoundException};
 * continuations stay in their job's region. An action type registered without a region is known in every region,
 * one registered {@link #registerActionType(ActionTypeId, String) for a region} only there, and enqueueing a job
 * makes its type known in the job's region; polls for a type unknown in their region answer
 * {@code ActionTypeNotFoundException}. A fault rule applies to every region unless
 * {@link FaultRule#inRegion(String...) limited}. Calls, jobs and results say their region.
 *
 * <pre>{@code
 * try (LocalCodePipeline cp = LocalCodePipeline.builder().continuationDelay(Duration.ZERO).start()) {
 *     ActionTypeId type = ActionTypeId.thirdParty(ActionCategory.BUILD, "MyTool", "1");
 *     JobInfo job = cp.enqueue(JobSpec.builder(type).inputArtifact("Src", "bucket", "src.zip").build());
 *     // point the worker under test at cp.endpoint() and its client token at cp.clientToken(...), or let
 *     // LocalWorkers (worker-testkit-s3) build it: LocalWorkers.of(cp, s3).workerFor(type, handler)
 *     RecordedResult result = cp.awaitFinalResult(job.actionExecutionId(), Duration.ofSeconds(10));
 * }
 * }</pre>
 */
public final class LocalCodePipeline implements AutoCloseable {

    /** The region of jobs that name none, and of callers that sign for none, unless the builder says otherwise. */
    public static final String DEFAULT_REGION = "us-east-1";

    /** The idle polling of {@link #workerFor} workers: a job enqueued during a test is picked up within 0.5 s. */
    public static final Backoff IDLE_BACKOFF = Backoff.exponential(Duration.ofMillis(50), Duration.ofMillis(500));

    /** The idle, error and throttle backoff of {@link #quickSettings quick} workers: 10 ms doubling to 50 ms. */
    public static final Backoff QUICK_BACKOFF = Backoff.exponential(Duration.ofMillis(10), Duration.ofMillis(50));
    /** How often a {@link #quickSettings quick} worker sends a result: three attempts, 10 to 20 ms apart. */
    public static final int QUICK_REPORT_ATTEMPTS = 3;
    private static final Backoff QUICK_REPORT_BACKOFF = Backoff.exponential(Duration.ofMillis(10),
            Duration.ofMillis(20));
    /** How long a {@link #quickSettings quick} worker's running jobs may take to finish once it closes. */
    public static final Duration QUICK_SHUTDOWN_GRACE = Duration.ofSeconds(2);

    private final Map<String, CodePipelineClient> clients = new LinkedHashMap<>();
    private final Map<String, StsClient> stsClients = new LinkedHashMap<>();
    private final EmulatorSettings settings;
    private static final ObjectMapper REGISTRATION_JSON = new ObjectMapper();
    /** What the emulator's own clients sign with: any credentials work, and these are plainly fake. */
    private static final StaticCredentialsProvider FAKE_CREDENTIALS = StaticCredentialsProvider.create(
            AwsBasicCredentials.create("AKIAIOSFODNN7EXAMPLE", "local-code-pipeline-fake-secret"));

    private final EmulatorState state;
    private EmulatorServer server;
    private boolean closed;

    private LocalCodePipeline(EmulatorSettings settings, List<Map.Entry<String, String>> registrations) {
        this.settings = settings;
        this.state = new EmulatorState(settings);
        registrations.forEach(r -> registerActionTypeFile(r.getValue(), r.getKey()));
    }

    /**
     * Registers an action type from its registration file (as {@code dev.pipelineworker.actiontype.RegistrationFiles}
     * writes it: the {@code update-action-type} input of a third-party type, the {@code create-custom-action-type}
     * input of a custom one) in {@code region}, for GetActionType, ListActionTypes and polls, as AWS would after
     * onboarding; it survives {@link #reset()}. A file the service would refuse throws, naming what is wrong.
     */
    public void registerActionTypeFile(String registrationJson, String region) {
        RegionNames.requireValid(region, "region");
        JsonNode registration;
        try {
            registration = REGISTRATION_JSON.readTree(registrationJson);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the action type registration is not JSON: " + e.getOriginalMessage());
        }
        if (registration == null || !registration.isObject()) {
            throw new IllegalArgumentException("the action type registration must be a JSON object");
        }
        try {
            ActionTypeOperations.seed(state, region, registration);
        } catch (ApiException e) {
            throw new IllegalArgumentException("the action type registration is invalid: " + e.getMessage());
        }
    }

    /** A builder with the defaults its setters document. */
    public static Builder builder() {
        return new Builder();
    }

    /** Starts serving; does nothing if already started. */
    public synchronized LocalCodePipeline start() {
        if (closed) {
            throw new IllegalStateException("this LocalCodePipeline is closed");
        }
        if (server == null) {
            server = EmulatorServer.start(settings, state);
        }
        return this;
    }

    /** The base URI, e.g. {@code http://127.0.0.1:43817}; only while started. */
    public synchronized URI endpoint() {
        if (server == null || closed) {
            throw new IllegalStateException("this LocalCodePipeline is not running");
        }
        return server.endpoint();
    }

    /** Stops serving and closes the clients {@link #client(String)} handed out; calls in flight lose their connection. */
    @Override
    public synchronized void close() {
        closed = true;
        clients.values().forEach(CodePipelineClient::close);
        clients.clear();
        stsClients.values().forEach(StsClient::close);
        stsClients.clear();
        if (server != null) {
            server.close();
        }
        state.events().close();
    }

    /**
     * The SDK client of this emulator for callers signing for {@code region}: its endpoint, fixed fake credentials,
     * and quick SDK retries (3 attempts, 5-20 ms apart) so that a test of faults does not wait out production
     * backoffs. One per region, closed with the emulator; only while started.
     */
    public synchronized CodePipelineClient client(String region) {
        RegionNames.requireValid(region, "region");
        URI endpoint = endpoint();
        return clients.computeIfAbsent(region, name -> CodePipelineClient.builder()
                .endpointOverride(endpoint)
                .region(Region.of(name))
                .credentialsProvider(FAKE_CREDENTIALS)
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(3)
                        .backoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(5), Duration.ofMillis(20)))
                        .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(5),
                                Duration.ofMillis(20)))
                        .circuitBreakerEnabled(false)
                        .build()))
                .build());
    }

    /**
     * An STS client of this emulator, whose endpoint answers GetCallerIdentity, for callers signing for
     * {@code region}; one per region, closed with the emulator; only while started.
     */
    public synchronized StsClient stsClient(String region) {
        RegionNames.requireValid(region, "region");
        URI endpoint = endpoint();
        return stsClients.computeIfAbsent(region, name -> StsClient.builder()
                .endpointOverride(endpoint)
                .region(Region.of(name))
                .credentialsProvider(FAKE_CREDENTIALS)
                .build());
    }

    /**
     * A builder for a worker under test that serves {@code actionType} from this emulator, in the test's own JVM:
     * the {@link #client(String) client} of each region it serves (by default the {@link #defaultRegion() default
     * region}; call {@code regions(...)} for more), this emulator's client tokens (those registered later too),
     * idle polls at most half a second apart so a job enqueued during a test is picked up at once, and no outcome
     * journal, so that nothing one test left behind reaches the next; its preflight asks this emulator's
     * {@link #stsClient(String) STS} who it is. Everything may be set again; the caller closes the worker.
     */
    public JobWorker.Builder workerFor(ActionTypeId actionType, JobHandler handler) {
        return wired(JobWorker.builder(actionType, handler));
    }

    /** As {@link #workerFor(ActionTypeId, JobHandler)}, serving the declared {@code actionType}. */
    public JobWorker.Builder workerFor(ActionTypeDefinition actionType, JobHandler handler) {
        return wired(JobWorker.builder(actionType, handler));
    }

    /**
     * As {@link #workerFor(ActionTypeId, JobHandler)}, with the {@link #quickSettings quick settings}: for tests of
     * faults, retries and shutdown, which should not wait out a production worker's backoffs.
     */
    public JobWorker.Builder quickWorkerFor(ActionTypeId actionType, JobHandler handler) {
        return quickSettings(workerFor(actionType, handler));
    }

    /**
     * {@code builder} set to what a test of this emulator should not wait for: idle, error and throttle backoffs of
     * {@link #QUICK_BACKOFF}, {@link #QUICK_REPORT_ATTEMPTS} report attempts 10 to 20 ms apart, a shutdown grace of
     * {@link #QUICK_SHUTDOWN_GRACE}, and no outcome journal, so that nothing one test left behind reaches the next.
     * It sets nothing else: where the worker's jobs come from (clients, regions, client tokens) is the caller's, for
     * example {@link #workerFor}'s; everything may be set again.
     */
    public static JobWorker.Builder quickSettings(JobWorker.Builder builder) {
        return builder
                .idleBackoff(QUICK_BACKOFF)
                .errorBackoff(QUICK_BACKOFF)
                .throttleBackoff(QUICK_BACKOFF)
                .reportRetries(QUICK_REPORT_ATTEMPTS, QUICK_REPORT_BACKOFF)
                .shutdownGrace(QUICK_SHUTDOWN_GRACE)
                .outcomeJournal(OutcomeJournal.disabled());
    }

    private JobWorker.Builder wired(JobWorker.Builder builder) {
        return builder
                .codePipelineClients(region -> client(region.id()))
                .stsClients(region -> stsClient(region.id()))
                .regions(defaultRegion())
                .clientTokens(this::clientToken)
                .idleBackoff(IDLE_BACKOFF)
                .outcomeJournal(OutcomeJournal.disabled());
    }

    /**
     * Enqueues a job; it is handed out by the next poll for its action type from its region (where this registers
     * the type). A third-party job without a client id goes to {@link #defaultClientId()}, one without a region to
     * {@link #defaultRegion()}.
     */
    public JobInfo enqueue(JobSpec spec) {
        return state.enqueue(Objects.requireNonNull(spec, "spec"));
    }

    /**
     * Makes polls for this action type valid in every region before any job of it exists; polls for unknown types
     * get ActionTypeNotFoundException.
     */
    public void registerActionType(ActionTypeId type) {
        state.registerActionType(Objects.requireNonNull(type, "type"));
    }

    /**
     * Makes polls for this action type valid in this region only (unless it is also registered without a region),
     * e.g. so that another region answers ActionTypeNotFoundException, as for an action not registered there.
     */
    public void registerActionType(ActionTypeId type, String region) {
        state.registerActionType(Objects.requireNonNull(type, "type"), RegionNames.requireValid(region, "region"));
    }

    /** The region of jobs that name none and of calls that sign for none ({@link Builder#defaultRegion(String)}). */
    public String defaultRegion() {
        return state.defaultRegion();
    }

    /** Registers (or replaces) the client token that third-party calls for this client id must carry. */
    public void registerClient(String clientId, String clientToken) {
        state.registerClient(Objects.requireNonNull(clientId, "clientId"),
                Objects.requireNonNull(clientToken, "clientToken"));
    }

    /** The client third-party jobs go to when their spec names none: the first configured one. */
    public String defaultClientId() {
        return state.defaultClientId();
    }

    /** The client token registered for this client id, e.g. to configure the worker under test. */
    public Optional<String> clientToken(String clientId) {
        return state.clientToken(clientId);
    }

    /** Adds a fault rule; rules apply in the order added. */
    public void injectFault(FaultRule rule) {
        state.addFaultRule(Objects.requireNonNull(rule, "rule"));
    }

    /** Removes every fault rule, configured ones included. */
    public void clearFaults() {
        state.clearFaultRules();
    }

    /**
     * Calls {@code listener} each time an acknowledgement takes effect: an {@code AcknowledgeThirdPartyJob} or
     * {@code AcknowledgeJob} call that moves a job from Dispatched to InProgress. It gets a snapshot of that job
     * taken just after the change ({@link JobInfo#jobId()}, state InProgress, its offer count and spec). Refused
     * acknowledgements, and repeated ones for a job already InProgress, do not call it.
     *
     * <p>It runs on the thread serving the call, after the job changed state and before the response is written
     * (the call appears in {@link #calls()} once it returns), and without holding the emulator's lock. So a
     * listener that blocks holds back this one response while other calls and every read of this emulator go
     * on, and a listener that kills the worker process makes the response go nowhere: the moment between
     * "CodePipeline applied the acknowledgement" and "the worker knows it". If the listener throws, the call is
     * answered with a 500 InternalFailure and the acknowledgement stays applied. Listeners run in the order
     * added; {@link #reset()} removes them.
     */
    public void onAcknowledged(Consumer<JobInfo> listener) {
        state.addAcknowledgementListener(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Publishes this emulator's pipeline events to {@code sink} from now on, as an EventBridge rule on the default
     * bus forwarding every CodePipeline event to a queue would: an action execution's STARTED when its first job
     * is enqueued (continuations make none, as in the service), SUCCEEDED or FAILED when it ends (a timeout is
     * FAILED), ABANDONED and the pipeline's STOPPING and STOPPED on {@link #stopAndAbandon}, CANCELED for the
     * actions and the pipeline on {@link #cancelByPipelineUpdate}. See {@link EventSink} for the envelope and the
     * ordering; {@link #reset()} removes the sinks.
     */
    public void publishEventsTo(EventSink sink) {
        state.events().add(Objects.requireNonNull(sink, "sink"));
    }

    /**
     * Stops the pipeline execution with this id and abandons its in-flight jobs, as {@code StopPipelineExecution}
     * with {@code abandon: true} (the console's "Stop and abandon") does; that call is served too. The jobs become
     * {@link dev.pipelineworker.testkit.emulator.JobState#Abandoned Abandoned}: their acknowledgements and results
     * are refused with {@code InvalidJobStateException}. Custom jobs carry the execution id in their job data
     * ({@code pipelineContext.pipelineExecutionId}); throws IllegalArgumentException for an unknown id and the
     * service's errors for an execution not in progress or already stopped.
     */
    public void stopAndAbandon(String pipelineExecutionId, String reason) {
        state.stopAndAbandon(Objects.requireNonNull(pipelineExecutionId, "pipelineExecutionId"), reason);
    }

    /**
     * Cancels every running execution of this pipeline, as an update of the pipeline's structure during a run
     * does: its jobs are abandoned as by {@link #stopAndAbandon}, with CANCELED events. Returns the jobs it ended.
     */
    public List<JobInfo> cancelByPipelineUpdate(String pipelineName) {
        return state.cancelByPipelineUpdate(Objects.requireNonNull(pipelineName, "pipelineName"));
    }

    /**
     * Applies the clock now: continuation jobs whose delay passed become visible and jobs past their timeout
     * become TimedOut. Every call and every read does this too; call it after moving a manual clock when
     * nothing else would.
     */
    public void applyTime() {
        state.applyTime();
    }

    /** Times this job out at once, as if its job timeout had passed. */
    public void timeOut(String jobId) {
        state.timeOut(jobId);
    }

    /**
     * Gives this job new artifact credentials: whatever the emulator returns for it from now on (polls,
     * {@code GetJobDetails}, {@code GetThirdPartyJobDetails}) and its continuations carry them, as the service hands
     * out fresh temporary credentials to a worker that asks again because the old ones are about to expire.
     */
    public void renewArtifactCredentials(String jobId, ArtifactCredentials credentials) {
        state.renewArtifactCredentials(Objects.requireNonNull(jobId, "jobId"),
                Objects.requireNonNull(credentials, "credentials"));
    }

    /**
     * Forgets jobs, results, calls and runtime registrations (acknowledgement listeners included) and restores
     * the configured fault rules.
     */
    public void reset() {
        state.reset();
    }

    /** Every call received so far, in arrival order. */
    public List<RecordedCall> calls() {
        return state.calls();
    }

    /** The calls of this operation, in arrival order. */
    public List<RecordedCall> calls(Operation operation) {
        return state.calls().stream().filter(call -> call.is(operation)).toList();
    }

    /**
     * The calls that name this job (details, acknowledgement, result; polls name none), in arrival order, e.g. to
     * check that all of them were signed for {@link JobInfo#region() its region}.
     */
    public List<RecordedCall> callsForJob(String jobId) {
        return state.calls().stream().filter(call -> call.jobId().filter(jobId::equals).isPresent()).toList();
    }

    /** The calls from callers signing for this region, in arrival order. */
    public List<RecordedCall> callsInRegion(String region) {
        return state.calls().stream().filter(call -> call.region().equals(region)).toList();
    }

    /** Every result so far (timeouts included), in order. */
    public List<RecordedResult> results() {
        return state.results();
    }

    /** The results of one job: at most one, unless it is still to come. */
    public List<RecordedResult> resultsForJob(String jobId) {
        return state.results().stream().filter(r -> r.jobId().equals(jobId)).toList();
    }

    /** The results of every job of one action execution, continuations included, in order. */
    public List<RecordedResult> resultsForAction(String actionExecutionId) {
        return state.results().stream().filter(r -> r.actionExecutionId().equals(actionExecutionId)).toList();
    }

    /** The results of the jobs of this region, in order. */
    public List<RecordedResult> resultsInRegion(String region) {
        return state.results().stream().filter(r -> r.region().equals(region)).toList();
    }

    /** Every job, in creation order. */
    public List<JobInfo> jobs() {
        return state.jobs();
    }

    /** The jobs of this region, in creation order. */
    public List<JobInfo> jobsInRegion(String region) {
        return state.jobs().stream().filter(j -> j.region().equals(region)).toList();
    }

    /** The jobs of one action execution, in creation order: the first job, then its continuations. */
    public List<JobInfo> jobsForAction(String actionExecutionId) {
        return state.jobs().stream().filter(j -> j.actionExecutionId().equals(actionExecutionId)).toList();
    }

    /** One job, by id. */
    public Optional<JobInfo> job(String jobId) {
        return state.job(jobId);
    }

    /**
     * Blocks until the action execution ends (a success without continuation token, a failure or a timeout)
     * and returns that result; throws {@link AssertionError} naming what was recorded if it does not within
     * {@code timeout} (real time).
     */
    public RecordedResult awaitFinalResult(String actionExecutionId, Duration timeout) {
        return state.awaitFinalResult(actionExecutionId, timeout);
    }

    /** Blocks until this job has a result and returns it; throws {@link AssertionError} after {@code timeout}. */
    public RecordedResult awaitResult(String jobId, Duration timeout) {
        return state.awaitResult(jobId, timeout);
    }

    /**
     * Blocks until a recorded call matches and returns the first one; throws {@link AssertionError} after
     * {@code timeout}.
     */
    public RecordedCall awaitCall(Predicate<RecordedCall> condition, Duration timeout) {
        return state.awaitCall(condition, timeout);
    }

    @Override
    public String toString() {
        return "LocalCodePipeline[" + (server == null ? "not started" : closed ? "closed" : server.endpoint()) + "]";
    }

    /**
     * Configures a {@link LocalCodePipeline}. Immutable: every setter returns a new builder, so a shared base
     * builder can be specialised safely.
     */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port;
        private Clock clock = Clock.systemUTC();
        private Random random;
        private Duration ackTimeout = Duration.ofSeconds(30);
        private Duration jobTimeout = Duration.ofHours(1);
        private Duration continuationDelay = Duration.ofSeconds(30);
        private Map<String, String> clients = Map.of();
        private Set<ActionTypeId> actionTypes = Set.of();
        private List<FaultRule> faultRules = List.of();
        private String defaultRegion = DEFAULT_REGION;
        private Map<String, Set<ActionTypeId>> regionalActionTypes = Map.of();
        private List<Map.Entry<String, String>> registrations = List.of();

        private Builder() {
        }

        /** A copy of this builder with one change, which keeps every builder immutable once handed out. */
        private Builder with(Consumer<Builder> change) {
            Builder copy = new Builder();
            copy.host = host;
            copy.port = port;
            copy.clock = clock;
            copy.random = random;
            copy.ackTimeout = ackTimeout;
            copy.jobTimeout = jobTimeout;
            copy.continuationDelay = continuationDelay;
            copy.clients = clients;
            copy.actionTypes = actionTypes;
            copy.faultRules = faultRules;
            copy.defaultRegion = defaultRegion;
            copy.regionalActionTypes = regionalActionTypes;
            copy.registrations = registrations;
            change.accept(copy);
            return copy;
        }

        /** The address to bind (default {@code 127.0.0.1}; {@code 0.0.0.0} opens it to the network). */
        public Builder host(String newHost) {
            return with(b -> b.host = Objects.requireNonNull(newHost, "host"));
        }

        /** The port (default 0: a free port, see {@link LocalCodePipeline#endpoint()}). */
        public Builder port(int newPort) {
            return with(b -> b.port = newPort);
        }

        /** The clock for timeouts and timestamps (default the UTC system clock); a {@link TestClock} drives them. */
        public Builder clock(Clock newClock) {
            return with(b -> b.clock = Objects.requireNonNull(newClock, "clock"));
        }

        /**
         * The source of ids, nonces and fault probabilities (default an unseeded {@link Random}); seed it to
         * repeat a run.
         */
        public Builder random(Random newRandom) {
            return with(b -> b.random = Objects.requireNonNull(newRandom, "random"));
        }

        /**
         * How long a polled job waits for its acknowledgement before a later poll hands it out again
         * (default 30 s; the service does not document its value).
         */
        public Builder ackTimeout(Duration timeout) {
            return with(b -> b.ackTimeout = timeout);
        }

        /**
         * How long a job may take from being queued to its result before it is TimedOut (default 1 hour, the
         * service's limit for all but custom actions).
         */
        public Builder jobTimeout(Duration timeout) {
            return with(b -> b.jobTimeout = timeout);
        }

        /**
         * How long after a success with a continuation token the next job appears (default 30 s like the
         * service; tests use {@link Duration#ZERO}).
         */
        public Builder continuationDelay(Duration delay) {
            return with(b -> b.continuationDelay = delay);
        }

        /**
         * Adds a third-party client and its token (default: one client with a generated id and token, see
         * {@link LocalCodePipeline#defaultClientId()}).
         */
        public Builder client(String clientId, String clientToken) {
            Map<String, String> more = new LinkedHashMap<>(clients);
            more.put(Objects.requireNonNull(clientId, "clientId"),
                    Objects.requireNonNull(clientToken, "clientToken"));
            return with(b -> b.clients = more);
        }

        /**
         * Adds an action type that polls from every region may ask for before any job of it is enqueued (default:
         * none).
         */
        public Builder actionType(ActionTypeId type) {
            Set<ActionTypeId> more = new LinkedHashSet<>(actionTypes);
            more.add(Objects.requireNonNull(type, "type"));
            return with(b -> b.actionTypes = more);
        }

        /**
         * Adds an action type that polls from this region only may ask for before any job of it is enqueued
         * (default: none), so that other regions answer ActionTypeNotFoundException unless they know it too.
         */
        public Builder actionType(ActionTypeId type, String region) {
            Objects.requireNonNull(type, "type");
            RegionNames.requireValid(region, "region");
            Map<String, Set<ActionTypeId>> more = new LinkedHashMap<>(regionalActionTypes);
            Set<ActionTypeId> inRegion = new LinkedHashSet<>(more.getOrDefault(region, Set.of()));
            inRegion.add(type);
            more.put(region, inRegion);
            return with(b -> b.regionalActionTypes = more);
        }

        /**
         * The region of every job whose spec names none, and the region that serves calls without a parsable
         * SigV4 credential scope (default {@value LocalCodePipeline#DEFAULT_REGION}). Every other call is served by
         * the region it is signed for, so single-region tests keep working unchanged as long as their clients
         * sign for this region; set it to the region those clients use otherwise.
         */
        public Builder defaultRegion(String region) {
            RegionNames.requireValid(region, "defaultRegion");
            return with(b -> b.defaultRegion = region);
        }

        /**
         * Registers an action type from its registration file in the default region (see
         * {@link LocalCodePipeline#registerActionTypeFile(String, String)}); checked when the emulator is built.
         * Default: none.
         */
        public Builder registeredActionType(String registrationJson) {
            return registeredActionType(registrationJson, null);
        }

        /** As {@link #registeredActionType(String)}, in {@code region}. */
        public Builder registeredActionType(String registrationJson, String region) {
            Objects.requireNonNull(registrationJson, "registrationJson");
            List<Map.Entry<String, String>> more = new ArrayList<>(registrations);
            more.add(new AbstractMap.SimpleImmutableEntry<>(region, registrationJson));
            return with(b -> b.registrations = more);
        }

        /** Adds a fault rule installed at start and after every {@link #reset()} (default: none). */
        public Builder faultRule(FaultRule rule) {
            List<FaultRule> more = new ArrayList<>(faultRules);
            more.add(Objects.requireNonNull(rule, "rule"));
            return with(b -> b.faultRules = more);
        }

        /** The emulator, not yet serving. */
        public LocalCodePipeline build() {
            return new LocalCodePipeline(new EmulatorSettings(host, port, clock,
                    random == null ? new Random() : random, ackTimeout, jobTimeout, continuationDelay, clients,
                    actionTypes, faultRules, defaultRegion, regionalActionTypes),
                    registrations.stream().map(r -> Map.entry(r.getKey() == null ? defaultRegion : r.getKey(),
                            r.getValue())).toList());
        }

        /** The emulator, serving. */
        public LocalCodePipeline start() {
            return build().start();
        }
    }
}

package dev.pipelineworker.testkit.emulator.internal;

import dev.pipelineworker.ActionOwner;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.ArtifactCredentials;
import dev.pipelineworker.FailureType;
import dev.pipelineworker.testkit.emulator.Fault;
import dev.pipelineworker.testkit.emulator.FaultRule;
import dev.pipelineworker.testkit.emulator.JobInfo;
import dev.pipelineworker.testkit.emulator.RecordedResult;
import dev.pipelineworker.testkit.emulator.JobSpec;
import dev.pipelineworker.testkit.emulator.JobState;
import dev.pipelineworker.testkit.emulator.RecordedCall;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Everything the emulator knows: jobs, clients, action types, results, calls and fault rules. One monitor
 * guards it all, so each operation is atomic and waiters see every change.
 *
 * <p>Every job lives in one region and every call comes from a caller signing for one region; a call sees only
 * its region's jobs, and the action types known in its region or in every region, as a regional endpoint would.
 *
 * <p>Time-driven changes (continuation jobs becoming visible, acknowledgement and job timeouts) are applied
 * lazily against the injected clock whenever anything reads or changes the state, which is what makes a
 * {@link dev.pipelineworker.testkit.TestClock} drive them deterministically.
 */
public final class EmulatorState {

    /** How often a waiter re-reads the clock, since a clock moving by itself notifies no one. */
    private static final long MAX_WAIT_SLICE_MILLIS = 20;

    private final EmulatorSettings settings;
    private final Clock clock;
    private final Random random;
    private final Map<String, String> initialClients;
    private final Map<String, JobRecord> jobs = new LinkedHashMap<>();
    private final Map<String, String> clientTokens = new LinkedHashMap<>();
    private final Set<ActionTypeId> actionTypesEverywhere = new HashSet<>();
    private final Map<String, Set<ActionTypeId>> regionalActionTypes = new HashMap<>();
    private final RegisteredActionTypes actionTypeRegistrations = new RegisteredActionTypes();
    private final List<RecordedResult> results = new ArrayList<>();
    private final List<RecordedCall> calls = new ArrayList<>();
    private final List<ActiveRule> rules = new ArrayList<>();
    /** Called outside the monitor, so that a listener that blocks holds only its own call. */
    private final List<Consumer<JobInfo>> acknowledgementListeners = new CopyOnWriteArrayList<>();
    private final PipelineEvents events = new PipelineEvents();
    /** Pipeline executions a stop was asked for, so a second stop is refused as the service does. */
    private final Set<String> stoppedExecutions = new HashSet<>();

    /** State configured by these settings; without configured clients it makes up one default client. */
    public EmulatorState(EmulatorSettings settings) {
        this.settings = settings;
        this.clock = settings.clock();
        this.random = settings.random();
        this.initialClients = settings.clients().isEmpty()
                ? Map.of(Ids.uuid(random), "local-token-" + Ids.uuid(random))
                : settings.clients();
        reset();
    }

    /** Forgets jobs, results, calls and runtime registrations, and re-installs the configured fault rules. */
    public synchronized void reset() {
        jobs.clear();
        results.clear();
        calls.clear();
        rules.clear();
        acknowledgementListeners.clear();
        events.clear();
        stoppedExecutions.clear();
        clientTokens.clear();
        clientTokens.putAll(initialClients);
        actionTypesEverywhere.clear();
        actionTypesEverywhere.addAll(settings.actionTypes());
        regionalActionTypes.clear();
        settings.regionalActionTypes().forEach((region, types) -> types.forEach(t -> registerActionType(t, region)));
        actionTypeRegistrations.reset();
        actionTypeRegistrations.all().forEach(r -> registerActionType(r.getValue().id(), r.getKey()));
        settings.faultRules().forEach(this::addFaultRule);
        notifyAll();
    }

    public synchronized JobInfo enqueue(JobSpec spec) {
        JobSpec effective = spec;
        if (effective.isThirdParty() && effective.clientId() == null) {
            effective = effective.withClientId(defaultClientId());
        }
        if (effective.context().actionExecutionId() == null) {
            effective = effective.withActionExecutionId(Ids.uuid(random));
        }
        if (effective.region() == null) {
            effective = effective.withRegion(settings.defaultRegion());
        }
        if (!effective.isThirdParty()) {
            effective = withPipelineIdentity(effective);
        }
        registerActionType(effective.actionType(), effective.region());
        Instant now = clock.instant();
        String executionId = effective.context().pipelineExecutionId() != null
                ? effective.context().pipelineExecutionId() : Ids.uuid(random);
        JobRecord job = new JobRecord(Ids.uuid(random), effective, executionId, JobState.Queued, now,
                now.plus(settings.jobTimeout()));
        jobs.put(job.id, job);
        if (effective.continuationToken() == null) {
            events.action(Ids.uuid(random), now, job, "STARTED");
        }
        notifyAll();
        return job.info();
    }

    /** Custom jobs carry their pipeline's ARN and execution id, as the service's job data does. */
    private JobSpec withPipelineIdentity(JobSpec spec) {
        var context = spec.context().toBuilder();
        if (spec.context().pipelineExecutionId() == null) {
            context.pipelineExecutionId(Ids.uuid(random));
        }
        if (spec.context().pipelineArn() == null) {
            context.pipelineArn("arn:aws:codepipeline:" + spec.region() + ":" + spec.accountId() + ":"
                    + spec.context().pipelineName());
        }
        return spec.withContext(context.build());
    }

    /** The events of this emulator's pipelines. */
    public PipelineEvents events() {
        return events;
    }

    /** Makes the type known in every region. */
    public synchronized void registerActionType(ActionTypeId type) {
        actionTypesEverywhere.add(type);
    }

    /** Makes the type known in this region. */
    public synchronized void registerActionType(ActionTypeId type, String region) {
        regionalActionTypes.computeIfAbsent(region, r -> new HashSet<>()).add(type);
    }

    /** The action types registered with GetActionType's and ListActionTypes' details. */
    public RegisteredActionTypes actionTypeRegistrations() {
        return actionTypeRegistrations;
    }

    public String defaultRegion() {
        return settings.defaultRegion();
    }

    public synchronized void registerClient(String clientId, String clientToken) {
        clientTokens.put(clientId, clientToken);
    }

    public synchronized String defaultClientId() {
        return clientTokens.keySet().iterator().next();
    }

    public synchronized Optional<String> clientToken(String clientId) {
        return Optional.ofNullable(clientTokens.get(clientId));
    }

    public synchronized void addFaultRule(FaultRule rule) {
        int remaining = rule.trigger() instanceof FaultRule.Trigger.NextCalls next ? next.count() : -1;
        rules.add(new ActiveRule(rule, remaining));
    }

    public synchronized void clearFaultRules() {
        rules.clear();
    }

    public void addAcknowledgementListener(Consumer<JobInfo> listener) {
        acknowledgementListeners.add(listener);
    }

    public synchronized void timeOut(String jobId) {
        JobRecord job = jobs.get(jobId);
        if (job == null) {
            throw new IllegalArgumentException("no job " + jobId);
        }
        if (!job.state.isTerminal()) {
            markTimedOut(job, clock.instant());
            notifyAll();
        }
    }

    public synchronized void renewArtifactCredentials(String jobId, ArtifactCredentials credentials) {
        JobRecord job = jobs.get(jobId);
        if (job == null) {
            throw new IllegalArgumentException("no job " + jobId);
        }
        job.spec = job.spec.withArtifactCredentials(credentials);
    }

    public synchronized void applyTime() {
        tick();
    }

    synchronized List<JobRecord.JobView> poll(String region, ActionTypeId type, boolean thirdParty, int maxBatchSize,
            Map<String, String> queryParam) {
        tick();
        if ((type.owner() == ActionOwner.THIRD_PARTY) != thirdParty || !known(type, region)) {
            throw ApiException.actionTypeNotFound(type.category().apiName(), type.owner().apiName(),
                    type.provider(), type.version());
        }
        Instant now = clock.instant();
        List<JobRecord.JobView> offered = new ArrayList<>();
        for (JobRecord job : jobs.values()) {
            if (offered.size() >= maxBatchSize) {
                break;
            }
            if (job.region().equals(region) && job.spec.actionType().equals(type) && job.offerable(now)
                    && matches(job.spec, queryParam)) {
                job.offer(Ids.uuid(random), now.plus(settings.ackTimeout()));
                offered.add(job.view());
            }
        }
        notifyAll();
        return offered;
    }

    private boolean known(ActionTypeId type, String region) {
        return actionTypesEverywhere.contains(type)
                || regionalActionTypes.getOrDefault(region, Set.of()).contains(type);
    }

    synchronized JobRecord.JobView details(String region, String jobId, boolean thirdParty, String clientToken) {
        tick();
        return authorized(region, jobId, thirdParty, clientToken).view();
    }

    /**
     * Applies an acknowledgement, then, if it moved the job to InProgress, runs the acknowledgement listeners on
     * the calling thread with the monitor released. A listener's failure becomes a RuntimeException, which the
     * server answers with a 500; the acknowledgement stays applied.
     */
    JobState acknowledge(String region, String jobId, boolean thirdParty, String nonce, String clientToken) {
        Acknowledgement acknowledgement = applyAcknowledgement(region, jobId, thirdParty, nonce, clientToken);
        if (acknowledgement.applied() != null) {
            for (Consumer<JobInfo> listener : acknowledgementListeners) {
                try {
                    listener.accept(acknowledgement.applied());
                } catch (RuntimeException | AssertionError e) {
                    throw new IllegalStateException("an acknowledgement listener failed: " + e, e);
                }
            }
        }
        return acknowledgement.status();
    }

    private synchronized Acknowledgement applyAcknowledgement(String region, String jobId, boolean thirdParty,
            String nonce, String clientToken) {
        tick();
        JobRecord job = authorized(region, jobId, thirdParty, clientToken);
        if (!nonce.equals(job.nonce)) {
            throw new ApiException("InvalidNonceException", "The nonce is not valid for job " + jobId);
        }
        if (job.state == JobState.Abandoned) {
            throw abandoned(job);
        }
        if (job.state != JobState.Dispatched) {
            return new Acknowledgement(job.state, null);
        }
        job.state = JobState.InProgress;
        notifyAll();
        return new Acknowledgement(job.state, job.info());
    }

    synchronized void putSuccess(String region, String jobId, boolean thirdParty, String clientToken,
            RecordedResult.Revision revision, String continuationToken, RecordedResult.ExecutionDetails details,
            Map<String, String> outputVariables) {
        tick();
        JobRecord job = acceptingResult(region, jobId, thirdParty, clientToken);
        Instant now = clock.instant();
        job.state = JobState.Succeeded;
        job.endedAt = now;
        results.add(new RecordedResult.Success(job.id, job.spec.context().actionExecutionId(), now, revision,
                continuationToken, details, outputVariables, job.region()));
        if (continuationToken != null) {
            Instant available = now.plus(settings.continuationDelay());
            JobRecord next = new JobRecord(Ids.uuid(random), job.spec.withContinuationToken(continuationToken),
                    job.executionId, JobState.Created, available, available.plus(settings.jobTimeout()));
            jobs.put(next.id, next);
            tick();
        } else {
            events.action(Ids.uuid(random), now, job, "SUCCEEDED");
        }
        notifyAll();
    }

    synchronized void putFailure(String region, String jobId, boolean thirdParty, String clientToken, String type,
            String message, String externalExecutionId) {
        tick();
        JobRecord job = acceptingResult(region, jobId, thirdParty, clientToken);
        job.state = JobState.Failed;
        job.endedAt = clock.instant();
        results.add(new RecordedResult.Failure(job.id, job.spec.context().actionExecutionId(), job.endedAt,
                FailureType.fromApiName(type).orElseThrow(), message, externalExecutionId, job.region()));
        events.action(Ids.uuid(random), job.endedAt, job, "FAILED");
        notifyAll();
    }

    /** Another region's job is unknown here, as another regional endpoint would not know it. */
    private JobRecord authorized(String region, String jobId, boolean thirdParty, String clientToken) {
        JobRecord job = jobs.get(jobId);
        if (job == null || !job.region().equals(region) || job.isThirdParty() != thirdParty
                || job.state == JobState.Created) {
            throw new ApiException("JobNotFoundException", "Job with id " + jobId + " was not found");
        }
        if (thirdParty && !clientToken.equals(clientTokens.get(job.spec.clientId()))) {
            throw new ApiException("InvalidClientTokenException",
                    "The client token is not valid for the client of job " + jobId);
        }
        return job;
    }

    private JobRecord acceptingResult(String region, String jobId, boolean thirdParty, String clientToken) {
        JobRecord job = authorized(region, jobId, thirdParty, clientToken);
        if (job.state == JobState.Abandoned) {
            throw abandoned(job);
        }
        if (job.state != JobState.InProgress) {
            throw new ApiException("InvalidJobStateException", "Job " + jobId + " is in state " + job.state
                    + "; a result is accepted only while it is InProgress");
        }
        return job;
    }

    private static ApiException abandoned(JobRecord job) {
        return new ApiException("InvalidJobStateException", "Job " + job.id + " is no longer in progress: its action"
                + " execution was " + (job.cancelled ? "cancelled by a pipeline update" : "abandoned"));
    }

    /**
     * Stops a pipeline execution of {@code region}: with {@code abandon}, its jobs not yet ended are abandoned and
     * refuse their results; without, in-progress work may finish (the emulator has no later stages to hold back).
     * Publishes STOPPING, each action's ABANDONED, then STOPPED.
     */
    synchronized void stop(String region, String pipelineName, String executionId, boolean abandon, String reason) {
        tick();
        List<JobRecord> ofPipeline = jobs.values().stream()
                .filter(j -> j.region().equals(region) && j.pipelineName().equals(pipelineName)).toList();
        if (ofPipeline.isEmpty()) {
            throw new ApiException("PipelineNotFoundException", "The pipeline " + pipelineName + " was not found");
        }
        List<JobRecord> running = ofPipeline.stream()
                .filter(j -> j.executionId.equals(executionId) && !j.state.isTerminal()).toList();
        if (stoppedExecutions.contains(executionId)) {
            throw new ApiException("DuplicatedStopRequestException",
                    "A stop request was already made for execution " + executionId);
        }
        if (running.isEmpty()) {
            throw new ApiException("PipelineExecutionNotStoppableException",
                    "Execution " + executionId + " of pipeline " + pipelineName + " is not in progress");
        }
        stoppedExecutions.add(executionId);
        Instant now = clock.instant();
        events.pipeline(Ids.uuid(random), now, running.get(0), "STOPPING", reason);
        if (abandon) {
            end(running, false, now);
            events.pipeline(Ids.uuid(random), now, running.get(0), "STOPPED", reason);
        }
        notifyAll();
    }

    /** Stops and abandons the execution with this id, in the region and pipeline of its jobs. */
    public synchronized void stopAndAbandon(String executionId, String reason) {
        JobRecord any = jobs.values().stream().filter(j -> j.executionId.equals(executionId)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no job of pipeline execution " + executionId));
        stop(any.region(), any.pipelineName(), executionId, true, reason);
    }

    /**
     * Cancels every execution of this pipeline still running, in every region, as updating the pipeline's
     * structure does: its jobs are abandoned, each action execution gets CANCELED and each pipeline execution
     * CANCELED. Returns the jobs it ended.
     */
    public synchronized List<JobInfo> cancelByPipelineUpdate(String pipelineName) {
        tick();
        List<JobRecord> running = jobs.values().stream()
                .filter(j -> j.pipelineName().equals(pipelineName) && !j.state.isTerminal()).toList();
        Instant now = clock.instant();
        end(running, true, now);
        Map<String, JobRecord> executions = new LinkedHashMap<>();
        running.forEach(j -> executions.putIfAbsent(j.executionId, j));
        executions.values().forEach(j -> events.pipeline(Ids.uuid(random), now, j, "CANCELED", null));
        notifyAll();
        return running.stream().map(JobRecord::info).toList();
    }

    private void end(List<JobRecord> running, boolean cancelled, Instant now) {
        Set<String> actionExecutions = new HashSet<>();
        for (JobRecord job : running) {
            job.state = JobState.Abandoned;
            job.cancelled = cancelled;
            job.endedAt = now;
            if (actionExecutions.add(job.spec.context().actionExecutionId())) {
                events.action(Ids.uuid(random), now, job, cancelled ? "CANCELED" : "ABANDONED");
            }
        }
    }

    /**
     * The action executions of a pipeline of {@code region}, newest first, optionally of one pipeline execution:
     * each with the state of its latest job (a continuation chain is one execution).
     */
    synchronized List<ActionExecutionView> actionExecutions(String region, String pipelineName, String executionId) {
        tick();
        Map<String, List<JobRecord>> byAction = new LinkedHashMap<>();
        boolean pipelineKnown = false;
        for (JobRecord job : jobs.values()) {
            if (!job.region().equals(region) || !job.pipelineName().equals(pipelineName)) {
                continue;
            }
            pipelineKnown = true;
            if (executionId == null || job.executionId.equals(executionId)) {
                byAction.computeIfAbsent(job.spec.context().actionExecutionId(), k -> new ArrayList<>()).add(job);
            }
        }
        if (!pipelineKnown) {
            throw new ApiException("PipelineNotFoundException", "The pipeline " + pipelineName + " was not found");
        }
        List<ActionExecutionView> views = new ArrayList<>();
        byAction.forEach((actionExecutionId, chain) -> {
            JobRecord first = chain.get(0);
            JobRecord last = chain.get(chain.size() - 1);
            views.add(new ActionExecutionView(first.executionId, actionExecutionId, first.spec.context().stageName(),
                    first.spec.context().actionName(), first.availableAt,
                    last.endedAt != null ? last.endedAt : last.availableAt, status(last), first.spec));
        });
        views.sort(Comparator.comparing(ActionExecutionView::startTime).reversed());
        return views;
    }

    /** ListActionExecutions' status of the action execution whose latest job is {@code job}. */
    private static String status(JobRecord job) {
        return switch (job.state) {
            case Succeeded -> "Succeeded";
            case Failed, TimedOut -> "Failed";
            case Abandoned -> "Abandoned";
            case Created, Queued, Dispatched, InProgress -> "InProgress";
        };
    }

    /** One action execution as ListActionExecutions shows it. */
    record ActionExecutionView(String pipelineExecutionId, String actionExecutionId, String stageName,
                               String actionName, Instant startTime, Instant lastUpdateTime, String status,
                               JobSpec spec) {
    }

    private static boolean matches(JobSpec spec, Map<String, String> queryParam) {
        return queryParam.entrySet().stream()
                .allMatch(e -> e.getValue().equals(spec.configuration().get(e.getKey())));
    }

    private void tick() {
        Instant now = clock.instant();
        boolean changed = false;
        for (JobRecord job : jobs.values()) {
            if (job.state == JobState.Created && !now.isBefore(job.availableAt)) {
                job.state = JobState.Queued;
                changed = true;
            }
            if (job.state != JobState.Created && !job.state.isTerminal() && !now.isBefore(job.deadline)) {
                markTimedOut(job, job.deadline);
                changed = true;
            }
        }
        if (changed) {
            notifyAll();
        }
    }

    private void markTimedOut(JobRecord job, Instant at) {
        job.state = JobState.TimedOut;
        job.endedAt = at;
        results.add(new RecordedResult.TimedOut(job.id, job.spec.context().actionExecutionId(), at, job.region()));
        events.action(Ids.uuid(random), at, job, "FAILED");
    }

    /**
     * The faults for one call: any number of latencies, then at most one fault that shapes the answer.
     * A rule that is skipped because another already shaped the answer keeps its count.
     */
    synchronized List<Fault> faultsFor(String operation, String region) {
        List<Fault> chosen = new ArrayList<>();
        boolean answered = false;
        for (Iterator<ActiveRule> it = rules.iterator(); it.hasNext(); ) {
            ActiveRule active = it.next();
            FaultRule rule = active.rule;
            boolean shapesAnswer = !(rule.fault() instanceof Fault.Latency);
            if (!rule.covers(operation, region) || (shapesAnswer && answered)) {
                continue;
            }
            if (active.remaining > 0) {
                if (--active.remaining == 0) {
                    it.remove();
                }
            } else if (random.nextDouble() >= ((FaultRule.Trigger.Probability) rule.trigger()).probability()) {
                continue;
            }
            chosen.add(rule.fault());
            answered |= shapesAnswer;
        }
        chosen.sort(Comparator.comparing(fault -> !(fault instanceof Fault.Latency)));
        return chosen;
    }

    synchronized void recordCall(Instant at, String region, String operation, String body, int status,
            String errorType, List<Fault> faults) {
        calls.add(new RecordedCall(calls.size() + 1L, at, operation, body, status, errorType, faults, region));
        notifyAll();
    }

    Clock clock() {
        return clock;
    }

    public synchronized List<RecordedCall> calls() {
        return List.copyOf(calls);
    }

    public synchronized List<RecordedResult> results() {
        tick();
        return List.copyOf(results);
    }

    public synchronized List<JobInfo> jobs() {
        tick();
        return jobs.values().stream().map(JobRecord::info).toList();
    }

    public synchronized Optional<JobInfo> job(String jobId) {
        tick();
        return Optional.ofNullable(jobs.get(jobId)).map(JobRecord::info);
    }

    public synchronized RecordedResult awaitFinalResult(String actionExecutionId, Duration timeout) {
        return await(() -> results.stream()
                        .filter(r -> r.actionExecutionId().equals(actionExecutionId) && r.isFinal())
                        .findFirst(),
                timeout, () -> "a final result for action execution " + actionExecutionId);
    }

    public synchronized RecordedResult awaitResult(String jobId, Duration timeout) {
        return await(() -> results.stream().filter(r -> r.jobId().equals(jobId)).findFirst(),
                timeout, () -> "a result for job " + jobId);
    }

    public synchronized RecordedCall awaitCall(Predicate<RecordedCall> condition, Duration timeout) {
        return await(() -> calls.stream().filter(condition).findFirst(), timeout, () -> "a matching call");
    }

    private <T> T await(Supplier<Optional<T>> probe, Duration timeout, Supplier<String> what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            tick();
            Optional<T> found = probe.get();
            if (found.isPresent()) {
                return found.get();
            }
            long leftMillis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (leftMillis <= 0) {
                throw new AssertionError("No " + what.get() + " within " + timeout + ". Results: " + results
                        + "; last calls: " + calls.subList(Math.max(0, calls.size() - 10), calls.size()));
            }
            try {
                wait(Math.min(leftMillis, MAX_WAIT_SLICE_MILLIS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what.get(), e);
            }
        }
    }

    /** The status an acknowledgement answers, and the job's snapshot when it moved the job to InProgress. */
    private record Acknowledgement(JobState status, JobInfo applied) {
    }

    /** A fault rule with its remaining count (-1 for a probability rule). */
    private static final class ActiveRule {
        final FaultRule rule;
        int remaining;

        ActiveRule(FaultRule rule, int remaining) {
            this.rule = rule;
            this.remaining = remaining;
        }
    }
}

package dev.pipelineworker.reliability.faults;

import static dev.pipelineworker.reliability.faults.Fixtures.CUSTOM;
import static dev.pipelineworker.reliability.faults.Fixtures.THIRD_PARTY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobHandler;
import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.JobQueue;
import dev.pipelineworker.JobWorker;
import dev.pipelineworker.JobWorkerListener;
import dev.pipelineworker.testkit.LocalCodePipeline;
import dev.pipelineworker.testkit.emulator.Fault;
import dev.pipelineworker.testkit.emulator.FaultRule;
import dev.pipelineworker.testkit.emulator.JobInfo;
import dev.pipelineworker.testkit.emulator.JobSpec;
import dev.pipelineworker.testkit.emulator.JobState;
import dev.pipelineworker.testkit.emulator.RecordedCall;
import dev.pipelineworker.testkit.emulator.RecordedResult;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;

/**
 * Hundreds of jobs through real {@link JobWorker}s (three per action type, each with its own SDK client, all on
 * one queue per type) against {@link LocalCodePipeline}, with faults on every operation: throttling, 5xx,
 * latency and dropped connections from the emulator, and, for two of every three workers, answers lost after
 * the emulator applied the call (connection reset, malformed chunk, random bytes, truncated JSON, slow body)
 * from a WireMock proxy. Handlers succeed, continue then succeed, fail or throw.
 *
 * <p>Afterwards every job must have ended with exactly the one result its handler chose, run once, and the
 * workers must still be polling. Scale: {@code -Dfaults.jobs=2000}; reproduce: {@code -Dfaults.seed=<seed>}
 * (the seed fixes the job mix and which calls the emulator and the proxy break, within thread scheduling);
 * fault rates: {@code -Dfaults.rate=2.0} doubles them.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class FaultSuiteTest {

    private static final int JOBS = Integer.getInteger("faults.jobs", 400);
    private static final long SEED = Long.getLong("faults.seed", 20_250_611L);
    private static final double RATE = Double.parseDouble(System.getProperty("faults.rate", "1.0"));
    /** The storm phase multiplies the fault rates by this, on top of {@code faults.rate}. */
    private static final double STORM = 3.0;
    private static final int WORKERS_PER_TYPE = 3;
    /**
     * How long the emulator waits for an acknowledgement before it hands a job out again (the service does not
     * document its value). Shorter than a claim can take in the storm, so re-offers happen.
     */
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration COMPLETION_BOUND = Duration.ofSeconds(120 + JOBS / 10);

    private LocalCodePipeline cp;
    private HttpFaultProxy proxy;
    private final List<JobWorker> workers = new ArrayList<>();
    private final List<CodePipelineClient> clients = new ArrayList<>();
    private final List<AtomicLong> pollsPerWorker = new ArrayList<>();
    private final Map<String, AtomicInteger> invocations = new ConcurrentHashMap<>();
    /** What each job's handler chose: success, continue, fail:<type>. */
    private final Map<String, String> chosen = new ConcurrentHashMap<>();
    private final List<String> handlerProblems = new CopyOnWriteArrayList<>();
    private final Map<String, Level> savedLevels = new HashMap<>();

    @BeforeEach
    void quietenExpectedWarnings() {
        for (String logger : List.of("dev.pipelineworker", "software.amazon.awssdk", "com.github.tomakehurst",
                "wiremock", "org.eclipse.jetty")) {
            savedLevels.put(logger, Fixtures.logLevel(logger, Level.ERROR));
        }
    }

    @AfterEach
    void tearDown() {
        workers.forEach(JobWorker::shutdown);
        workers.forEach(JobWorker::close);
        clients.forEach(CodePipelineClient::close);
        if (proxy != null) {
            proxy.close();
        }
        if (cp != null) {
            cp.close();
        }
        savedLevels.forEach(Fixtures::logLevel);
    }

    /**
     * {@code steady}: every call of every operation has about a one in five chance of a fault, which the SDK's own
     * retries mostly absorb. {@code storm}: three times the rates, so SDK retries run out and the worker's own
     * (acknowledgement, report, poll backoff) are needed, plus a total outage (every call answered 503) for a few
     * hundred calls once a third of the jobs are done.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"steady, 1.0, 0", "storm, " + STORM + ", 3000"})
    void everyAcknowledgedJobEndsWithExactlyOneResultUnderFaults(String phase, double phaseRate, long outageMillis)
            throws Exception {
        double rate = RATE * phaseRate;
        System.out.printf("fault suite %s: seed=%d jobs=%d rate=%.2f outage=%d ms (reproduce with -Dfaults.seed=%d"
                + " -Dfaults.jobs=%d -Dfaults.rate=%s)%n", phase, SEED, JOBS, rate, outageMillis, SEED, JOBS, RATE);
        long started = System.nanoTime();
        List<FaultRule> faults = List.of(
                FaultRule.withProbability(0.05 * rate, Fault.throttling()),
                FaultRule.withProbability(0.025 * rate, Fault.serverError(500)),
                FaultRule.withProbability(0.015 * rate, Fault.serverError(503)),
                FaultRule.withProbability(0.04 * rate, Fault.latency(Duration.ofMillis(400))),
                FaultRule.withProbability(0.025 * rate, Fault.dropConnection()));
        cp = Fixtures.emulator(SEED)
                .ackTimeout(ACK_TIMEOUT)
                .jobTimeout(Duration.ofMinutes(30))
                .continuationDelay(Duration.ofMillis(200))
                .start();
        faults.forEach(cp::injectFault);
        proxy = new HttpFaultProxy(cp.endpoint(), SEED + 1, rate);

        Random mix = new Random(SEED + 2);
        Map<String, String> modeByExecution = new LinkedHashMap<>();
        for (int i = 0; i < JOBS; i++) {
            ActionTypeId type = i % 2 == 0 ? THIRD_PARTY : CUSTOM;
            String mode = pickMode(mix);
            JobInfo job = cp.enqueue(JobSpec.builder(type)
                    .configuration("mode", mode)
                    .configuration("workMs", Integer.toString(mix.nextInt(40)))
                    .build());
            modeByExecution.put(job.actionExecutionId(), mode);
        }
        for (ActionTypeId type : List.of(THIRD_PARTY, CUSTOM)) {
            for (int w = 0; w < WORKERS_PER_TYPE; w++) {
                // One worker per type talks to the emulator directly (its drops are real drops); the others go
                // through the proxy, where answers are also lost after the emulator applied the call.
                URI endpoint = w == 0 ? cp.endpoint() : proxy.endpoint();
                startWorker(type, endpoint, SEED + 10 + workers.size());
            }
        }

        Set<String> executions = modeByExecution.keySet();
        Instant deadline = Instant.now().plus(COMPLETION_BOUND);
        if (outageMillis > 0 && awaitUntil("a third of the action executions ended", deadline,
                () -> finalExecutions(executions) >= executions.size() / 3)) {
            // CodePipeline answers every call with 503 for a while, then recovers.
            cp.clearFaults();
            cp.injectFault(FaultRule.withProbability(1.0, Fault.serverError(503)));
            Thread.sleep(outageMillis);
            cp.clearFaults();
            faults.forEach(cp::injectFault);
        }
        awaitUntil("every action execution ended", deadline, () -> finalExecutions(executions) == executions.size());
        long runMillis = (System.nanoTime() - started) / 1_000_000;

        // The workers are still polling once every job is done. A poll that meets the faults can take up to the
        // client's call timeout (15 s) before it fails and counts, so each worker gets that long to poll again.
        Instant lastResult = cp.results().stream().map(RecordedResult::at).max(Instant::compareTo).orElseThrow();
        long[] pollsBefore = pollsPerWorker.stream().mapToLong(AtomicLong::get).toArray();
        awaitUntil("every worker polled again", Instant.now().plusSeconds(20), () -> everyWorkerPolledSince(pollsBefore));
        List<String> violations = new ArrayList<>();
        for (int w = 0; w < workers.size(); w++) {
            if (!workers.get(w).isRunning() || pollsPerWorker.get(w).get() <= pollsBefore[w]) {
                violations.add("worker " + w + " stopped polling (running=" + workers.get(w).isRunning()
                        + ", polls " + pollsBefore[w] + " -> " + pollsPerWorker.get(w).get() + ")");
            }
        }
        long pollsAfterLastResult = cp.calls().stream()
                .filter(c -> Fixtures.isPoll(c) && c.at().isAfter(lastResult)).count();
        if (pollsAfterLastResult == 0) {
            violations.add("no poll reached the emulator after the last result");
        }

        // Check the whole record.
        proxy.stopFaults();
        cp.clearFaults();
        List<JobInfo> jobs = cp.jobs();
        List<RecordedResult> results = cp.results();
        List<RecordedCall> calls = cp.calls();
        Map<String, List<RecordedResult>> resultsByJob = results.stream()
                .collect(Collectors.groupingBy(RecordedResult::jobId));
        Map<String, Long> acceptedPutsByJob = calls.stream().filter(c -> Fixtures.isPut(c) && c.succeeded())
                .collect(Collectors.groupingBy(Fixtures::jobIdOf, Collectors.counting()));
        Set<String> acknowledged = calls.stream().filter(c -> Fixtures.isAck(c) && c.succeeded())
                .map(Fixtures::jobIdOf).collect(Collectors.toSet());

        int lost = 0;
        int duplicates = 0;
        for (JobInfo job : jobs) {
            String id = job.jobId();
            List<RecordedResult> own = resultsByJob.getOrDefault(id, List.of());
            int runs = invocations.getOrDefault(id, new AtomicInteger()).get();
            if (job.state() != JobState.Succeeded && job.state() != JobState.Failed) {
                violations.add("job " + id + " ended " + job.state() + " (offered " + job.offerCount()
                        + "x, acknowledged=" + acknowledged.contains(id) + ", handler runs " + runs + "); its calls: "
                        + history(calls, id));
                lost++;
                continue;
            }
            if (!acknowledged.contains(id)) {
                violations.add("job " + id + " has a result but no accepted acknowledgement");
            }
            if (own.size() != 1 || acceptedPutsByJob.getOrDefault(id, 0L) != 1) {
                violations.add("job " + id + " has " + own.size() + " results and "
                        + acceptedPutsByJob.getOrDefault(id, 0L) + " accepted puts");
                duplicates += Math.max(0, own.size() - 1);
            }
            if (runs != 1) {
                violations.add("job " + id + " ran its handler " + runs + " times (offered " + job.offerCount()
                        + "x); its calls: " + history(calls, id));
                duplicates += Math.max(0, runs - 1);
            }
            String expected = chosen.get(id);
            String actual = own.isEmpty() ? "none" : describe(own.get(0));
            if (!actual.equals(expected)) {
                violations.add("job " + id + ": the handler chose " + expected + " but CodePipeline got " + actual);
            }
        }
        for (String id : acknowledged) {
            if (!resultsByJob.containsKey(id) && jobs.stream().noneMatch(j -> j.jobId().equals(id))) {
                violations.add("acknowledged job " + id + " is unknown");
            }
        }
        // Each action execution ends the way its mode says, and a continuation's next job carries the token.
        for (Map.Entry<String, String> execution : modeByExecution.entrySet()) {
            String mode = execution.getValue();
            List<JobInfo> chain = cp.jobsForAction(execution.getKey());
            List<String> kinds = cp.resultsForAction(execution.getKey()).stream().map(FaultSuiteTest::describe).toList();
            List<String> wanted = switch (mode) {
                case "continue" -> List.of("continue", "success");
                case "fail" -> List.of("fail:ConfigurationError");
                case "throw" -> List.of("fail:JobFailed");
                default -> List.of("success");
            };
            if (!kinds.equals(wanted) || chain.size() != wanted.size()) {
                violations.add("action execution " + execution.getKey() + " (" + mode + ") ended " + kinds
                        + " over " + chain.size() + " jobs");
            } else if (mode.equals("continue")) {
                RecordedResult.Success first = (RecordedResult.Success) cp.resultsForJob(chain.get(0).jobId()).get(0);
                if (!first.continuationToken().equals(chain.get(1).spec().continuationToken())) {
                    violations.add("action execution " + execution.getKey() + ": the follow-up job carries "
                            + chain.get(1).spec().continuationToken() + ", not " + first.continuationToken());
                }
            }
        }
        violations.addAll(handlerProblems);

        Map<String, Integer> emulatorFaults = new TreeMap<>();
        for (RecordedCall call : calls) {
            for (Fault fault : call.faults()) {
                emulatorFaults.merge(faultName(fault), 1, Integer::sum);
            }
        }
        long accepted = results.stream().filter(r -> !(r instanceof RecordedResult.TimedOut)).count();
        long reoffered = jobs.stream().filter(j -> j.offerCount() > 1).count();
        int handlerRuns = invocations.values().stream().mapToInt(AtomicInteger::get).sum();
        System.out.printf("fault suite figures (%s): seed=%d action executions=%d jobs=%d (continuations %d) calls=%d "
                        + "emulator faults=%s http faults=%s results accepted=%d handler runs=%d re-offered=%d "
                        + "duplicates=%d lost=%d time to drain=%d ms%n",
                phase, SEED, executions.size(), jobs.size(), jobs.size() - executions.size(), calls.size(), emulatorFaults,
                proxy.injected(), accepted, handlerRuns, reoffered, duplicates, lost, runMillis);
        System.out.println("fault suite: http faults by operation " + proxy.injectedByOperation());

        // Closing under no load is quick and leaves nothing behind.
        long closing = System.nanoTime();
        workers.forEach(JobWorker::shutdown);
        for (JobWorker worker : workers) {
            assertThat(worker.awaitTermination(Duration.ofSeconds(20))).as("worker terminated").isTrue();
        }
        assertThat(Duration.ofNanos(System.nanoTime() - closing)).isLessThan(Duration.ofSeconds(20));

        assertThat(violations).as("invariant violations (" + phase + ", seed " + SEED + ")").isEmpty();
        assertThat(emulatorFaults).as("the emulator injected faults").isNotEmpty();
        assertThat(proxy.total()).as("the proxy injected faults").isPositive();
        assertThat(lost).isZero();
        assertThat(duplicates).isZero();
    }

    /** The calls naming this job, with the time since the first, status and faults: what a failure needs. */
    private static String history(List<RecordedCall> calls, String jobId) {
        List<RecordedCall> own = calls.stream().filter(c -> jobId.equals(Fixtures.jobIdOf(c))).toList();
        if (own.isEmpty()) {
            return "none";
        }
        Instant first = own.get(0).at();
        return own.stream().map(c -> "+" + Duration.between(first, c.at()).toMillis() + "ms " + c.operation() + " "
                        + (c.status() == RecordedCall.NO_RESPONSE ? "dropped" : c.status())
                        + (c.faults().isEmpty() ? "" : " " + c.faults()))
                .collect(Collectors.joining(", ", "[", "]"));
    }

    private static String pickMode(Random mix) {
        double roll = mix.nextDouble();
        return roll < 0.40 ? "success" : roll < 0.65 ? "continue" : roll < 0.85 ? "fail" : "throw";
    }

    /**
     * Waits until the condition holds or the deadline passes, and says which; what did not happen by then is
     * reported below as a violation, with the figures and call histories a failure needs.
     */
    private static boolean awaitUntil(String what, Instant deadline, Callable<Boolean> condition) {
        Duration left = Duration.between(Instant.now(), deadline);
        try {
            await(what).atMost(left.isNegative() || left.isZero() ? Duration.ofMillis(1) : left)
                    .pollInterval(Duration.ofMillis(100)).until(condition);
            return true;
        } catch (ConditionTimeoutException notYet) {
            return false;
        }
    }

    private int finalExecutions(Set<String> executions) {
        return (int) cp.results().stream().filter(RecordedResult::isFinal).map(RecordedResult::actionExecutionId)
                .filter(executions::contains).distinct().count();
    }

    private void startWorker(ActionTypeId type, URI endpoint, long seed) {
        CodePipelineClient client = Fixtures.client(endpoint);
        clients.add(client);
        AtomicLong polls = new AtomicLong();
        pollsPerWorker.add(polls);
        JobWorker worker = Fixtures.worker(type, handler(), client, seed)
                .listener(new JobWorkerListener() {
                    @Override
                    public void polled(JobQueue queue, int requested, int received) {
                        polls.incrementAndGet();
                    }

                    @Override
                    public void pollFailed(JobQueue queue, Throwable error, boolean throttled) {
                        polls.incrementAndGet();
                    }
                })
                .build();
        workers.add(worker);
        worker.start();
    }

    private boolean everyWorkerPolledSince(long[] pollsBefore) {
        for (int w = 0; w < workers.size(); w++) {
            if (pollsPerWorker.get(w).get() <= pollsBefore[w]) {
                return false;
            }
        }
        return true;
    }

    private JobHandler handler() {
        return context -> {
            String jobId = context.jobId();
            invocations.computeIfAbsent(jobId, id -> new AtomicInteger()).incrementAndGet();
            String mode = context.configuration().requireString("mode");
            Thread.sleep(context.configuration().requireInt("workMs"));
            String token = "wait:" + context.pipeline().actionExecutionId();
            switch (mode) {
                case "continue" -> {
                    if (context.continuationToken().isEmpty()) {
                        chosen.put(jobId, "continue");
                        return JobOutcome.continueWith(token).withSummary("waiting");
                    }
                    if (!context.continuationToken().get().equals(token)) {
                        handlerProblems.add("job " + jobId + " got continuation token "
                                + context.continuationToken().get() + ", expected " + token);
                    }
                    chosen.put(jobId, "success");
                    return JobOutcome.success("done after waiting");
                }
                case "fail" -> {
                    chosen.put(jobId, "fail:ConfigurationError");
                    return JobOutcome.fail(FailureType.CONFIGURATION_ERROR, "the setting is wrong");
                }
                case "throw" -> {
                    chosen.put(jobId, "fail:JobFailed");
                    throw new IllegalStateException("handler blew up");
                }
                default -> {
                    chosen.put(jobId, "success");
                    return JobOutcome.success("ok");
                }
            }
        };
    }

    private static String describe(RecordedResult result) {
        if (result instanceof RecordedResult.Success s) {
            return s.continuationToken() == null ? "success" : "continue";
        }
        if (result instanceof RecordedResult.Failure f) {
            return "fail:" + f.type().apiName();
        }
        return "timedOut";
    }

    private static String faultName(Fault fault) {
        if (fault instanceof Fault.ServerError e) {
            return "http" + e.status();
        }
        if (fault instanceof Fault.Throttling) {
            return "throttling";
        }
        if (fault instanceof Fault.DropConnection) {
            return "drop";
        }
        return "latency";
    }
}

package dev.pipelineworker.reliability.faults;

import static dev.pipelineworker.reliability.faults.Fixtures.CUSTOM;
import static dev.pipelineworker.reliability.faults.Fixtures.THIRD_PARTY;
import static dev.pipelineworker.reliability.faults.HttpFaultProxy.Kind.CONNECTION_RESET;
import static dev.pipelineworker.reliability.faults.HttpFaultProxy.Kind.INVALID_NONCE;
import static dev.pipelineworker.reliability.faults.HttpFaultProxy.Kind.MALFORMED_BODY;
import static dev.pipelineworker.reliability.faults.HttpFaultProxy.Kind.RANDOM_DATA_THEN_CLOSE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.Backoff;
import dev.pipelineworker.JobHandler;
import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.JobQueue;
import dev.pipelineworker.JobWorker;
import dev.pipelineworker.JobWorkerListener;
import dev.pipelineworker.reliability.faults.HttpFaultProxy.Kind;
import dev.pipelineworker.testkit.LocalCodePipeline;
import dev.pipelineworker.testkit.emulator.Fault;
import dev.pipelineworker.testkit.emulator.FaultRule;
import dev.pipelineworker.testkit.emulator.JobInfo;
import dev.pipelineworker.testkit.emulator.JobSpec;
import dev.pipelineworker.testkit.emulator.JobState;
import dev.pipelineworker.testkit.emulator.Operation;
import dev.pipelineworker.testkit.emulator.RecordedCall;
import dev.pipelineworker.testkit.emulator.RecordedResult;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;

/**
 * The acknowledgement is applied by CodePipeline but its answer never reaches the worker, on every attempt the
 * SDK makes: the job is InProgress, owned by nobody if the worker gives up. What the fault suite found at three
 * times its usual fault rate, here made deterministic. The worker must find out that the job is its own (by
 * acknowledging again) and run and report it exactly once.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LostAcknowledgementTest {

    private LocalCodePipeline cp;
    private HttpFaultProxy proxy;
    private CodePipelineClient client;
    private JobWorker worker;
    private Level savedLevel;

    @BeforeEach
    void setUp() {
        savedLevel = Fixtures.logLevel("dev.pipelineworker", Level.ERROR);
        cp = Fixtures.emulator(7).continuationDelay(Duration.ZERO).start();
        proxy = new HttpFaultProxy(cp.endpoint(), 7, 0.0);
        client = Fixtures.client(proxy.endpoint());
    }

    @AfterEach
    void tearDown() {
        if (worker != null) {
            worker.close();
        }
        client.close();
        proxy.close();
        cp.close();
        Fixtures.logLevel("dev.pipelineworker", savedLevel);
    }

    static Stream<Arguments> lostAnswers() {
        return Stream.of(
                // Every SDK attempt of the first call is applied and its answer lost; the emulator answers a
                // repeated acknowledgement with the same nonce with InProgress.
                Arguments.of(THIRD_PARTY, new Kind[] {CONNECTION_RESET, CONNECTION_RESET, CONNECTION_RESET,
                        CONNECTION_RESET}),
                Arguments.of(CUSTOM, new Kind[] {MALFORMED_BODY, MALFORMED_BODY, MALFORMED_BODY, MALFORMED_BODY}),
                Arguments.of(CUSTOM, new Kind[] {RANDOM_DATA_THEN_CLOSE, RANDOM_DATA_THEN_CLOSE,
                        RANDOM_DATA_THEN_CLOSE, RANDOM_DATA_THEN_CLOSE}),
                // As above, but the service refuses the repeated acknowledgement because its nonce is spent.
                Arguments.of(THIRD_PARTY, new Kind[] {CONNECTION_RESET, CONNECTION_RESET, CONNECTION_RESET,
                        CONNECTION_RESET, INVALID_NONCE}),
                // The SDK's own retry is refused for the spent nonce (handled before this suite existed).
                Arguments.of(CUSTOM, new Kind[] {CONNECTION_RESET, INVALID_NONCE}));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("lostAnswers")
    void anAcknowledgementWhoseAnswerIsLostStillGetsTheJobRunAndReported(ActionTypeId type, Kind[] answers)
            throws Exception {
        String ack = type == THIRD_PARTY ? Operation.ACKNOWLEDGE_THIRD_PARTY_JOB.wireName()
                : Operation.ACKNOWLEDGE_JOB.wireName();
        proxy.breakNext(ack, answers);
        AtomicInteger runs = new AtomicInteger();
        JobInfo job = cp.enqueue(JobSpec.builder(type).build());
        worker = Fixtures.worker(type, context -> {
            runs.incrementAndGet();
            return JobOutcome.success("ran");
        }, client, 7).build().start();

        RecordedResult result;
        try {
            result = cp.awaitFinalResult(job.actionExecutionId(), Duration.ofSeconds(20));
        } catch (AssertionError e) {
            throw new AssertionError("no result; job " + cp.job(job.jobId()).orElseThrow().state() + ", handler runs "
                    + runs + ", calls other than polls: " + cp.calls().stream().filter(c -> !Fixtures.isPoll(c))
                    .toList() + ", broken answers " + proxy.injectedByOperation());
        }

        assertThat(result).isInstanceOf(RecordedResult.Success.class);
        assertThat(cp.resultsForJob(job.jobId())).hasSize(1);
        assertThat(cp.job(job.jobId())).get().extracting(JobInfo::state).isEqualTo(JobState.Succeeded);
        await("handler finished").atMost(Duration.ofSeconds(5)).until(() -> worker.inFlightJobs() == 0);
        assertThat(runs).hasValue(1);
        assertThat(cp.calls().stream().filter(Fixtures::isAck).filter(RecordedCall::succeeded).count())
                .as("acknowledgements the emulator applied").isGreaterThanOrEqualTo(2);
        assertThat(proxy.injected().values().stream().mapToInt(Integer::intValue).sum())
                .as("broken answers").isEqualTo(answers.length);
    }

    /**
     * The other side of taking a refused nonce as ours: here the first acknowledgement never reached the job (503
     * before it was applied), the job was handed to a second worker meanwhile, and the first worker's repeated
     * acknowledgement is refused. The third-party job's details show that its nonce changed, so the first worker
     * must leave the job to the second: one handler run, one result.
     */
    @Test
    void aRefusedNonceIsNotTakenAsOursWhenTheJobWasHandedToAnotherWorker() throws Exception {
        cp.close();
        cp = Fixtures.emulator(8).ackTimeout(Duration.ofMillis(500)).start();
        client.close();
        client = Fixtures.client(cp.endpoint());
        cp.injectFault(FaultRule.nextCalls(4, Fault.serverError(503), Operation.ACKNOWLEDGE_THIRD_PARTY_JOB));
        Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        JobHandler handler = context -> {
            runs.computeIfAbsent(context.jobId(), id -> new AtomicInteger()).incrementAndGet();
            return JobOutcome.success("ran");
        };
        JobInfo job = cp.enqueue(JobSpec.builder(THIRD_PARTY).build());
        CountDownLatch firstLeftTheJob = new CountDownLatch(1);
        // The first worker waits 2 s before it asks again; the job is handed out again after 0.5 s.
        worker = Fixtures.worker(THIRD_PARTY, handler, client, 8)
                .reportRetries(3, new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(2), 1.0, 0.0))
                .listener(new JobWorkerListener() {
                    @Override
                    public void lostToOtherWorker(JobQueue queue, String jobId) {
                        firstLeftTheJob.countDown();
                    }
                })
                .build().start();
        cp.awaitCall(c -> Fixtures.isAck(c) && c.status() == 503 && c.sequence() > 0
                && cp.calls().stream().filter(Fixtures::isAck).count() >= 4, Duration.ofSeconds(10));
        try (CodePipelineClient secondClient = Fixtures.client(cp.endpoint());
                JobWorker second = Fixtures.worker(THIRD_PARTY, handler, secondClient, 9).build().start()) {
            cp.awaitFinalResult(job.actionExecutionId(), Duration.ofSeconds(10));
            // The first worker asks again, is refused, sees the nonce changed and leaves the job: its claim ends.
            cp.awaitCall(c -> Fixtures.isAck(c) && "InvalidNonceException".equals(c.errorType()),
                    Duration.ofSeconds(10));
            assertThat(firstLeftTheJob.await(10, TimeUnit.SECONDS)).as("the first worker left the job").isTrue();
            await("the first worker's claim ended").atMost(Duration.ofSeconds(5))
                    .until(() -> worker.inFlightJobs() == 0);
            assertThat(cp.resultsForJob(job.jobId())).hasSize(1);
            assertThat(runs.get(job.jobId())).hasValue(1);
        }
    }
}

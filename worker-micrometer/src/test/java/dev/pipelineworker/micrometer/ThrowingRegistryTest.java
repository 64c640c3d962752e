package dev.pipelineworker.micrometer;

import static dev.pipelineworker.micrometer.Bench.SDK_MAX_ATTEMPTS;
import static dev.pipelineworker.micrometer.Bench.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobObserver;
import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.JobQueue;
import dev.pipelineworker.JobWorker;
import dev.pipelineworker.JobWorkerListener;
import dev.pipelineworker.PipelineContext;
import dev.pipelineworker.internal.SafeListener;
import dev.pipelineworker.testkit.emulator.Fault;
import dev.pipelineworker.testkit.emulator.FaultRule;
import dev.pipelineworker.testkit.emulator.JobInfo;
import dev.pipelineworker.testkit.emulator.Operation;
import dev.pipelineworker.testkit.emulator.RecordedResult;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.regions.Region;

/**
 * A registry that throws on every call never affects a job: the real worker, fed through the metrics' listener,
 * observer and gauges, still reports every job as its handler said, through poll and report faults too, and no
 * registry failure reaches the worker's own listener guard.
 */
class ThrowingRegistryTest {

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final List<Logger> watched = new ArrayList<>();
    private Bench bench;

    static Stream<Arguments> registries() {
        return Stream.of(
                Arguments.of("refusing every registration", new FailingRegistries.Refusing(
                        () -> new IllegalStateException("registry down"))),
                Arguments.of("whose meters throw on every measurement", new FailingRegistries.BrokenMeters()));
    }

    @BeforeEach
    void watchLogs() {
        logs.start();
        for (String name : List.of(SafeListener.class.getName(), "dev.pipelineworker.internal.SafeObserver",
                "dev.pipelineworker.micrometer")) {
            Logger logger = (Logger) LoggerFactory.getLogger(name);
            logger.addAppender(logs);
            watched.add(logger);
        }
    }

    @AfterEach
    void close() {
        if (bench != null) {
            bench.close();
        }
        watched.forEach(logger -> logger.detachAppender(logs));
    }

    @ParameterizedTest(name = "a registry {0}")
    @MethodSource("registries")
    void everyJobStillGetsItsResult(String kind, MeterRegistry registry) {
        bench = new Bench(emulator -> emulator
                .faultRule(FaultRule.nextCalls(SDK_MAX_ATTEMPTS, Fault.serverError(500),
                        Operation.POLL_FOR_THIRD_PARTY_JOBS))
                .faultRule(FaultRule.nextCalls(SDK_MAX_ATTEMPTS, Fault.throttling(),
                        Operation.POLL_FOR_THIRD_PARTY_JOBS))
                .faultRule(FaultRule.nextCalls(SDK_MAX_ATTEMPTS, Fault.serverError(503),
                        Operation.PUT_THIRD_PARTY_JOB_SUCCESS_RESULT)));
        PipelineWorkerMetrics metrics = PipelineWorkerMetrics.builder(registry).includePipelineTags(true).build();
        JobWorker worker = bench.build(metrics.instrument(bench.thirdParty(Bench.HANDLER)));
        assertThatCode(() -> metrics.bindTo(worker)).doesNotThrowAnyException();
        worker.start();
        Map<String, JobInfo> jobs = Map.of(
                "Success", bench.enqueue("success"),
                "ConfigurationError", bench.enqueue("fail"),
                "JobFailed", bench.enqueue("throw"),
                "Success after a continuation", bench.enqueue("continue"));

        jobs.forEach((expected, job) -> {
            RecordedResult result = bench.emulator().awaitFinalResult(job.actionExecutionId(), WAIT);
            String type = result instanceof RecordedResult.Failure failure ? failure.type().apiName() : "Success";
            assertThat(expected).as(kind + ": the result of " + job.jobId()).startsWith(type);
        });
        assertThat(bench.emulator().resultsForAction(jobs.get("Success after a continuation").actionExecutionId()))
                .hasSize(2);

        assertThat(failures(registry)).as("the registry did throw").isPositive();
        assertThat(logs.list).as("no registry failure reached the worker's guards")
                .noneSatisfy(e -> assertThat(e.getLoggerName()).startsWith("dev.pipelineworker.internal"));
        assertThat(logs.list).filteredOn(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN)
                .as("one warning, then quiet").singleElement()
                .satisfies(e -> assertThat(e.getFormattedMessage()).startsWith("the meter registry threw"));
        assertThatCode(metrics::close).doesNotThrowAnyException();
    }

    @Test
    void noListenerOrObserverCallThrowsWhateverTheRegistryThrows() {
        JobQueue queue = JobQueue.of(Bench.THIRD_PARTY, Region.EU_WEST_1);
        List<MeterRegistry> registries = List.of(new FailingRegistries.Refusing(() -> new IllegalStateException("down")),
                new FailingRegistries.BrokenMeters(), FailingRegistries.mismatchedVersion());
        for (MeterRegistry registry : registries) {
            for (boolean pipelineTags : List.of(false, true)) {
                PipelineWorkerMetrics metrics = PipelineWorkerMetrics.builder(registry)
                        .includePipelineTags(pipelineTags).build();
                JobWorkerListener listener = metrics.listener();
                assertThatCode(() -> {
                    JobObserver.JobObservation observation = metrics.observer().jobStarted(queue, "job-1");
                    observation.phase(JobObserver.JobPhase.CLAIM, () -> { });
                    listener.polled(queue, 8, 1);
                    listener.polled(queue, 8, 0);
                    listener.pollFailed(queue, new RuntimeException("poll"), false);
                    listener.pollFailed(queue, new RuntimeException("throttled"), true);
                    listener.claimed(queue, "job-1");
                    observation.claimed(Bench.THIRD_PARTY, PipelineContext.builder().pipelineName("p").build());
                    listener.lostToOtherWorker(queue, "job-2");
                    listener.handlerFinished(queue, "job-1", Duration.ofMillis(5), JobOutcome.success());
                    listener.handlerFinished(queue, "job-1", Duration.ofMillis(5), JobOutcome.continueWith("t"));
                    listener.handlerFinished(queue, "job-1", Duration.ofMillis(5),
                            JobOutcome.fail(FailureType.JOB_FAILED, "no"));
                    listener.succeeded(queue, "job-1");
                    listener.continued(queue, "job-1");
                    listener.failed(queue, "job-1", FailureType.PERMISSION_ERROR);
                    listener.reportRetried(queue, "job-1", 2, new RuntimeException("retry"));
                    listener.reportAbandoned(queue, "job-1", new RuntimeException("gone"));
                    listener.resultAccepted(queue, "job-1", Duration.ofMillis(3), Duration.ofMillis(9));
                    listener.resultAccepted(queue, "job-1", Duration.ofMillis(3), null);
                    observation.ended(JobObserver.JobEnding.of(JobObserver.JobEnding.Result.SUCCEEDED));
                    metrics.close();
                }).as(registry.getClass().getSimpleName() + ", pipeline tags " + pipelineTags)
                        .doesNotThrowAnyException();
            }
            assertThat(failures(registry)).isPositive();
        }
    }

    private static long failures(MeterRegistry registry) {
        if (registry instanceof FailingRegistries.Refusing refusing) {
            return refusing.failures();
        }
        return ((FailingRegistries.BrokenMeters) registry).failures();
    }
}

package dev.pipelineworker.opentelemetry;

import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobObserver;
import dev.pipelineworker.JobObserver.JobEnding;
import dev.pipelineworker.JobObserver.JobObservation;
import dev.pipelineworker.JobObserver.JobPhase;
import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.JobQueue;
import dev.pipelineworker.opentelemetry.FaultyTracers.TracerBroken;
import dev.pipelineworker.opentelemetry.internal.TracingFailures;
import dev.pipelineworker.opentelemetry.internal.TracingObserver;
import dev.pipelineworker.testkit.emulator.JobInfo;
import dev.pipelineworker.testkit.emulator.RecordedResult;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.text.MessageFormat;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/**
 * A tracer that throws never affects a job: not through the observer alone (without the worker's own guard in
 * front of it), and not under a real worker.
 */
class BrokenTracerTest {

    private static final JobQueue QUEUE = JobQueue.of(PipelineWorkerTracingTest.TYPE, Region.US_WEST_2);

    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final TracingFailures recording = (what, failure) -> {
        assertThat(failure).isInstanceOf(TracerBroken.class);
        failures.add(what);
    };
    private final RecordedSpans spans = new RecordedSpans();

    @AfterEach
    void close() {
        spans.close();
    }

    @Test
    void aTracerThatCannotBuildASpanObservesNothingAndRunsEveryPhase() {
        JobObserver observer = new TracingObserver(FaultyTracers.throwingOnEveryCall(), recording);

        Map<JobPhase, Integer> runs = driveAJob(observer);

        assertThat(runs).containsExactlyInAnyOrderEntriesOf(Map.of(JobPhase.CLAIM, 1, JobPhase.HANDLER, 1,
                JobPhase.REPORT, 1));
        assertThat(failures).containsExactly("starting the job's span");
    }

    @Test
    void spansThatThrowOnEveryRecordingCallCostTheSpanAndNothingElse() {
        JobObserver observer = new TracingObserver(FaultyTracers.withSpansThatThrow(), recording);

        Map<JobPhase, Integer> runs = driveAJob(observer);

        assertThat(runs).containsExactlyInAnyOrderEntriesOf(Map.of(JobPhase.CLAIM, 1, JobPhase.HANDLER, 1,
                JobPhase.REPORT, 1));
        assertThat(failures).containsExactly(
                "ending the phase's span", "recording the claimed job", "ending the phase's span",
                "ending the phase's span", "recording the job's result", "ending the job's span");
    }

    @Test
    void aHandlerWhoseSpanCannotStartRunsUnderTheJobsSpanAndTheJobIsStillRecorded() {
        Tracer real = spans.openTelemetry().getTracer(PipelineWorkerTracing.INSTRUMENTATION_SCOPE);
        JobObserver observer = new TracingObserver(FaultyTracers.failingFor(real, "handler"::equals), recording);
        JobObservation job = observer.jobStarted(QUEUE, "job-handler-span-broken");
        AtomicInteger handlerRuns = new AtomicInteger();
        Span[] currentInHandler = new Span[1];

        job.phase(JobPhase.CLAIM, () -> { });
        job.claimed(PipelineWorkerTracingTest.TYPE, PipelineWorkerTracingTest.PIPELINE);
        job.phase(JobPhase.HANDLER, () -> {
            handlerRuns.incrementAndGet();
            currentInHandler[0] = Span.current();
        });
        job.phase(JobPhase.REPORT, () -> { });
        job.ended(JobEnding.failed(FailureType.JOB_FAILED));

        SpanData jobSpan = spans.awaitJob("job-handler-span-broken");
        assertThat(handlerRuns).hasValue(1);
        assertThat(currentInHandler[0].getSpanContext().getSpanId()).isEqualTo(jobSpan.getSpanId());
        assertThat(spans.children(jobSpan)).extracting(SpanData::getName).containsExactly("claim", "report");
        assertThat(jobSpan.getAttributes().get(stringKey("cicd.pipeline.task.run.result"))).isEqualTo("failure");
        assertThat(failures).containsExactly("starting the HANDLER span");
    }

    @Test
    void theDefaultLogsTheFirstFailureAsAWarningTheRestAtDebugAndNeverTheTracersMessage() {
        Logger logger = Logger.getLogger(TracingFailures.class.getName());
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Level saved = logger.getLevel();
        logger.setLevel(Level.ALL);
        logger.setUseParentHandlers(false);
        logger.addHandler(handler);
        try {
            TracingFailures logging = TracingFailures.logging();
            logging.failed("starting the job's span", new IllegalStateException("value secret-looking-attribute"));
            logging.failed("ending the job's span", new IllegalStateException("value secret-looking-attribute"));
        } finally {
            logger.removeHandler(handler);
            logger.setUseParentHandlers(true);
            logger.setLevel(saved);
        }

        assertThat(records).extracting(LogRecord::getLevel).containsExactly(Level.WARNING, Level.FINE);
        assertThat(records).allSatisfy(r -> {
            String text = MessageFormat.format(r.getMessage(), r.getParameters());
            assertThat(text).contains("java.lang.IllegalStateException").doesNotContain("secret-looking-attribute");
            assertThat(r.getThrown()).isNull();
        });
    }

    @Test
    void underARealWorkerEveryJobEndsAsItsHandlerSaysWhateverTheTracerThrows() {
        try (WorkerBench bench = new WorkerBench()) {
            AtomicInteger handled = new AtomicInteger();
            bench.start(bench.worker(context -> {
                handled.incrementAndGet();
                return context.continuationToken().isPresent() ? JobOutcome.success("done")
                        : JobOutcome.continueWith("again");
            }).observer(PipelineWorkerTracing.create(FaultyTracers.openTelemetryWith(FaultyTracers.withSpansThatThrow()))));
            JobInfo first = bench.enqueue(bench.job("exec-spans-throw"));

            assertThat(bench.emulator().awaitFinalResult("exec-spans-throw", WorkerBench.WAIT))
                    .isInstanceOf(RecordedResult.Success.class);
            assertThat(bench.emulator().resultsForAction("exec-spans-throw")).hasSize(2);
            assertThat(bench.emulator().resultsForJob(first.jobId())).hasSize(1);
            assertThat(handled).hasValue(2);
        }
        try (WorkerBench bench = new WorkerBench()) {
            bench.start(bench.worker(context -> JobOutcome.fail(FailureType.JOB_FAILED, "tests failed"))
                    .observer(PipelineWorkerTracing.create(
                            FaultyTracers.openTelemetryWith(FaultyTracers.throwingOnEveryCall()))));
            JobInfo job = bench.enqueue(bench.job("exec-tracer-throws"));

            assertThat(bench.emulator().awaitResult(job.jobId(), WorkerBench.WAIT))
                    .isInstanceOfSatisfying(RecordedResult.Failure.class,
                            f -> assertThat(f.message()).isEqualTo("tests failed"));
        }
    }

    /** Drives one job through every phase as the runtime does; returns how often each phase's work ran. */
    private static Map<JobPhase, Integer> driveAJob(JobObserver observer) {
        Map<JobPhase, Integer> runs = new EnumMap<>(JobPhase.class);
        assertThatCode(() -> {
            JobObservation job = observer.jobStarted(QUEUE, "job-1");
            job.phase(JobPhase.CLAIM, () -> runs.merge(JobPhase.CLAIM, 1, Integer::sum));
            job.claimed(PipelineWorkerTracingTest.TYPE, PipelineWorkerTracingTest.PIPELINE);
            job.phase(JobPhase.HANDLER, () -> runs.merge(JobPhase.HANDLER, 1, Integer::sum));
            job.phase(JobPhase.REPORT, () -> runs.merge(JobPhase.REPORT, 1, Integer::sum));
            job.ended(JobEnding.failed(FailureType.JOB_FAILED));
        }).doesNotThrowAnyException();
        return runs;
    }
}

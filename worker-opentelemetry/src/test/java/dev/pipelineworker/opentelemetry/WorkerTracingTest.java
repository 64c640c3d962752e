package dev.pipelineworker.opentelemetry;

import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobFailureException;
import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.testkit.emulator.JobInfo;
import dev.pipelineworker.testkit.emulator.RecordedResult;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Real workers on the emulator, traced through the real SDK: the spans each kind of job leaves. */
class WorkerTracingTest {

    private final RecordedSpans spans = new RecordedSpans();
    private final WorkerBench bench = new WorkerBench();
    private final Tracer handlerTracer = spans.openTelemetry().getTracer("the handler's own instrumentation");

    @AfterEach
    void close() {
        bench.close();
        spans.close();
    }

    @Test
    void aSucceededJobHasItsSpanItsPhasesAndTheHandlersOwnSpanNestedUnderIt() {
        AtomicReference<Span> currentInHandler = new AtomicReference<>();
        bench.start(bench.worker(context -> {
            currentInHandler.set(Span.current());
            Span compile = handlerTracer.spanBuilder("compile").startSpan();
            compile.end();
            return JobOutcome.success("built");
        }).observer(PipelineWorkerTracing.create(spans.openTelemetry())));
        JobInfo job = bench.enqueue(bench.job("exec-success"));

        assertThat(bench.emulator().awaitResult(job.jobId(), WorkerBench.WAIT)).isInstanceOf(RecordedResult.Success.class);
        SpanData jobSpan = spans.awaitJob(job.jobId());
        assertThat(jobSpan.getName()).isEqualTo("Build AcmeBuild");
        assertThat(jobSpan.getParentSpanContext().isValid()).isFalse();
        assertThat(jobSpan.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        assertThat(jobSpan.getAttributes().get(stringKey("cicd.pipeline.name"))).isEqualTo(WorkerBench.PIPELINE);
        assertThat(jobSpan.getAttributes().get(stringKey("cicd.pipeline.task.name"))).isEqualTo(WorkerBench.ACTION);
        assertThat(jobSpan.getAttributes().get(stringKey("cicd.pipeline.task.run.id"))).isEqualTo("exec-success");
        assertThat(jobSpan.getAttributes().get(stringKey("cicd.pipeline.task.type"))).isEqualTo("build");
        assertThat(jobSpan.getAttributes().get(stringKey("cicd.pipeline.task.run.result"))).isEqualTo("success");
        assertThat(jobSpan.getAttributes().get(stringKey("pipelineworker.stage.name"))).isEqualTo(WorkerBench.STAGE);
        assertThat(jobSpan.getAttributes().get(stringKey("pipelineworker.region"))).isEqualTo("us-east-1");
        assertThat(jobSpan.getAttributes().get(stringKey("pipelineworker.action.provider"))).isEqualTo("AcmeBuild");

        SpanData claim = spans.awaitChild(jobSpan, "claim");
        SpanData handler = spans.awaitChild(jobSpan, "handler");
        SpanData report = spans.awaitChild(jobSpan, "report");
        assertThat(claim.getEndEpochNanos()).isLessThanOrEqualTo(handler.getStartEpochNanos());
        assertThat(handler.getEndEpochNanos()).isLessThanOrEqualTo(report.getStartEpochNanos());
        assertThat(report.getEndEpochNanos()).isLessThanOrEqualTo(jobSpan.getEndEpochNanos());

        SpanData compile = spans.awaitChild(handler, "compile");
        assertThat(compile.getTraceId()).isEqualTo(jobSpan.getTraceId());
        assertThat(currentInHandler.get().getSpanContext().getSpanId()).isEqualTo(handler.getSpanId());
    }

    @Test
    void aFailedJobIsAnErrorWithItsFailureTypeButNotItsMessage() {
        bench.start(bench.worker(context -> {
            throw new JobFailureException(FailureType.CONFIGURATION_ERROR, "Target 'staging' is not a known target");
        }).observer(PipelineWorkerTracing.create(spans.openTelemetry())));
        JobInfo job = bench.enqueue(bench.job("exec-failure"));

        assertThat(bench.emulator().awaitResult(job.jobId(), WorkerBench.WAIT))
                .isInstanceOfSatisfying(RecordedResult.Failure.class,
                        f -> assertThat(f.type()).isEqualTo(FailureType.CONFIGURATION_ERROR));
        SpanData jobSpan = spans.awaitJob(job.jobId());
        assertThat(jobSpan.getAttributes().get(stringKey("cicd.pipeline.task.run.result"))).isEqualTo("failure");
        assertThat(jobSpan.getAttributes().get(stringKey("error.type"))).isEqualTo("ConfigurationError");
        assertThat(jobSpan.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(jobSpan.getStatus().getDescription()).isEqualTo("the job failed");
        assertThat(spans.all()).allSatisfy(span -> {
            assertThat(span.getAttributes().asMap().values()).noneMatch(v -> String.valueOf(v).contains("staging"));
            assertThat(span.getEvents()).isEmpty();
            assertThat(span.getStatus().getDescription()).doesNotContain("staging");
        });
        assertThat(spans.children(jobSpan)).extracting(SpanData::getName).containsExactly("claim", "handler", "report");
    }

    @Test
    void eachJobOfAContinuationChainHasItsOwnSpanAndTheirTaskRunIdTiesThemTogether() {
        bench.start(bench.worker(context -> context.continuationToken().isPresent()
                ? JobOutcome.success("done") : JobOutcome.continueWith("half-way"))
                .observer(PipelineWorkerTracing.create(spans.openTelemetry())));
        JobInfo first = bench.enqueue(bench.job("exec-chain"));

        assertThat(bench.emulator().awaitFinalResult("exec-chain", WorkerBench.WAIT))
                .isInstanceOf(RecordedResult.Success.class);
        List<JobInfo> chain = bench.emulator().jobsForAction("exec-chain");
        assertThat(chain).hasSize(2);
        SpanData continued = spans.awaitJob(first.jobId());
        SpanData finished = spans.awaitJob(chain.stream().filter(j -> !j.jobId().equals(first.jobId()))
                .findFirst().orElseThrow().jobId());
        assertThat(continued.getAttributes().get(stringKey("cicd.pipeline.task.run.result"))).isEqualTo("continuation");
        assertThat(continued.getAttributes().get(stringKey("pipelineworker.job.result"))).isEqualTo("continued");
        assertThat(continued.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        assertThat(finished.getAttributes().get(stringKey("cicd.pipeline.task.run.result"))).isEqualTo("success");
        assertThat(List.of(continued, finished)).extracting(s -> s.getAttributes().get(stringKey("cicd.pipeline.task.run.id")))
                .containsOnly("exec-chain");
        assertThat(continued.getTraceId()).isNotEqualTo(finished.getTraceId());
    }

    @Test
    void aJobReportedAtItsDeadlineByAReportThreadStillHasItsReportUnderItsSpan() {
        CountDownLatch interrupted = new CountDownLatch(1);
        bench.start(bench.worker(context -> {
            try {
                Thread.sleep(Duration.ofMinutes(1).toMillis());
                return JobOutcome.success("too late");
            } catch (InterruptedException e) {
                interrupted.countDown();
                throw e;
            }
        }).jobTimeout(Duration.ofMillis(300)).observer(PipelineWorkerTracing.create(spans.openTelemetry())));
        JobInfo job = bench.enqueue(bench.job("exec-timeout"));

        assertThat(bench.emulator().awaitResult(job.jobId(), WorkerBench.WAIT))
                .isInstanceOfSatisfying(RecordedResult.Failure.class, f -> assertThat(f.type()).isEqualTo(FailureType.JOB_FAILED));
        SpanData jobSpan = spans.awaitJob(job.jobId());
        assertThat(jobSpan.getAttributes().get(stringKey("cicd.pipeline.task.run.result"))).isEqualTo("timeout");
        assertThat(jobSpan.getAttributes().get(stringKey("error.type"))).isEqualTo("JobFailed");
        assertThat(jobSpan.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        spans.awaitChild(jobSpan, "claim");
        spans.awaitChild(jobSpan, "report");
        spans.awaitChild(jobSpan, "handler");
        assertThat(interrupted.getCount()).as("the handler was interrupted").isZero();
    }
}

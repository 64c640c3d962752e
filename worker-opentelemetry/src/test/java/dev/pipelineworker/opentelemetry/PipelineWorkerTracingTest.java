package dev.pipelineworker.opentelemetry;

import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobObserver;
import dev.pipelineworker.JobObserver.JobEnding;
import dev.pipelineworker.JobObserver.JobEnding.Result;
import dev.pipelineworker.JobObserver.JobObservation;
import dev.pipelineworker.JobObserver.JobPhase;
import dev.pipelineworker.JobQueue;
import dev.pipelineworker.PipelineContext;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.regions.Region;

/**
 * The observer against its interface, driven as the runtime drives it, with the real SDK recording: the spans, their
 * parents, what is current in each phase, and the attributes for every ending.
 */
class PipelineWorkerTracingTest {

    static final ActionTypeId TYPE = ActionTypeId.thirdParty(ActionCategory.BUILD, "AcmeBuild", "3");
    static final JobQueue QUEUE = JobQueue.of(TYPE, Region.EU_WEST_1);
    static final PipelineContext PIPELINE = PipelineContext.builder().pipelineName("acme-pipeline")
            .stageName("BuildStage").actionName("CompileAction").actionExecutionId("exec-1")
            .pipelineArn("arn:aws:codepipeline:eu-west-1:111122223333:acme-pipeline").pipelineExecutionId("run-7").build();

    private final RecordedSpans spans = new RecordedSpans();
    private final JobObserver observer = PipelineWorkerTracing.create(spans.openTelemetry());

    @AfterEach
    void close() {
        spans.close();
    }

    @Test
    void aJobIsARootSpanWithAChildForEachPhaseEachCurrentWhileItRuns() {
        Map<JobPhase, Span> current = new EnumMap<>(JobPhase.class);
        Span unrelated = spans.openTelemetry().getTracer("test").spanBuilder("poll loop").startSpan();
        JobObservation job;
        try (Scope ignored = unrelated.makeCurrent()) {
            job = observer.jobStarted(QUEUE, "job-1");
        } finally {
            unrelated.end();
        }
        job.phase(JobPhase.CLAIM, () -> current.put(JobPhase.CLAIM, Span.current()));
        job.claimed(TYPE, PIPELINE);
        job.phase(JobPhase.HANDLER, () -> current.put(JobPhase.HANDLER, Span.current()));
        job.phase(JobPhase.REPORT, () -> current.put(JobPhase.REPORT, Span.current()));
        job.ended(JobEnding.of(Result.SUCCEEDED));

        SpanData jobSpan = spans.awaitJob("job-1");
        assertThat(jobSpan.getName()).isEqualTo("Build AcmeBuild");
        assertThat(jobSpan.getKind()).isEqualTo(SpanKind.INTERNAL);
        assertThat(jobSpan.getParentSpanContext().isValid()).as("a job's span starts its own trace").isFalse();
        assertThat(jobSpan.getTraceId()).isNotEqualTo(unrelated.getSpanContext().getTraceId());
        assertThat(jobSpan.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        assertThat(jobSpan.getAttributes().asMap()).extractingFromEntries(e -> e.getKey().getKey(), Map.Entry::getValue)
                .containsExactlyInAnyOrder(
                        tuple("cicd.pipeline.name", "acme-pipeline"),
                        tuple("cicd.pipeline.task.name", "CompileAction"),
                        tuple("cicd.pipeline.task.run.id", "exec-1"),
                        tuple("cicd.pipeline.run.id", "run-7"),
                        tuple("cicd.pipeline.task.type", "build"),
                        tuple("cicd.pipeline.task.run.result", "success"),
                        tuple("pipelineworker.job.id", "job-1"),
                        tuple("pipelineworker.job.result", "succeeded"),
                        tuple("pipelineworker.region", "eu-west-1"),
                        tuple("pipelineworker.stage.name", "BuildStage"),
                        tuple("pipelineworker.action.category", "Build"),
                        tuple("pipelineworker.action.owner", "ThirdParty"),
                        tuple("pipelineworker.action.provider", "AcmeBuild"),
                        tuple("pipelineworker.action.version", "3"));

        List<SpanData> children = spans.children(jobSpan);
        assertThat(children).extracting(SpanData::getName).containsExactly("claim", "handler", "report");
        for (SpanData child : children) {
            JobPhase phase = JobPhase.valueOf(child.getName().toUpperCase(Locale.ROOT));
            assertThat(current.get(phase).getSpanContext().getSpanId()).as("current during " + phase)
                    .isEqualTo(child.getSpanId());
            assertThat(child.getKind()).isEqualTo(SpanKind.INTERNAL);
        }
        assertThat(Span.current().getSpanContext().isValid()).as("nothing stays current after a phase").isFalse();
    }

    @Test
    void theSamplerSeesTheQueueAndTheJobAtTheSpansStart() {
        JobObservation job = observer.jobStarted(QUEUE, "job-2");
        job.phase(JobPhase.CLAIM, () -> { });
        job.ended(JobEnding.of(Result.LOST));

        SpanData span = spans.awaitJob("job-2");
        assertThat(span.getAttributes().get(stringKey("cicd.pipeline.task.type"))).isEqualTo("build");
        assertThat(span.getAttributes().get(stringKey("cicd.pipeline.task.run.result"))).isEqualTo("skip");
        assertThat(span.getAttributes().get(stringKey("pipelineworker.job.result"))).isEqualTo("lost");
        assertThat(span.getAttributes().get(stringKey("cicd.pipeline.name"))).as("never claimed").isNull();
        assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    }

    @Test
    void aReportOnAnotherThreadNestsUnderTheJobAndMarksAHandlerCutOffByItsDeadline() throws Exception {
        JobObservation job = observer.jobStarted(QUEUE, "job-3");
        job.phase(JobPhase.CLAIM, () -> { });
        job.claimed(TYPE, PIPELINE);
        AtomicReference<Span> currentInReport = new AtomicReference<>();
        ExecutorService reportThread = Executors.newSingleThreadExecutor();
        try {
            job.phase(JobPhase.HANDLER, () -> {
                try {
                    reportThread.submit(() -> {
                        job.phase(JobPhase.REPORT, () -> currentInReport.set(Span.current()));
                        job.ended(new JobEnding(Result.TIMED_OUT, FailureType.JOB_FAILED));
                    }).get();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
        } finally {
            reportThread.shutdown();
        }

        SpanData jobSpan = spans.awaitJob("job-3");
        SpanData report = spans.awaitChild(jobSpan, "report");
        spans.awaitChild(jobSpan, "handler");
        assertThat(currentInReport.get().getSpanContext().getSpanId()).isEqualTo(report.getSpanId());
        assertThat(jobSpan.getAttributes().get(stringKey("cicd.pipeline.task.run.result"))).isEqualTo("timeout");
        assertThat(jobSpan.getAttributes().get(stringKey("error.type"))).isEqualTo("JobFailed");
        assertThat(jobSpan.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(jobSpan.getStatus().getDescription()).isEqualTo("the job timed out");
    }

    @Test
    void aShutdownThatCutsTheHandlerOffIsAnErrorOfTheWorker() throws Exception {
        JobObservation job = observer.jobStarted(QUEUE, "job-4");
        job.phase(JobPhase.CLAIM, () -> { });
        job.claimed(TYPE, PIPELINE);
        ExecutorService reportThread = Executors.newSingleThreadExecutor();
        try {
            reportThread.submit(() -> {
                job.phase(JobPhase.REPORT, () -> { });
                job.ended(new JobEnding(Result.CUT_OFF, FailureType.SYSTEM_UNAVAILABLE));
            }).get();
        } finally {
            reportThread.shutdown();
        }

        SpanData jobSpan = spans.awaitJob("job-4");
        assertThat(jobSpan.getAttributes().get(stringKey("cicd.pipeline.task.run.result"))).isEqualTo("error");
        assertThat(jobSpan.getAttributes().get(stringKey("error.type"))).isEqualTo("SystemUnavailable");
        assertThat(jobSpan.getStatus().getDescription()).isEqualTo("the worker shut down before the handler finished");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(nullValues = "null", value = {
            "SUCCEEDED,          null,                 success,      succeeded,  UNSET, null",
            "CONTINUED,          null,                 continuation, continued,  UNSET, null",
            "FAILED,             JOB_FAILED,           failure,      failed,     ERROR, JobFailed",
            "FAILED,             CONFIGURATION_ERROR,  failure,      failed,     ERROR, ConfigurationError",
            "FAILED,             SYSTEM_UNAVAILABLE,   failure,      failed,     ERROR, SystemUnavailable",
            "TIMED_OUT,          JOB_FAILED,           timeout,      timed_out,  ERROR, JobFailed",
            "CUT_OFF,            SYSTEM_UNAVAILABLE,   error,        cut_off,    ERROR, SystemUnavailable",
            "LOST,               null,                 skip,         lost,       UNSET, null",
            "SKIPPED,            null,                 skip,         skipped,    UNSET, null",
            "UNREPORTED,         null,                 error,        unreported, ERROR, unreported"})
    void everyEndingOnTheJobsThreadHasItsResult(Result result, FailureType type, String taskResult,
            String jobResult, StatusCode status, String errorType) {
        JobObservation job = observer.jobStarted(QUEUE, "job-" + result + type);
        job.phase(JobPhase.CLAIM, () -> { });
        job.claimed(TYPE, PIPELINE);
        job.phase(JobPhase.HANDLER, () -> { });
        job.phase(JobPhase.REPORT, () -> { });
        job.ended(new JobEnding(result, type));

        SpanData span = spans.awaitJob("job-" + result + type);
        assertThat(span.getAttributes().get(stringKey("cicd.pipeline.task.run.result"))).isEqualTo(taskResult);
        assertThat(span.getAttributes().get(stringKey("pipelineworker.job.result"))).isEqualTo(jobResult);
        assertThat(span.getAttributes().get(stringKey("error.type"))).isEqualTo(errorType);
        assertThat(span.getStatus().getStatusCode()).isEqualTo(status);
    }

    @Test
    void whatCodePipelineLeftOutIsLeftOut() {
        JobObservation job = observer.jobStarted(QUEUE, "job-5");
        job.claimed(TYPE, PipelineContext.builder().pipelineName("only-the-pipeline").build());
        job.ended(JobEnding.of(Result.SUCCEEDED));
        JobObservation unknown = observer.jobStarted(QUEUE, "job-6");
        unknown.claimed(TYPE, null);
        unknown.ended(JobEnding.of(Result.SUCCEEDED));

        assertThat(spans.awaitJob("job-5").getAttributes().asMap().keySet())
                .extracting(AttributeKey::getKey)
                .contains("cicd.pipeline.name").doesNotContain("cicd.pipeline.task.name",
                        "cicd.pipeline.task.run.id", "cicd.pipeline.run.id", "pipelineworker.stage.name");
        assertThat(spans.awaitJob("job-6").getAttributes().asMap().keySet())
                .extracting(AttributeKey::getKey)
                .doesNotContain("cicd.pipeline.name");
    }

    @Test
    void theOtherCategoriesAreTaskTypesByTheirNames() {
        for (ActionCategory category : ActionCategory.values()) {
            JobQueue queue = JobQueue.of(ActionTypeId.custom(category, "Tool", "1"), Region.US_EAST_1);
            observer.jobStarted(queue, "job-" + category).ended(JobEnding.of(Result.SKIPPED));
        }
        assertThat(ActionCategory.values()).allSatisfy(category -> assertThat(spans.awaitJob("job-" + category)
                .getAttributes().get(stringKey("cicd.pipeline.task.type")))
                .isEqualTo(category.apiName().toLowerCase(Locale.ROOT)));
        assertThat(spans.awaitJob("job-" + ActionCategory.DEPLOY).getAttributes()
                .get(stringKey("cicd.pipeline.task.type"))).isEqualTo("deploy");
        assertThat(spans.awaitJob("job-" + ActionCategory.TEST).getAttributes()
                .get(stringKey("cicd.pipeline.task.type"))).isEqualTo("test");
    }
}

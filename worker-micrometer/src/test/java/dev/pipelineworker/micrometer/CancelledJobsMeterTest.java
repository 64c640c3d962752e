package dev.pipelineworker.micrometer;

import static dev.pipelineworker.micrometer.Bench.CUSTOM;
import static dev.pipelineworker.micrometer.Bench.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pipelineworker.JobHandler;
import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.JobWorker;
import dev.pipelineworker.events.ActionExecutionCheck;
import dev.pipelineworker.testkit.emulator.JobInfo;
import dev.pipelineworker.testkit.emulator.Operation;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A job CodePipeline cancels while its handler runs (the emulator abandons its action execution, worker-events'
 * {@link ActionExecutionCheck} finds out) counts once in {@link MeterNames#JOBS_CANCELLED}, with the tags of the
 * other job meters, and in no meter of a reported result.
 */
class CancelledJobsMeterTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Bench bench = new Bench();
    private final CountDownLatch running = new CountDownLatch(1);
    private final CountDownLatch cancelSignal = new CountDownLatch(1);

    @AfterEach
    void close() {
        bench.close();
        registry.close();
    }

    @Test
    void aJobCancelledWhileItsHandlerRunsIsCountedWithTheJobMetersTags() throws InterruptedException {
        PipelineWorkerMetrics metrics = PipelineWorkerMetrics.builder(registry).includePipelineTags(true)
                .tag("service", "deployer").build();
        JobWorker worker = bench.build(metrics.instrument(bench.custom(untilCancelled()))
                .extension(ActionExecutionCheck.builder()
                        .codePipelineClients(region -> bench.emulator().client(region.id()))
                        .interval(Duration.ofMillis(100)).minimumAge(Duration.ZERO).build()));
        metrics.bindTo(worker);
        assertThat(cancelledCounters()).as("the series exists at zero before the first job")
                .singleElement().satisfies(counter -> assertThat(counter.count()).isZero());
        worker.start();
        JobInfo job = bench.enqueue(Bench.job(CUSTOM));
        assertThat(running.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the handler runs").isTrue();
        bench.emulator().awaitCall(call -> call.is(Operation.LIST_ACTION_EXECUTIONS), WAIT);

        bench.emulator().stopAndAbandon(job.spec().context().pipelineExecutionId(), "stopped by the operator");

        assertThat(cancelSignal.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the handler saw the cancel").isTrue();
        await("the cancelled job counted").atMost(WAIT)
                .until(() -> registry.find(MeterNames.JOBS_CANCELLED).tag(MeterNames.PIPELINE, "deploy-pipeline")
                        .counters().stream().mapToDouble(Counter::count).sum() == 1);
        Counter cancelled = registry.get(MeterNames.JOBS_CANCELLED).tag(MeterNames.PIPELINE, "deploy-pipeline")
                .counter();
        assertThat(cancelled.getId().getTags()).containsExactlyInAnyOrder(
                Tag.of(MeterNames.ACTION_OWNER, "Custom"), Tag.of(MeterNames.ACTION_CATEGORY, "Deploy"),
                Tag.of(MeterNames.ACTION_PROVIDER, "MeteredDeploy"), Tag.of(MeterNames.ACTION_VERSION, "2"),
                Tag.of(MeterNames.REGION, "us-east-1"), Tag.of(MeterNames.PIPELINE, "deploy-pipeline"),
                Tag.of(MeterNames.STAGE, "Release"), Tag.of(MeterNames.ACTION, "Ship"), Tag.of("service", "deployer"));
        assertThat(cancelled.getId().getDescription()).isNotBlank();
        assertThat(bench.emulator().resultsForJob(job.jobId())).as("nothing reported").isEmpty();
        assertThat(registry.find(MeterNames.JOBS_COMPLETED).counters()).allSatisfy(
                counter -> assertThat(counter.count()).as(counter.getId().toString()).isZero());
        assertThat(registry.find(MeterNames.REPORTS_ABANDONED).counters()).allSatisfy(
                counter -> assertThat(counter.count()).as(counter.getId().toString()).isZero());
    }

    /** Runs until the job is cancelled, then returns an outcome that must not be reported. */
    private JobHandler untilCancelled() {
        return context -> {
            context.onCancel(cancelSignal::countDown);
            running.countDown();
            try {
                Thread.sleep(WAIT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return JobOutcome.success("should not be reported");
        };
    }

    private List<Counter> cancelledCounters() {
        return List.copyOf(registry.find(MeterNames.JOBS_CANCELLED).counters());
    }
}

package dev.pipelineworker.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.ExtensionHealth;
import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.JobWorker;
import dev.pipelineworker.testkit.LocalCodePipeline;
import dev.pipelineworker.testkit.emulator.JobInfo;
import dev.pipelineworker.testkit.emulator.JobSpec;
import dev.pipelineworker.testkit.emulator.JobState;
import dev.pipelineworker.testkit.emulator.Operation;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Without an events queue, ListActionExecutions finds the abandoned action of a long-running job. */
class ActionExecutionCheckTest {

    private static final ActionTypeId TYPE = ActionTypeId.custom(ActionCategory.DEPLOY, "Checked", "1");

    private final LocalCodePipeline cp = LocalCodePipeline.builder().start();
    private JobWorker worker;

    @AfterEach
    void stop() {
        if (worker != null) {
            worker.close();
        }
        cp.close();
    }

    @Test
    void anAbandonedActionExecutionCancelsTheRunningJob() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch cancelled = new CountDownLatch(1);
        worker = cp.workerFor(TYPE, context -> {
            context.onCancel(cancelled::countDown);
            running.countDown();
            try {
                Thread.sleep(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return JobOutcome.success("late");
        }).extension(ActionExecutionCheck.builder().codePipelineClients(region -> cp.client(region.id()))
                .interval(Duration.ofMillis(100)).minimumAge(Duration.ZERO).build()).build().start();
        JobInfo job = cp.enqueue(JobSpec.builder(TYPE).pipelineName("shop").build());
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        cp.awaitCall(call -> call.is(Operation.LIST_ACTION_EXECUTIONS), Duration.ofSeconds(10));

        cp.stopAndAbandon(job.spec().context().pipelineExecutionId(), "operator");

        assertThat(cancelled.await(10, TimeUnit.SECONDS)).isTrue();
        await().until(() -> worker.inFlightJobs() == 0);
        assertThat(cp.resultsForJob(job.jobId())).isEmpty();
        assertThat(worker.health().extensions()).extracting(ExtensionHealth::name, ExtensionHealth::healthy)
                .contains(org.assertj.core.groups.Tuple.tuple("action-execution-check", true));
    }

    @Test
    void jobsYoungerThanTheMinimumAgeCostNoCalls() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        worker = cp.workerFor(TYPE, context -> {
            release.await(20, TimeUnit.SECONDS);
            return JobOutcome.success("done");
        }).extension(ActionExecutionCheck.builder().codePipelineClients(region -> cp.client(region.id()))
                .interval(Duration.ofMillis(50)).minimumAge(Duration.ofHours(1)).build()).build().start();
        JobInfo job = cp.enqueue(JobSpec.builder(TYPE).pipelineName("shop").build());
        await().until(() -> cp.job(job.jobId()).orElseThrow().state() == JobState.InProgress);
        Instant running = Instant.now();
        // A round that ended after the job was running saw it, and had to leave it alone.
        await().until(() -> worker.health().extensions().stream()
                .anyMatch(h -> h.lastSuccess().filter(at -> at.isAfter(running)).isPresent()));
        release.countDown();

        cp.awaitResult(job.jobId(), Duration.ofSeconds(10));
        assertThat(cp.calls(Operation.LIST_ACTION_EXECUTIONS)).isEmpty();
    }
}

package dev.pipelineworker.micrometer;

import static dev.pipelineworker.micrometer.Bench.CUSTOM;
import static dev.pipelineworker.micrometer.Bench.SDK_MAX_ATTEMPTS;
import static dev.pipelineworker.micrometer.Bench.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.JobObserver;
import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.JobQueue;
import dev.pipelineworker.JobWorker;
import dev.pipelineworker.OutcomeJournal;
import dev.pipelineworker.PipelineContext;
import dev.pipelineworker.testkit.emulator.Fault;
import dev.pipelineworker.testkit.emulator.FaultRule;
import dev.pipelineworker.testkit.emulator.JobInfo;
import dev.pipelineworker.testkit.emulator.JobState;
import dev.pipelineworker.testkit.emulator.Operation;
import dev.pipelineworker.testkit.emulator.RecordedResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.regions.Region;

/** Each meter moves as the real worker serves the emulator: outcomes, lost jobs, poll faults, reports, gauges. */
class PipelineWorkerMetricsTest {

    private static final String[] QUEUE = {
            MeterNames.ACTION_OWNER, "ThirdParty", MeterNames.ACTION_CATEGORY, "Build",
            MeterNames.ACTION_PROVIDER, "MeteredBuild", MeterNames.ACTION_VERSION, "1", MeterNames.REGION, "us-east-1"};

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Bench bench = new Bench();

    @AfterEach
    void close() {
        bench.close();
        registry.close();
    }

    @Test
    void eachOutcomeMovesItsCountersAndTimers() {
        PipelineWorkerMetrics metrics = PipelineWorkerMetrics.builder(registry).tag("service", "deployer").build();
        JobWorker worker = bench.build(metrics.instrument(bench.thirdParty(Bench.HANDLER)));
        metrics.bindTo(worker);
        worker.start();
        List<JobInfo> jobs = List.of(bench.enqueue("success"), bench.enqueue("fail"), bench.enqueue("throw"),
                bench.enqueue("continue"));
        for (JobInfo job : jobs) {
            bench.emulator().awaitFinalResult(job.actionExecutionId(), WAIT);
        }

        await("every accepted result counted").atMost(WAIT).untilAsserted(() -> {
            assertThat(count(MeterNames.JOBS_COMPLETED, "outcome", "success", "failure.type", "none")).isEqualTo(2);
            assertThat(count(MeterNames.JOBS_COMPLETED, "outcome", "continue", "failure.type", "none")).isEqualTo(1);
            assertThat(count(MeterNames.JOBS_COMPLETED, "outcome", "failure", "failure.type", "ConfigurationError"))
                    .isEqualTo(1);
            assertThat(count(MeterNames.JOBS_COMPLETED, "outcome", "failure", "failure.type", "JobFailed"))
                    .isEqualTo(1);
            assertThat(timer(MeterNames.JOB_DURATION).count()).isEqualTo(5);
            assertThat(count(MeterNames.POLLS, "result", "empty")).isPositive();
        });
        assertThat(count(MeterNames.JOBS_CLAIMED)).isEqualTo(5);
        assertThat(count(MeterNames.JOBS_RECEIVED)).isEqualTo(5);
        assertThat(count(MeterNames.POLLS, "result", "jobs")).isBetween(1.0, 5.0);
        assertThat(count(MeterNames.POLLS, "result", "error")).isZero();
        assertThat(count(MeterNames.POLLS, "result", "throttled")).isZero();
        assertThat(count(MeterNames.JOBS_LOST)).isZero();
        assertThat(timer(MeterNames.HANDLER_DURATION, "outcome", "success", "failure.type", "none").count())
                .isEqualTo(2);
        assertThat(timer(MeterNames.HANDLER_DURATION, "outcome", "continue", "failure.type", "none").count())
                .isEqualTo(1);
        assertThat(timer(MeterNames.HANDLER_DURATION, "outcome", "failure", "failure.type", "ConfigurationError")
                .count()).isEqualTo(1);
        assertThat(timer(MeterNames.HANDLER_DURATION, "outcome", "failure", "failure.type", "JobFailed").count())
                .isEqualTo(1);
        assertThat(timer(MeterNames.REPORT_DURATION).count()).isEqualTo(5);
        assertThat(timer(MeterNames.REPORT_DURATION).totalTime(TimeUnit.NANOSECONDS)).isPositive();
        assertThat(timer(MeterNames.JOB_DURATION).totalTime(TimeUnit.NANOSECONDS))
                .as("claim to accepted result takes at least the report")
                .isGreaterThanOrEqualTo(timer(MeterNames.REPORT_DURATION).totalTime(TimeUnit.NANOSECONDS));
        assertThat(count(MeterNames.REPORT_RETRIES)).isZero();
        assertThat(count(MeterNames.REPORTS_ABANDONED)).isZero();

        List<Meter> ours = ours();
        assertThat(ours).allSatisfy(meter -> assertThat(meter.getId().getTag("service")).isEqualTo("deployer"));
        assertThat(ours).as("no pipeline tags unless opted in").allSatisfy(meter -> assertThat(meter.getId().getTags())
                .extracting(Tag::getKey).doesNotContain(MeterNames.PIPELINE, MeterNames.STAGE, MeterNames.ACTION));
        assertThat(ours).filteredOn(meter -> meter.getId().getTag(MeterNames.REGION) != null)
                .allSatisfy(meter -> assertThat(meter.getId().getTags()).containsAll(tags(QUEUE)));
        assertThat(ours).extracting(meter -> meter.getId().getName())
                .contains(MeterNames.SLOTS_USED, MeterNames.POLL_CONSECUTIVE_FAILURES);
    }

    @Test
    void aJobThatIsNoLongerWaitingWhenTheClaimArrivesIsLost() {
        // The acknowledgement is held up for a second; the job times out meanwhile, so it is no longer this worker's.
        bench.emulator().injectFault(FaultRule.nextCalls(1, Fault.latency(Duration.ofMillis(1000)),
                Operation.ACKNOWLEDGE_JOB));
        PipelineWorkerMetrics metrics = PipelineWorkerMetrics.of(registry);
        JobWorker worker = bench.build(metrics.instrument(bench.custom(Bench.HANDLER)));
        JobInfo job = bench.enqueue(Bench.job(CUSTOM));
        worker.start();
        await("the job handed out").atMost(WAIT)
                .until(() -> bench.emulator().job(job.jobId()).orElseThrow().state() == JobState.Dispatched);
        bench.emulator().timeOut(job.jobId());

        await("the lost job counted").atMost(WAIT)
                .until(() -> count(MeterNames.JOBS_LOST, MeterNames.ACTION_OWNER, "Custom") == 1);
        assertThat(count(MeterNames.JOBS_RECEIVED, MeterNames.ACTION_PROVIDER, "MeteredDeploy",
                MeterNames.ACTION_VERSION, "2", MeterNames.ACTION_CATEGORY, "Deploy")).isEqualTo(1);
        assertThat(count(MeterNames.JOBS_CLAIMED)).isZero();
        assertThat(registry.find(MeterNames.HANDLER_DURATION).timers()).allSatisfy(t -> assertThat(t.count()).isZero());
    }

    @Test
    void pollErrorsAndThrottledPollsAreCountedApart() {
        bench.emulator().injectFault(FaultRule.nextCalls(SDK_MAX_ATTEMPTS, Fault.serverError(500),
                Operation.POLL_FOR_THIRD_PARTY_JOBS));
        bench.emulator().injectFault(FaultRule.nextCalls(SDK_MAX_ATTEMPTS, Fault.throttling(),
                Operation.POLL_FOR_THIRD_PARTY_JOBS));
        PipelineWorkerMetrics metrics = PipelineWorkerMetrics.of(registry);
        bench.build(metrics.instrument(bench.thirdParty(Bench.HANDLER))).start();

        await("a poll after the faults").atMost(WAIT).until(() -> count(MeterNames.POLLS, "result", "empty") > 0);
        assertThat(count(MeterNames.POLLS, "result", "error")).isEqualTo(1);
        assertThat(count(MeterNames.POLLS, "result", "throttled")).isEqualTo(1);
        assertThat(registry.get(MeterNames.POLLS).tags("result", "error").counter().getId().getTags())
                .containsAll(tags(QUEUE));
    }

    @Test
    void theQueueGaugesFollowFailingAndRecoveringPolls() {
        bench.emulator().injectFault(FaultRule.withProbability(1.0, Fault.serverError(503),
                Operation.POLL_FOR_THIRD_PARTY_JOBS));
        PipelineWorkerMetrics metrics = PipelineWorkerMetrics.of(registry);
        JobWorker worker = bench.build(metrics.instrument(bench.thirdParty(Bench.HANDLER)));
        metrics.bindTo(worker);
        assertThat(gauge(MeterNames.STATE_GAUGE, "state", "starting")).isEqualTo(1);
        worker.start();

        await("failures counted").atMost(WAIT).until(() -> gauge(MeterNames.POLL_CONSECUTIVE_FAILURES, QUEUE) >= 2);
        assertThat(gauge(MeterNames.STATE_GAUGE, "state", "starting")).isEqualTo(1);
        assertThat(gauge(MeterNames.STATE_GAUGE, "state", "ready")).isZero();
        assertThat(registry.get(MeterNames.POLL_LAST_SUCCESS_AGE).tags(QUEUE).timeGauge().value(TimeUnit.SECONDS))
                .as("no poll succeeded yet").isNaN();

        bench.emulator().clearFaults();
        await("the queue recovered").atMost(WAIT).until(() -> gauge(MeterNames.POLL_CONSECUTIVE_FAILURES, QUEUE) == 0);
        assertThat(gauge(MeterNames.STATE_GAUGE, "state", "ready")).isEqualTo(1);
        assertThat(gauge(MeterNames.STATE_GAUGE, "state", "starting")).isZero();
        assertThat(registry.get(MeterNames.POLL_LAST_SUCCESS_AGE).tags(QUEUE).timeGauge().value(TimeUnit.SECONDS))
                .isBetween(0.0, 60.0);
        assertThat(count(MeterNames.POLLS, "result", "error")).isGreaterThanOrEqualTo(2);

        worker.close();
        assertThat(gauge(MeterNames.STATE_GAUGE, "state", "stopped")).isEqualTo(1);
    }

    @Test
    void theSlotAndJournalGaugesFollowARunningJob(@TempDir Path journal) throws InterruptedException {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        PipelineWorkerMetrics metrics = PipelineWorkerMetrics.of(registry);
        JobWorker worker = bench.build(metrics.instrument(bench.thirdParty(context -> {
            running.countDown();
            release.await();
            return JobOutcome.success();
        }).maxConcurrentJobs(3).outcomeJournal(OutcomeJournal.inDirectory(journal))));
        worker.start();
        metrics.bindTo(worker);
        JobInfo job = bench.enqueue("success");
        assertThat(running.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

        assertThat(gauge(MeterNames.SLOTS_USED)).isEqualTo(1);
        assertThat(gauge(MeterNames.SLOTS_FREE)).isEqualTo(2);
        assertThat(gauge(MeterNames.JOBS_IN_FLIGHT)).isEqualTo(1);
        assertThat(gauge(MeterNames.JOURNAL_BACKLOG)).as("the claim waits in the journal").isEqualTo(1);

        release.countDown();
        assertThat(bench.emulator().awaitResult(job.jobId(), WAIT)).isInstanceOf(RecordedResult.Success.class);
        await("the slot given back").atMost(WAIT).until(() -> gauge(MeterNames.SLOTS_USED) == 0);
        assertThat(gauge(MeterNames.SLOTS_FREE)).isEqualTo(3);
        await("the job done").atMost(WAIT).until(() -> gauge(MeterNames.JOBS_IN_FLIGHT) == 0
                && gauge(MeterNames.JOURNAL_BACKLOG) == 0);
    }

    @Test
    void aRetriedReportIsCountedAndAnAbandonedOneToo() {
        // The first attempt's SDK retries all fail; the worker's second attempt goes through.
        bench.emulator().injectFault(FaultRule.nextCalls(SDK_MAX_ATTEMPTS, Fault.serverError(500),
                Operation.PUT_THIRD_PARTY_JOB_SUCCESS_RESULT));
        PipelineWorkerMetrics metrics = PipelineWorkerMetrics.of(registry);
        bench.build(metrics.instrument(bench.thirdParty(Bench.HANDLER))).start();
        JobInfo retried = bench.enqueue("success");
        bench.emulator().awaitResult(retried.jobId(), WAIT);
        await("the accepted result counted").atMost(WAIT)
                .until(() -> count(MeterNames.JOBS_COMPLETED, "outcome", "success") == 1);
        assertThat(count(MeterNames.REPORT_RETRIES)).isEqualTo(1);
        assertThat(count(MeterNames.REPORTS_ABANDONED)).isZero();

        // Now every attempt fails: after three the result is abandoned.
        bench.emulator().injectFault(FaultRule.withProbability(1.0, Fault.serverError(500),
                Operation.PUT_THIRD_PARTY_JOB_FAILURE_RESULT));
        bench.enqueue("fail");
        await("the abandoned report counted").atMost(WAIT).until(() -> count(MeterNames.REPORTS_ABANDONED) == 1);
        assertThat(count(MeterNames.REPORT_RETRIES)).isEqualTo(1 + 2);
        assertThat(count(MeterNames.JOBS_COMPLETED, "outcome", "failure")).isZero();
        assertThat(timer(MeterNames.REPORT_DURATION).count()).isEqualTo(1);
        assertThat(registry.get(MeterNames.REPORTS_ABANDONED).counter().getId().getTags()).containsAll(tags(QUEUE));
    }

    @Test
    void pipelineTagsNameTheJobsActionWhenOptedInAndTheTracingObserverStillSeesEveryCall() {
        List<String> traced = new CopyOnWriteArrayList<>();
        JobObserver tracing = (queue, jobId) -> new JobObserver.JobObservation() {
            @Override
            public void phase(JobObserver.JobPhase phase, Runnable work) {
                traced.add(phase.name());
                work.run();
            }

            @Override
            public void claimed(ActionTypeId actionType, PipelineContext pipeline) {
                traced.add("claimed " + pipeline.pipelineName());
            }

            @Override
            public void ended(JobObserver.JobEnding ending) {
                traced.add("ended " + ending.result());
            }
        };
        PipelineWorkerMetrics metrics = PipelineWorkerMetrics.builder(registry).includePipelineTags(true).build();
        JobWorker worker = bench.build(metrics.instrument(bench.thirdParty(Bench.HANDLER)).observer(tracing));
        metrics.bindTo(worker);
        worker.start();
        JobInfo job = bench.enqueue("fail");
        bench.emulator().awaitResult(job.jobId(), WAIT);

        String[] action = {MeterNames.PIPELINE, "deploy-pipeline", MeterNames.STAGE, "Release",
                MeterNames.ACTION, "Ship"};
        await("the failure counted under its pipeline action").atMost(WAIT)
                .until(() -> count(MeterNames.JOBS_COMPLETED, action) == 1);
        assertThat(timer(MeterNames.HANDLER_DURATION, action).getId().getTags())
                .containsAll(tags(QUEUE)).contains(Tag.of("failure.type", "ConfigurationError"));
        assertThat(timer(MeterNames.REPORT_DURATION, action).count()).isEqualTo(1);
        assertThat(timer(MeterNames.JOB_DURATION, action).count()).isEqualTo(1);
        assertThat(registry.get(MeterNames.POLLS).counters()).as("polls name no pipeline")
                .allSatisfy(c -> assertThat(c.getId().getTag(MeterNames.PIPELINE)).isNull());
        assertThat(registry.get(MeterNames.REPORT_DURATION).tag(MeterNames.PIPELINE, "unknown").timer().count())
                .as("the queue's job meters, for jobs that name no pipeline, exist and are unused").isZero();
        await("the job's observation ended").atMost(WAIT).until(() -> traced.contains("ended FAILED"));
        assertThat(traced).containsExactly("CLAIM", "claimed deploy-pipeline", "HANDLER", "REPORT", "ended FAILED");
    }

    @Test
    void anExtraTagMayNotReuseAKeyOfTheMetersOwn() {
        assertThatThrownBy(() -> PipelineWorkerMetrics.builder(registry).tag(MeterNames.REGION, "mars"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'region'");
        assertThatThrownBy(() -> PipelineWorkerMetrics.builder(registry).tag(MeterNames.OUTCOME, "x"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bindingRegistersTheQueuesMetersAtOnceAndCloseRemovesTheGauges() {
        PipelineWorkerMetrics metrics = PipelineWorkerMetrics.of(registry);
        JobWorker worker = bench.build(metrics.instrument(bench.thirdParty(Bench.HANDLER).regions("us-east-1")));
        metrics.bindTo(worker);
        assertThat(count(MeterNames.POLLS, "result", "error")).as("the series exists before any poll").isZero();
        assertThat(registry.find(MeterNames.REPORTS_ABANDONED).tags(QUEUE).counter()).isNotNull();
        assertThat(registry.find(MeterNames.SLOTS_FREE).gauge()).isNotNull();
        assertThatThrownBy(() -> metrics.bindTo(worker)).isInstanceOf(IllegalStateException.class);

        metrics.close();
        assertThat(registry.find(MeterNames.SLOTS_FREE).gauge()).isNull();
        assertThat(registry.find(MeterNames.POLL_LAST_SUCCESS_AGE).timeGauge()).isNull();
        assertThat(registry.find(MeterNames.POLLS).counters()).as("counters stay").hasSize(4);
        assertThat(worker.queues()).containsExactly(JobQueue.of(Bench.THIRD_PARTY, Region.US_EAST_1));
    }

    // ---------------------------------------------------------------- reading the registry

    private List<Meter> ours() {
        return registry.getMeters().stream().filter(m -> m.getId().getName().startsWith(MeterNames.PREFIX)).toList();
    }

    private double count(String name, String... tags) {
        return registry.find(name).tags(tags).counters().stream().mapToDouble(Counter::count).sum();
    }

    private Timer timer(String name, String... tags) {
        return registry.get(name).tags(tags).timer();
    }

    private double gauge(String name, String... tags) {
        Gauge gauge = registry.get(name).tags(tags).gauge();
        return gauge.value();
    }

    private static List<Tag> tags(String... keysAndValues) {
        return Tags.of(keysAndValues).stream().toList();
    }
}

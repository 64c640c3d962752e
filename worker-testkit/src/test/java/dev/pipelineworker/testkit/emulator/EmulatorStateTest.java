package dev.pipelineworker.testkit.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.testkit.LocalCodePipeline;
import dev.pipelineworker.testkit.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;
import software.amazon.awssdk.services.codepipeline.model.ActionExecutionDetail;
import software.amazon.awssdk.services.codepipeline.model.ActionExecutionStatus;
import software.amazon.awssdk.services.codepipeline.model.ActionTypeNotFoundException;
import software.amazon.awssdk.services.codepipeline.model.CodePipelineException;
import software.amazon.awssdk.services.codepipeline.model.InvalidJobStateException;
import software.amazon.awssdk.services.codepipeline.model.Job;
import software.amazon.awssdk.services.codepipeline.model.JobNotFoundException;
import software.amazon.awssdk.services.codepipeline.model.JobStatus;

/**
 * The emulator's state rules a test relies on without naming them: what a reset forgets and what it restores, the
 * exact moments the clock makes a continuation visible or a job time out, which poll may see which owner's type,
 * and how stopping or cancelling ends each action execution once, through the real SDK client.
 */
class EmulatorStateTest {

    private static final ActionTypeId CUSTOM = ActionTypeId.custom(ActionCategory.DEPLOY, "State", "1");
    private static final ActionTypeId THIRD_PARTY = ActionTypeId.thirdParty(ActionCategory.DEPLOY, "State", "1");

    private final TestClock clock = new TestClock(Instant.parse("2030-01-01T00:00:00Z"));
    private final RecordedEvents events = new RecordedEvents();
    private LocalCodePipeline cp;
    private CodePipelineClient sdk;

    @BeforeEach
    void start() {
        cp = LocalCodePipeline.builder().clock(clock).random(new Random(17))
                .ackTimeout(Duration.ofSeconds(30)).jobTimeout(Duration.ofMinutes(10))
                .continuationDelay(Duration.ofSeconds(30))
                .faultRule(FaultRule.nextCalls(1, Fault.throttling(), Operation.LIST_ACTION_TYPES))
                .start();
        sdk = Sdk.noRetryClient(cp.endpoint());
    }

    @AfterEach
    void stop() {
        sdk.close();
        cp.close();
    }

    private List<Job> poll() {
        return sdk.pollForJobs(r -> r.actionTypeId(Sdk.sdkType(CUSTOM)).maxBatchSize(10)).jobs();
    }

    private Job claim() {
        Job job = poll().get(0);
        sdk.acknowledgeJob(r -> r.jobId(job.id()).nonce(job.nonce()));
        return job;
    }

    private JsonNode next() throws InterruptedException {
        return events.next();
    }

    @Test
    void aResetForgetsRuntimeClientsAndTypesAndRestoresTheConfiguredFaults() {
        String configuredClient = cp.defaultClientId();
        cp.registerClient("0f6c7a4e-3b1d-4c2a-9e8f-7a6b5c4d3e2f", "runtime-token");
        cp.registerActionType(CUSTOM);
        assertThat(catchThrowableOfType(CodePipelineException.class,
                () -> sdk.listActionTypes(r -> { })).awsErrorDetails().errorCode()).isEqualTo("ThrottlingException");
        assertThat(sdk.listActionTypes(r -> { }).actionTypes()).as("the configured fault is spent").isEmpty();

        cp.reset();

        assertThat(cp.clientToken("0f6c7a4e-3b1d-4c2a-9e8f-7a6b5c4d3e2f")).isEmpty();
        assertThat(cp.defaultClientId()).isEqualTo(configuredClient);
        assertThat(cp.clientToken(configuredClient)).isPresent();
        assertThat(catchThrowableOfType(ActionTypeNotFoundException.class, this::poll)).isNotNull();
        assertThat(catchThrowableOfType(CodePipelineException.class,
                () -> sdk.listActionTypes(r -> { })).awsErrorDetails().errorCode())
                .as("the configured fault is back").isEqualTo("ThrottlingException");
    }

    @Test
    void aPollSeesOnlyTypesOfItsOwnOwner() {
        cp.registerActionType(THIRD_PARTY);
        cp.registerActionType(CUSTOM);

        assertThat(catchThrowableOfType(ActionTypeNotFoundException.class, () -> sdk.pollForThirdPartyJobs(r -> r
                .actionTypeId(Sdk.sdkType(CUSTOM))))).as("a custom type on the third-party poll").isNotNull();
        assertThat(catchThrowableOfType(ActionTypeNotFoundException.class, () -> sdk.pollForJobs(r -> r
                .actionTypeId(Sdk.sdkType(THIRD_PARTY))))).as("a third-party type on the custom poll").isNotNull();
        assertThat(sdk.pollForThirdPartyJobs(r -> r.actionTypeId(Sdk.sdkType(THIRD_PARTY))).jobs()).isEmpty();
    }

    @Test
    void aPollHandsOutAtMostItsBatchInEnqueueOrderAndOneWithoutABatchSize() {
        JobInfo first = cp.enqueue(JobSpec.builder(CUSTOM).build());
        JobInfo second = cp.enqueue(JobSpec.builder(CUSTOM).build());
        cp.enqueue(JobSpec.builder(CUSTOM).build());

        assertThat(sdk.pollForJobs(r -> r.actionTypeId(Sdk.sdkType(CUSTOM))).jobs()).extracting(Job::id)
                .containsExactly(first.jobId());
        assertThat(sdk.pollForJobs(r -> r.actionTypeId(Sdk.sdkType(CUSTOM)).maxBatchSize(1)).jobs())
                .extracting(Job::id).containsExactly(second.jobId());
        assertThat(poll()).hasSize(1);
        assertThat(poll()).isEmpty();
    }

    @Test
    void aContinuationBecomesVisibleExactlyWhenItsDelayHasPassed() {
        JobInfo enqueued = cp.enqueue(JobSpec.builder(CUSTOM).build());
        Job first = claim();
        sdk.putJobSuccessResult(r -> r.jobId(first.id()).continuationToken("more"));

        clock.advance(Duration.ofSeconds(30).minusMillis(1));
        assertThat(poll()).isEmpty();
        assertThat(cp.jobsForAction(enqueued.actionExecutionId())).extracting(JobInfo::state)
                .containsExactly(JobState.Succeeded, JobState.Created);
        clock.advance(Duration.ofMillis(1));
        assertThat(poll()).singleElement().satisfies(job -> assertThat(job.data().continuationToken())
                .isEqualTo("more"));
    }

    @Test
    void aJobTimesOutExactlyAtItsDeadlineAndATerminalJobIsNotTimedOutAgain() {
        JobInfo job = cp.enqueue(JobSpec.builder(CUSTOM).build());
        JobInfo done = cp.enqueue(JobSpec.builder(CUSTOM).build());
        Job claimed = sdk.pollForJobs(r -> r.actionTypeId(Sdk.sdkType(CUSTOM)).maxBatchSize(2)).jobs().get(1);
        sdk.acknowledgeJob(r -> r.jobId(claimed.id()).nonce(claimed.nonce()));
        sdk.putJobSuccessResult(r -> r.jobId(done.jobId()));

        clock.advance(Duration.ofMinutes(10).minusMillis(1));
        assertThat(cp.job(job.jobId()).orElseThrow().state()).isEqualTo(JobState.Dispatched);
        clock.advance(Duration.ofMillis(1));
        assertThat(cp.job(job.jobId()).orElseThrow().state()).isEqualTo(JobState.TimedOut);
        cp.timeOut(done.jobId());

        assertThat(cp.results()).extracting(r -> r.getClass().getSimpleName(), RecordedResult::jobId)
                .containsExactly(tuple("Success", done.jobId()), tuple("TimedOut", job.jobId()));
        assertThat(cp.results().get(1).at()).as("at its deadline").isEqualTo(Instant.parse("2030-01-01T00:10:00Z"));
        assertThat(sdk.listActionExecutions(r -> r.pipelineName(job.spec().context().pipelineName()))
                .actionExecutionDetails()).extracting(ActionExecutionDetail::status)
                .containsExactlyInAnyOrder(ActionExecutionStatus.FAILED, ActionExecutionStatus.SUCCEEDED);
    }

    @Test
    void theTestSideOperationsNameAJobTheyDoNotKnow() {
        assertThatThrownBy(() -> cp.timeOut("no-such-job")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no job no-such-job");
        assertThatThrownBy(() -> cp.stopAndAbandon("no-such-execution", "r"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no job of pipeline execution no-such-execution");
        assertThat(catchThrowableOfType(JobNotFoundException.class, () -> sdk.getJobDetails(r -> r
                .jobId("3f2504e0-4f89-41d3-9a0c-0305e82c3301")))).isNotNull();
    }

    @Test
    void stoppingAbandonsAContinuationChainAsOneActionExecution() throws InterruptedException {
        cp.publishEventsTo(events);
        JobInfo enqueued = cp.enqueue(JobSpec.builder(CUSTOM).pipelineName("shop").build());
        Job first = claim();
        sdk.putJobSuccessResult(r -> r.jobId(first.id()).continuationToken("more"));
        clock.advance(Duration.ofSeconds(30));
        Job second = claim();
        assertThat(next().path("detail").path("state").asText()).isEqualTo("STARTED");

        cp.stopAndAbandon(enqueued.spec().context().pipelineExecutionId(), "stop");

        assertThat(List.of(next(), next(), next())).extracting(e -> e.path("detail").path("state").asText())
                .containsExactly("STOPPING", "ABANDONED", "STOPPED");
        assertThat(cp.job(second.id()).orElseThrow().state()).isEqualTo(JobState.Abandoned);
        assertThat(sdk.listActionExecutions(r -> r.pipelineName("shop")).actionExecutionDetails()).singleElement()
                .satisfies(d -> assertThat(d.status()).isEqualTo(ActionExecutionStatus.ABANDONED));
    }

    @Test
    void aPipelineUpdateCancelsEachRunningExecutionOnce() throws InterruptedException {
        cp.publishEventsTo(events);
        JobInfo one = cp.enqueue(JobSpec.builder(CUSTOM).pipelineName("shop").build());
        JobInfo other = cp.enqueue(JobSpec.builder(CUSTOM).pipelineName("shop").build());
        cp.enqueue(JobSpec.builder(CUSTOM).pipelineName("elsewhere").build());
        next();
        next();
        next();

        List<JobInfo> cancelled = cp.cancelByPipelineUpdate("shop");

        assertThat(cancelled).extracting(JobInfo::jobId).containsExactly(one.jobId(), other.jobId());
        List<JsonNode> published = List.of(next(), next(), next(), next());
        assertThat(published).extracting(e -> e.path("detail-type").asText().contains("Pipeline Execution"),
                e -> e.path("detail").path("execution-id").asText()).containsExactly(
                tuple(false, one.spec().context().pipelineExecutionId()),
                tuple(false, other.spec().context().pipelineExecutionId()),
                tuple(true, one.spec().context().pipelineExecutionId()),
                tuple(true, other.spec().context().pipelineExecutionId()));
        assertThat(cp.cancelByPipelineUpdate("shop")).as("nothing left running").isEmpty();
    }

    /** Enqueued and polled, not acknowledged: Dispatched until its timeout. */
    private Job dispatched(String pipelineName) {
        JobInfo job = cp.enqueue(JobSpec.builder(CUSTOM).pipelineName(pipelineName).build());
        return poll().stream().filter(j -> j.id().equals(job.jobId())).findFirst().orElseThrow();
    }

    private void pastTheJobTimeout() {
        clock.advance(Duration.ofMinutes(10));
    }

    private JobState stateOf(Job job) {
        return cp.job(job.id()).orElseThrow().state();
    }

    // Each call applies the clock before it answers: the call right after the clock passed a deadline sees it.

    @Test
    void anAcknowledgementAfterTheDeadlineAnswersTimedOut() {
        Job job = dispatched("shop");
        pastTheJobTimeout();

        assertThat(sdk.acknowledgeJob(r -> r.jobId(job.id()).nonce(job.nonce())).status())
                .isEqualTo(JobStatus.TIMED_OUT);
    }

    @Test
    void aFailureAfterTheDeadlineIsRefused() {
        Job job = claim(JobSpec.builder(CUSTOM).build());
        pastTheJobTimeout();

        assertThat(catchThrowableOfType(InvalidJobStateException.class, () -> sdk.putJobFailureResult(r -> r
                .jobId(job.id()).failureDetails(f -> f.type("JobFailed").message("late")))))
                .hasMessageContaining("is in state TimedOut");
    }

    @Test
    void aStopAfterTheDeadlineFindsNothingRunning() {
        Job stopped = dispatched("shop");
        String execution = cp.job(stopped.id()).orElseThrow().spec().context().pipelineExecutionId();
        pastTheJobTimeout();

        assertThat(catchThrowableOfType(CodePipelineException.class, () -> sdk.stopPipelineExecution(r -> r
                .pipelineName("shop").pipelineExecutionId(execution))).awsErrorDetails().errorCode())
                .isEqualTo("PipelineExecutionNotStoppableException");
    }

    @Test
    void aPipelineUpdateAfterTheDeadlineFindsNothingRunning() {
        Job updated = dispatched("other");
        pastTheJobTimeout();

        assertThat(cp.cancelByPipelineUpdate("other")).isEmpty();
        assertThat(stateOf(updated)).isEqualTo(JobState.TimedOut);
    }

    @Test
    void aThirdPartyJobThatNamesItsClientKeepsItAndAwaitCallFindsACall() {
        cp.registerClient("0f6c7a4e-3b1d-4c2a-9e8f-7a6b5c4d3e2f", "named-token");

        JobInfo named = cp.enqueue(JobSpec.builder(THIRD_PARTY).clientId("0f6c7a4e-3b1d-4c2a-9e8f-7a6b5c4d3e2f")
                .build());
        sdk.pollForThirdPartyJobs(r -> r.actionTypeId(Sdk.sdkType(THIRD_PARTY)));

        assertThat(named.spec().clientId()).isEqualTo("0f6c7a4e-3b1d-4c2a-9e8f-7a6b5c4d3e2f");
        assertThat(cp.awaitCall(call -> call.is(Operation.POLL_FOR_THIRD_PARTY_JOBS), Duration.ofSeconds(5))
                .succeeded()).isTrue();
    }

    @Test
    void listingActionExecutionsAfterTheDeadlineShowsTheFailure() {
        dispatched("shop");
        pastTheJobTimeout();

        assertThat(sdk.listActionExecutions(r -> r.pipelineName("shop")).actionExecutionDetails()).singleElement()
                .satisfies(detail -> assertThat(detail.status()).isEqualTo(ActionExecutionStatus.FAILED));
    }

    @Test
    void eachReadAppliesTheClockFirst() {
        JobInfo first = cp.enqueue(JobSpec.builder(CUSTOM).build());
        clock.advance(Duration.ofMinutes(1));
        JobInfo second = cp.enqueue(JobSpec.builder(CUSTOM).build());
        clock.advance(Duration.ofMinutes(1));
        JobInfo third = cp.enqueue(JobSpec.builder(CUSTOM).build());

        clock.advance(Duration.ofMinutes(8));
        assertThat(cp.results()).extracting(RecordedResult::jobId).containsExactly(first.jobId());
        clock.advance(Duration.ofMinutes(1));
        assertThat(cp.jobs()).extracting(JobInfo::state)
                .containsExactly(JobState.TimedOut, JobState.TimedOut, JobState.Queued);
        clock.advance(Duration.ofMinutes(1));
        assertThat(cp.job(third.jobId()).orElseThrow().state()).isEqualTo(JobState.TimedOut);
        assertThat(second.jobId()).isNotEqualTo(third.jobId());
    }

    @Test
    void aContinuationIsUnknownUntilItsDelayHasPassedAndKnownToTheFirstCallAfter() {
        Job first = claim(JobSpec.builder(CUSTOM).build());
        sdk.putJobSuccessResult(r -> r.jobId(first.id()).continuationToken("more"));
        String next = cp.jobs().get(1).jobId();

        assertThat(catchThrowableOfType(JobNotFoundException.class, () -> sdk.getJobDetails(r -> r.jobId(next))))
                .as("not yet visible").isNotNull();
        clock.advance(Duration.ofSeconds(30));
        assertThat(sdk.getJobDetails(r -> r.jobId(next)).jobDetails().data().continuationToken()).isEqualTo("more");
    }

    @Test
    void applyTimeAloneTimesAJobOutAndPublishesItsFailure() throws InterruptedException {
        cp.publishEventsTo(events);
        cp.enqueue(JobSpec.builder(CUSTOM).build());
        assertThat(next().path("detail").path("state").asText()).isEqualTo("STARTED");
        pastTheJobTimeout();

        cp.applyTime();

        assertThat(next().path("detail").path("state").asText()).isEqualTo("FAILED");
    }

    @Test
    void aFailureResultPublishesFailed() throws InterruptedException {
        cp.publishEventsTo(events);
        Job job = claim(JobSpec.builder(CUSTOM).build());
        sdk.putJobFailureResult(r -> r.jobId(job.id()).failureDetails(f -> f.type("JobFailed").message("no")));

        assertThat(List.of(next(), next())).extracting(e -> e.path("detail").path("state").asText())
                .containsExactly("STARTED", "FAILED");
    }

    @Test
    void anAbandonedJobRefusesItsAcknowledgementAndResultsSayingWhy() {
        Job stopped = dispatched("shop");
        Job cancelled = claim(JobSpec.builder(CUSTOM).pipelineName("other").build());
        cp.stopAndAbandon(cp.job(stopped.id()).orElseThrow().spec().context().pipelineExecutionId(), "stop");
        cp.cancelByPipelineUpdate(cp.job(cancelled.id()).orElseThrow().spec().context().pipelineName());

        assertThat(catchThrowableOfType(InvalidJobStateException.class, () -> sdk.acknowledgeJob(r -> r
                .jobId(stopped.id()).nonce(stopped.nonce())))).hasMessageContaining("no longer in progress: its"
                + " action execution was abandoned");
        assertThat(catchThrowableOfType(InvalidJobStateException.class, () -> sdk.putJobSuccessResult(r -> r
                .jobId(cancelled.id())))).hasMessageContaining("no longer in progress: its action execution was"
                + " cancelled by a pipeline update");
    }

    @Test
    void stopAndAbandonFindsTheExecutionInItsOwnPipelineAndRegion() {
        JobInfo one = cp.enqueue(JobSpec.builder(CUSTOM).pipelineName("one").build());
        JobInfo two = cp.enqueue(JobSpec.builder(CUSTOM).pipelineName("two").build());

        cp.stopAndAbandon(two.spec().context().pipelineExecutionId(), "second");

        assertThat(cp.job(two.jobId()).orElseThrow().state()).isEqualTo(JobState.Abandoned);
        assertThat(cp.job(one.jobId()).orElseThrow().state()).isEqualTo(JobState.Queued);
        try (CodePipelineClient eu = Sdk.noRetryClient(cp.endpoint(), "eu-west-1")) {
            assertThat(catchThrowableOfType(CodePipelineException.class, () -> eu.stopPipelineExecution(r -> r
                    .pipelineName("one").pipelineExecutionId(one.spec().context().pipelineExecutionId())))
                    .awsErrorDetails().errorCode()).as("another region's pipeline")
                    .isEqualTo("PipelineNotFoundException");
        }
    }

    @Test
    void twoJobsOfOneActionExecutionAreAbandonedAsOne() throws InterruptedException {
        cp.publishEventsTo(events);
        JobSpec spec = JobSpec.builder(CUSTOM).pipelineName("shop").actionExecutionId("action-1")
                .pipelineExecutionId("3f2504e0-4f89-41d3-9a0c-0305e82c3301").build();
        cp.enqueue(spec);
        cp.enqueue(spec.withContinuationToken("again"));
        assertThat(next().path("detail").path("state").asText()).isEqualTo("STARTED");

        cp.stopAndAbandon("3f2504e0-4f89-41d3-9a0c-0305e82c3301", "stop");

        assertThat(List.of(next(), next(), next())).extracting(e -> e.path("detail").path("state").asText())
                .containsExactly("STOPPING", "ABANDONED", "STOPPED");
        assertThat(cp.jobs()).extracting(JobInfo::state).containsOnly(JobState.Abandoned);
    }

    @Test
    void enqueueKeepsWhatTheSpecNamesAndFillsInOnlyWhatItLeavesOut() throws InterruptedException {
        cp.publishEventsTo(events);
        JobInfo named = cp.enqueue(JobSpec.builder(CUSTOM).actionExecutionId("action-7")
                .pipelineExecutionId("3f2504e0-4f89-41d3-9a0c-0305e82c3301")
                .pipelineArn("arn:aws:codepipeline:us-east-1:123456789012:named").continuationToken("resumed")
                .build());
        JobInfo thirdParty = cp.enqueue(JobSpec.builder(THIRD_PARTY).build());

        assertThat(named.actionExecutionId()).isEqualTo("action-7");
        assertThat(named.spec().context().pipelineExecutionId()).isEqualTo("3f2504e0-4f89-41d3-9a0c-0305e82c3301");
        assertThat(named.spec().context().pipelineArn()).isEqualTo("arn:aws:codepipeline:us-east-1:123456789012:named");
        assertThat(named.spec().clientId()).as("a custom job has no client").isNull();
        assertThat(thirdParty.spec().clientId()).isEqualTo(cp.defaultClientId());
        assertThat(thirdParty.spec().context().pipelineArn()).as("third-party job data has no ARN").isNull();
        JsonNode started = next();
        assertThat(started.path("detail").path("action-execution-id").asText())
                .as("a job enqueued with a continuation token starts nothing").isEqualTo(thirdParty.actionExecutionId());
        assertThat(started.path("detail").path("execution-id").asText()).matches("[0-9a-f-]{36}");
    }

    @Test
    void faultsForOneCallAreAnyLatenciesFirstAndOneFaultThatShapesTheAnswer() {
        cp.clearFaults();
        cp.injectFault(FaultRule.nextCalls(1, Fault.throttling(), Operation.LIST_ACTION_TYPES));
        cp.injectFault(FaultRule.nextCalls(1, Fault.serverError(503), Operation.LIST_ACTION_TYPES));
        cp.injectFault(FaultRule.nextCalls(2, Fault.latency(Duration.ofMillis(1)), Operation.LIST_ACTION_TYPES));

        for (int i = 0; i < 3; i++) {
            try {
                sdk.listActionTypes(r -> { });
            } catch (CodePipelineException expected) {
                // the first two calls fail; their faults are what is checked
            }
        }

        assertThat(cp.calls()).extracting(RecordedCall::sequence, c -> c.faults().stream()
                .map(f -> f.getClass().getSimpleName()).toList(), RecordedCall::status).containsExactly(
                tuple(1L, List.of("Latency", "Throttling"), 400),
                tuple(2L, List.of("Latency", "ServerError"), 503),
                tuple(3L, List.of(), 200));
    }

    @Test
    void awaitFinalResultWaitsForItsOwnActionExecution() {
        JobInfo waited = cp.enqueue(JobSpec.builder(CUSTOM).build());
        JobInfo other = cp.enqueue(JobSpec.builder(CUSTOM).build());
        List<Job> both = poll();
        both.forEach(job -> sdk.acknowledgeJob(r -> r.jobId(job.id()).nonce(job.nonce())));
        sdk.putJobSuccessResult(r -> r.jobId(other.jobId()));
        sdk.putJobSuccessResult(r -> r.jobId(waited.jobId()));

        assertThat(cp.awaitFinalResult(waited.actionExecutionId(), Duration.ofSeconds(5)).jobId())
                .isEqualTo(waited.jobId());
    }

    @Test
    void aResetForgetsCallsResultsAndStoppedExecutions() {
        JobSpec spec = JobSpec.builder(CUSTOM).pipelineName("shop")
                .pipelineExecutionId("3f2504e0-4f89-41d3-9a0c-0305e82c3301").build();
        Job job = claim(spec);
        sdk.putJobFailureResult(r -> r.jobId(job.id()).failureDetails(f -> f.type("JobFailed").message("no")));
        cp.enqueue(spec);
        cp.stopAndAbandon("3f2504e0-4f89-41d3-9a0c-0305e82c3301", "first");

        cp.reset();

        assertThat(cp.calls()).isEmpty();
        assertThat(cp.results()).isEmpty();
        JobInfo again = cp.enqueue(spec);
        cp.stopAndAbandon("3f2504e0-4f89-41d3-9a0c-0305e82c3301", "a new execution with the same id");
        assertThat(cp.job(again.jobId()).orElseThrow().state()).isEqualTo(JobState.Abandoned);
    }

    private Job claim(JobSpec spec) {
        cp.enqueue(spec);
        return claim();
    }
}

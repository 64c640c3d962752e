package dev.pipelineworker.testkit.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.testkit.LocalCodePipeline;
import dev.pipelineworker.testkit.TestClock;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;
import software.amazon.awssdk.services.codepipeline.model.ActionExecutionDetail;
import software.amazon.awssdk.services.codepipeline.model.ActionExecutionStatus;
import software.amazon.awssdk.services.codepipeline.model.ActionTypeNotFoundException;
import software.amazon.awssdk.services.codepipeline.model.CodePipelineException;
import software.amazon.awssdk.services.codepipeline.model.Job;
import software.amazon.awssdk.services.codepipeline.model.JobNotFoundException;

/**
 * The emulator's state rules a test relies on without naming them: what a reset forgets and what it restores, the
 * exact moments the clock makes a continuation visible or a job time out, which poll may see which owner's type,
 * and how stopping or cancelling ends each action execution once, through the real SDK client.
 */
class EmulatorStateTest {

    private static final ActionTypeId CUSTOM = ActionTypeId.custom(ActionCategory.DEPLOY, "State", "1");
    private static final ActionTypeId THIRD_PARTY = ActionTypeId.thirdParty(ActionCategory.DEPLOY, "State", "1");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TestClock clock = new TestClock(Instant.parse("2030-01-01T00:00:00Z"));
    private final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
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
        JsonNode event = events.poll(10, TimeUnit.SECONDS);
        assertThat(event).as("an event within 10 s").isNotNull();
        return event;
    }

    private static JsonNode read(String event) {
        try {
            return JSON.readTree(event);
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
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
        cp.publishEventsTo(event -> events.add(read(event)));
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
        cp.publishEventsTo(event -> events.add(read(event)));
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
}

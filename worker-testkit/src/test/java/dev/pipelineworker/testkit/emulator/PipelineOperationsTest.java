package dev.pipelineworker.testkit.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.testkit.LocalCodePipeline;
import java.time.Duration;
import java.util.ArrayList;
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
import software.amazon.awssdk.services.codepipeline.model.DuplicatedStopRequestException;
import software.amazon.awssdk.services.codepipeline.model.InvalidJobStateException;
import software.amazon.awssdk.services.codepipeline.model.Job;
import software.amazon.awssdk.services.codepipeline.model.PipelineNotFoundException;

/**
 * The pipeline side of the emulator through the real SDK client: custom job data carries the pipeline ARN and
 * execution id, "stop and abandon" and a pipeline update end in-flight work so that its results are refused,
 * ListActionExecutions shows it, and every change is published as an EventBridge event.
 */
class PipelineOperationsTest {

    private static final ActionTypeId TYPE = ActionTypeId.custom(ActionCategory.DEPLOY, "Events", "1");

    private final RecordedEvents events = new RecordedEvents();
    private LocalCodePipeline cp;
    private CodePipelineClient client;

    @BeforeEach
    void start() {
        cp = LocalCodePipeline.builder().random(new Random(7)).continuationDelay(Duration.ZERO).start();
        cp.publishEventsTo(events);
        client = Sdk.noRetryClient(cp.endpoint());
    }

    @AfterEach
    void stop() {
        client.close();
        cp.close();
    }

    @Test
    void customJobDataCarriesThePipelineArnAndExecutionId() {
        JobInfo enqueued = cp.enqueue(JobSpec.builder(TYPE).pipelineName("shop").build());

        Job job = poll().get(0);

        String executionId = enqueued.spec().context().pipelineExecutionId();
        assertThat(executionId).matches("[0-9a-f-]{36}");
        assertThat(job.data().pipelineContext().pipelineExecutionId()).isEqualTo(executionId);
        assertThat(job.data().pipelineContext().pipelineArn())
                .isEqualTo("arn:aws:codepipeline:us-east-1:123456789012:shop");
    }

    @Test
    void startedEventHasTheDocumentedEnvelope() throws InterruptedException {
        JobInfo job = cp.enqueue(JobSpec.builder(TYPE).pipelineName("shop").stageName("Deploy").actionName("Go")
                .build());

        JsonNode event = next();

        assertThat(event.path("version").asText()).isEqualTo("0");
        assertThat(event.path("id").asText()).isNotBlank();
        assertThat(event.path("detail-type").asText()).isEqualTo("CodePipeline Action Execution State Change");
        assertThat(event.path("source").asText()).isEqualTo("aws.codepipeline");
        assertThat(event.path("account").asText()).isEqualTo("123456789012");
        assertThat(event.path("region").asText()).isEqualTo("us-east-1");
        assertThat(event.path("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(event.path("resources").get(0).asText())
                .isEqualTo("arn:aws:codepipeline:us-east-1:123456789012:shop");
        JsonNode detail = event.path("detail");
        assertThat(detail.path("pipeline").asText()).isEqualTo("shop");
        assertThat(detail.path("execution-id").asText()).isEqualTo(job.spec().context().pipelineExecutionId());
        assertThat(detail.path("stage").asText()).isEqualTo("Deploy");
        assertThat(detail.path("action").asText()).isEqualTo("Go");
        assertThat(detail.path("state").asText()).isEqualTo("STARTED");
        assertThat(detail.path("type").path("owner").asText()).isEqualTo("Custom");
        assertThat(detail.path("type").path("category").asText()).isEqualTo("Deploy");
        assertThat(detail.path("type").path("provider").asText()).isEqualTo("Events");
        assertThat(detail.path("type").path("version").asText()).isEqualTo("1");
    }

    @Test
    void aThirdPartyJobsEventsNameItsPipelinesArnOrTheOneTheServiceWouldGiveIt() throws InterruptedException {
        ActionTypeId thirdParty = ActionTypeId.thirdParty(ActionCategory.BUILD, "Events", "1");
        cp.enqueue(JobSpec.builder(thirdParty).pipelineName("shop").build());
        cp.enqueue(JobSpec.builder(thirdParty).pipelineName("shop")
                .pipelineArn("arn:aws:codepipeline:us-east-1:123456789012:renamed").build());

        assertThat(next().path("resources").get(0).asText())
                .isEqualTo("arn:aws:codepipeline:us-east-1:123456789012:shop");
        assertThat(next().path("resources").get(0).asText())
                .isEqualTo("arn:aws:codepipeline:us-east-1:123456789012:renamed");
    }

    @Test
    void onlyAStopsPipelineEventsGiveAReason() throws InterruptedException {
        JobInfo stopped = cp.enqueue(JobSpec.builder(TYPE).pipelineName("shop").build());
        cp.enqueue(JobSpec.builder(TYPE).pipelineName("shop").build());
        next();
        next();

        cp.stopAndAbandon(stopped.spec().context().pipelineExecutionId(), "wrong build");
        List<JsonNode> stop = List.of(next(), next(), next());
        cp.cancelByPipelineUpdate("shop");
        List<JsonNode> cancel = List.of(next(), next());

        assertThat(stop).extracting(e -> e.path("detail").path("state").asText(),
                e -> e.path("detail").path("stop-execution-reason").asText(null)).containsExactly(
                org.assertj.core.groups.Tuple.tuple("STOPPING", "wrong build"),
                org.assertj.core.groups.Tuple.tuple("ABANDONED", null),
                org.assertj.core.groups.Tuple.tuple("STOPPED", "wrong build"));
        assertThat(cancel).extracting(e -> e.path("detail-type").asText(), e -> e.path("detail").has("stop-execution-reason"))
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("CodePipeline Action Execution State Change", false),
                        org.assertj.core.groups.Tuple.tuple("CodePipeline Pipeline Execution State Change", false));
    }

    @Test
    void aResetRemovesTheSinksAndEventsArePublishedOnADaemonThread() throws InterruptedException {
        BlockingQueue<Boolean> daemon = new LinkedBlockingQueue<>();
        cp.publishEventsTo(event -> daemon.add(Thread.currentThread().isDaemon()));
        cp.enqueue(JobSpec.builder(TYPE).build());
        next();
        assertThat(daemon.poll(10, TimeUnit.SECONDS)).as("a daemon thread, which never keeps the JVM alive").isTrue();

        cp.reset();
        RecordedEvents after = new RecordedEvents();
        cp.publishEventsTo(after);
        cp.enqueue(JobSpec.builder(TYPE).build());

        assertThat(after.nextState()).as("the sink added after the reset").isEqualTo("STARTED");
        assertThat(events.isEmpty()).as("each event goes to every sink in one task: the reset removed this one").isTrue();
        assertThat(daemon).isEmpty();
    }

    @Test
    void continuationsPublishNoStartedEventAndTheEndIsSucceeded() throws InterruptedException {
        cp.enqueue(JobSpec.builder(TYPE).build());
        assertThat(next().path("detail").path("state").asText()).isEqualTo("STARTED");
        Job first = claim();
        client.putJobSuccessResult(r -> r.jobId(first.id()).continuationToken("more"));
        Job second = claim();
        client.putJobSuccessResult(r -> r.jobId(second.id()));

        assertThat(next().path("detail").path("state").asText()).isEqualTo("SUCCEEDED");
    }

    @Test
    void stopAndAbandonRefusesResultsAndPublishesStoppingAbandonedStopped() throws InterruptedException {
        JobInfo enqueued = cp.enqueue(JobSpec.builder(TYPE).pipelineName("shop").build());
        next();
        Job job = claim();
        String executionId = enqueued.spec().context().pipelineExecutionId();

        client.stopPipelineExecution(r -> r.pipelineName("shop").pipelineExecutionId(executionId).abandon(true)
                .reason("wrong build"));

        assertThat(states(3)).containsExactly("STOPPING", "ABANDONED", "STOPPED");
        assertThat(cp.job(job.id()).orElseThrow().state()).isEqualTo(JobState.Abandoned);
        assertThatThrownBy(() -> client.putJobSuccessResult(r -> r.jobId(job.id())))
                .isInstanceOf(InvalidJobStateException.class);
        assertThatThrownBy(() -> client.stopPipelineExecution(r -> r.pipelineName("shop")
                .pipelineExecutionId(executionId).abandon(true)))
                .isInstanceOf(DuplicatedStopRequestException.class);
    }

    @Test
    void aPipelineUpdateCancelsTheRunningActionsAndThePipelineExecution() throws InterruptedException {
        cp.enqueue(JobSpec.builder(TYPE).pipelineName("shop").build());
        next();
        Job job = claim();

        assertThat(cp.cancelByPipelineUpdate("shop")).hasSize(1);

        assertThat(states(2)).containsExactly("CANCELED", "CANCELED");
        assertThatThrownBy(() -> client.putJobFailureResult(r -> r.jobId(job.id())
                .failureDetails(f -> f.type("JobFailed").message("late"))))
                .isInstanceOf(InvalidJobStateException.class);
    }

    @Test
    void listActionExecutionsShowsEachExecutionWithItsStatus() {
        JobInfo kept = cp.enqueue(JobSpec.builder(TYPE).pipelineName("shop").actionName("Kept").build());
        JobInfo stopped = cp.enqueue(JobSpec.builder(TYPE).pipelineName("shop").actionName("Stopped").build());
        cp.stopAndAbandon(stopped.spec().context().pipelineExecutionId(), "test");

        List<ActionExecutionDetail> all = client.listActionExecutions(r -> r.pipelineName("shop"))
                .actionExecutionDetails();
        List<ActionExecutionDetail> one = client.listActionExecutions(r -> r.pipelineName("shop")
                .filter(f -> f.pipelineExecutionId(kept.spec().context().pipelineExecutionId())))
                .actionExecutionDetails();

        assertThat(all).extracting(ActionExecutionDetail::actionName, ActionExecutionDetail::status)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("Kept", ActionExecutionStatus.IN_PROGRESS),
                        org.assertj.core.groups.Tuple.tuple("Stopped", ActionExecutionStatus.ABANDONED));
        assertThat(one).singleElement().satisfies(detail -> {
            assertThat(detail.actionExecutionId()).isEqualTo(kept.actionExecutionId());
            assertThat(detail.input().actionTypeId().provider()).isEqualTo("Events");
            assertThat(detail.startTime()).isNotNull();
        });
        assertThatThrownBy(() -> client.listActionExecutions(r -> r.pipelineName("other")))
                .isInstanceOf(PipelineNotFoundException.class);
    }

    private List<Job> poll() {
        return client.pollForJobs(r -> r.actionTypeId(Sdk.sdkType(TYPE)).maxBatchSize(10)).jobs();
    }

    private Job claim() {
        Job job = poll().get(0);
        client.acknowledgeJob(r -> r.jobId(job.id()).nonce(job.nonce()));
        return job;
    }

    private List<String> states(int count) throws InterruptedException {
        List<String> states = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            states.add(next().path("detail").path("state").asText());
        }
        return states;
    }

    private JsonNode next() throws InterruptedException {
        return events.next();
    }
}

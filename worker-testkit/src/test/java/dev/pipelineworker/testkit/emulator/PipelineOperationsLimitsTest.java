package dev.pipelineworker.testkit.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.testkit.LocalCodePipeline;
import dev.pipelineworker.testkit.TestClock;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;
import software.amazon.awssdk.services.codepipeline.model.ActionExecutionDetail;
import software.amazon.awssdk.services.codepipeline.model.ActionExecutionStatus;
import software.amazon.awssdk.services.codepipeline.model.CodePipelineException;
import software.amazon.awssdk.services.codepipeline.model.Job;
import software.amazon.awssdk.services.codepipeline.model.ListActionExecutionsResponse;

/**
 * StopPipelineExecution's and ListActionExecutions' members at their limits, a stop without abandoning, and
 * ListActionExecutions' pages, order and timestamps, through the real SDK client (and on the wire for the member
 * the SDK cannot send as another JSON type).
 */
class PipelineOperationsLimitsTest {

    private static final ActionTypeId TYPE = ActionTypeId.custom(ActionCategory.DEPLOY, "Limits", "1");
    /** A quarter past a second, so that the answers' epoch seconds need their fraction. */
    private static final Instant START = Instant.parse("2030-01-01T00:00:00.250Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static TestClock clock;
    private static LocalCodePipeline cp;
    private static CodePipelineClient client;

    @BeforeAll
    static void start() {
        clock = new TestClock(START);
        cp = LocalCodePipeline.builder().clock(clock).random(new Random(3)).continuationDelay(Duration.ZERO)
                .start();
        client = Sdk.noRetryClient(cp.endpoint());
    }

    @AfterAll
    static void stop() {
        client.close();
        cp.close();
    }

    @BeforeEach
    void reset() {
        cp.reset();
    }

    private static CodePipelineException refused(Runnable call) {
        return catchThrowableOfType(CodePipelineException.class, call::run);
    }

    private static String executionOf(JobInfo job) {
        return job.spec().context().pipelineExecutionId();
    }

    private static Job claim() {
        Job job = client.pollForJobs(r -> r.actionTypeId(Sdk.sdkType(TYPE))).jobs().get(0);
        client.acknowledgeJob(r -> r.jobId(job.id()).nonce(job.nonce()));
        return job;
    }

    @Test
    void stopPipelineExecutionChecksItsMembers() throws Exception {
        CodePipelineException refused = refused(() -> client.stopPipelineExecution(r -> r.pipelineName("no spaces")
                .pipelineExecutionId("not-a-uuid").reason("r".repeat(201))));

        assertThat(refused.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
        assertThat(refused.awsErrorDetails().errorMessage()).isEqualTo("3 validation errors detected: "
                + "Value 'no spaces' at 'pipelineName' failed to satisfy constraint: Member must satisfy regular"
                + " expression pattern: [A-Za-z0-9.@\\-_]+; "
                + "Value 'not-a-uuid' at 'pipelineExecutionId' failed to satisfy constraint: Member must satisfy"
                + " regular expression pattern: [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}; "
                + "Value '" + "r".repeat(128) + "...' at 'reason' failed to satisfy constraint: Member must have"
                + " length less than or equal to 200");

        JobInfo job = cp.enqueue(JobSpec.builder(TYPE).pipelineName("shop").build());
        HttpResponse<String> notBoolean = RawRequests.call(cp.endpoint(), "StopPipelineExecution",
                "{\"pipelineName\":\"shop\",\"pipelineExecutionId\":\"" + executionOf(job) + "\",\"abandon\":\"yes\"}");
        assertThat(JSON.readTree(notBoolean.body())).isEqualTo(JSON.createObjectNode()
                .put("__type", "ValidationException").put("message", "1 validation error detected: Value '\"yes\"' at"
                        + " 'abandon' failed to satisfy constraint: Member must be a boolean"));
        assertThat(cp.job(job.jobId()).orElseThrow().state()).isEqualTo(JobState.Queued);
        HttpResponse<String> nullAbandon = RawRequests.call(cp.endpoint(), "StopPipelineExecution",
                "{\"pipelineName\":\"shop\",\"pipelineExecutionId\":\"" + executionOf(job) + "\",\"abandon\":null}");
        assertThat(nullAbandon.statusCode()).as("a null member is an absent one").isEqualTo(200);
        assertThat(cp.job(job.jobId()).orElseThrow().state()).isEqualTo(JobState.Queued);
    }

    @Test
    void aStopWithoutAbandonLetsTheRunningJobFinish() {
        JobInfo enqueued = cp.enqueue(JobSpec.builder(TYPE).pipelineName("shop").build());
        Job job = claim();

        JobInfo queued = cp.enqueue(JobSpec.builder(TYPE).pipelineName("shop").build());

        String stopped = client.stopPipelineExecution(r -> r.pipelineName("shop")
                .pipelineExecutionId(executionOf(enqueued)).reason("let it finish")).pipelineExecutionId();
        client.stopPipelineExecution(r -> r.pipelineName("shop").pipelineExecutionId(executionOf(queued))
                .abandon(false));

        assertThat(stopped).isEqualTo(executionOf(enqueued));
        assertThat(cp.job(job.id()).orElseThrow().state()).isEqualTo(JobState.InProgress);
        assertThat(cp.job(queued.jobId()).orElseThrow().state()).isEqualTo(JobState.Queued);
        client.putJobSuccessResult(r -> r.jobId(job.id()));
        assertThat(cp.job(job.id()).orElseThrow().state()).isEqualTo(JobState.Succeeded);
        assertThat(refused(() -> client.stopPipelineExecution(r -> r.pipelineName("shop")
                .pipelineExecutionId(executionOf(enqueued)).abandon(true))).awsErrorDetails().errorCode())
                .as("one stop per execution").isEqualTo("DuplicatedStopRequestException");
    }

    @Test
    void onlyARunningExecutionOfAKnownPipelineCanBeStopped() {
        JobInfo done = cp.enqueue(JobSpec.builder(TYPE).pipelineName("shop").build());
        Job job = claim();
        client.putJobSuccessResult(r -> r.jobId(job.id()));

        assertThat(refused(() -> client.stopPipelineExecution(r -> r.pipelineName("shop")
                .pipelineExecutionId(executionOf(done)))).awsErrorDetails().errorCode())
                .isEqualTo("PipelineExecutionNotStoppableException");
        assertThat(refused(() -> client.stopPipelineExecution(r -> r.pipelineName("elsewhere")
                .pipelineExecutionId(executionOf(done)))).awsErrorDetails().errorCode())
                .isEqualTo("PipelineNotFoundException");
    }

    @Test
    void listActionExecutionsIsNewestFirstWithTheTimesOfEachExecution() {
        Instant t0 = clock.instant();
        JobInfo first = cp.enqueue(JobSpec.builder(TYPE).pipelineName("shop").actionName("First").build());
        clock.advance(Duration.ofMillis(1500));
        JobInfo second = cp.enqueue(JobSpec.builder(TYPE).pipelineName("shop").actionName("Second").build());
        Job job = claim();
        clock.advance(Duration.ofSeconds(2));
        client.putJobFailureResult(r -> r.jobId(job.id()).failureDetails(f -> f.type("JobFailed").message("no")));

        List<ActionExecutionDetail> details = client.listActionExecutions(r -> r.pipelineName("shop"))
                .actionExecutionDetails();

        assertThat(job.id()).isEqualTo(first.jobId());
        assertThat(details).extracting(ActionExecutionDetail::actionName).containsExactly("Second", "First");
        assertThat(details.get(1)).satisfies(detail -> {
            assertThat(detail.status()).isEqualTo(ActionExecutionStatus.FAILED);
            assertThat(detail.startTime()).isEqualTo(t0);
            assertThat(detail.lastUpdateTime()).isEqualTo(t0.plusMillis(3500));
            assertThat(detail.pipelineVersion()).isEqualTo(1);
            assertThat(detail.pipelineExecutionId()).isEqualTo(executionOf(first));
            assertThat(detail.stageName()).isEqualTo(first.spec().context().stageName());
            assertThat(detail.input().region()).isEqualTo(LocalCodePipeline.DEFAULT_REGION);
            assertThat(detail.input().actionTypeId()).isEqualTo(Sdk.sdkType(TYPE));
        });
        assertThat(details.get(0)).satisfies(detail -> {
            assertThat(detail.status()).isEqualTo(ActionExecutionStatus.IN_PROGRESS);
            assertThat(detail.startTime()).isEqualTo(t0.plusMillis(1500));
            assertThat(detail.lastUpdateTime()).as("not ended: when it became available").isEqualTo(detail.startTime());
            assertThat(detail.actionExecutionId()).isEqualTo(second.actionExecutionId());
        });
    }

    @Test
    void listActionExecutionsPagesByMaxResultsAndNextToken() {
        for (int i = 0; i < 3; i++) {
            cp.enqueue(JobSpec.builder(TYPE).pipelineName("shop").actionName("A" + i).build());
            clock.advance(Duration.ofSeconds(1));
        }

        ListActionExecutionsResponse page = client.listActionExecutions(r -> r.pipelineName("shop").maxResults(2));
        ListActionExecutionsResponse rest = client.listActionExecutions(r -> r.pipelineName("shop").maxResults(2)
                .nextToken(page.nextToken()));

        assertThat(page.actionExecutionDetails()).extracting(ActionExecutionDetail::actionName)
                .containsExactly("A2", "A1");
        assertThat(page.nextToken()).isEqualTo("2");
        assertThat(rest.actionExecutionDetails()).extracting(ActionExecutionDetail::actionName).containsExactly("A0");
        assertThat(rest.nextToken()).isNull();
        assertThat(client.listActionExecutions(r -> r.pipelineName("shop").maxResults(2).nextToken("0"))
                .actionExecutionDetails()).as("the start is a valid token too")
                .isEqualTo(page.actionExecutionDetails());
        assertThat(client.listActionExecutions(r -> r.pipelineName("shop").nextToken("3")).actionExecutionDetails())
                .as("the end is a valid token").isEmpty();
        for (String foreign : List.of("4", "-1", "next")) {
            assertThat(refused(() -> client.listActionExecutions(r -> r.pipelineName("shop").nextToken(foreign)))
                    .awsErrorDetails().errorCode()).as(foreign).isEqualTo("InvalidNextTokenException");
        }
    }

    @Test
    void aPageHasAtMostAHundredExecutions() {
        for (int i = 0; i < 101; i++) {
            cp.enqueue(JobSpec.builder(TYPE).pipelineName("big").build());
        }

        ListActionExecutionsResponse page = client.listActionExecutions(r -> r.pipelineName("big"));

        assertThat(page.actionExecutionDetails()).hasSize(100);
        assertThat(page.nextToken()).isEqualTo("100");
        assertThat(client.listActionExecutions(r -> r.pipelineName("big").maxResults(100)).actionExecutionDetails())
                .hasSize(100);
        assertThat(refused(() -> client.listActionExecutions(r -> r.pipelineName("big").maxResults(101)))
                .awsErrorDetails().errorMessage()).isEqualTo("1 validation error detected: Value '101' at 'maxResults'"
                + " failed to satisfy constraint: Member must have value less than or equal to 100");
        assertThat(refused(() -> client.listActionExecutions(r -> r.pipelineName("big").maxResults(0)))
                .awsErrorDetails().errorMessage()).isEqualTo("1 validation error detected: Value '0' at 'maxResults'"
                + " failed to satisfy constraint: Member must have value greater than or equal to 1");
    }

    @Test
    void theFilterIsCheckedAndAnEmptyOneListsEverything() {
        cp.enqueue(JobSpec.builder(TYPE).pipelineName("shop").build());

        assertThat(client.listActionExecutions(r -> r.pipelineName("shop").filter(f -> { }))
                .actionExecutionDetails()).hasSize(1);
        assertThat(refused(() -> client.listActionExecutions(r -> r.pipelineName("shop")
                .filter(f -> f.pipelineExecutionId("nope")))).awsErrorDetails().errorMessage())
                .startsWith("1 validation error detected: Value 'nope' at 'filter.pipelineExecutionId'");
        assertThat(refused(() -> client.listActionExecutions(r -> r.pipelineName("shop").nextToken("")))
                .awsErrorDetails().errorMessage()).startsWith("1 validation error detected: Value '' at 'nextToken'");
    }

    @Test
    void aPipelineWithJobsOnlyInAnotherRegionIsNotFound() {
        cp.enqueue(JobSpec.builder(TYPE).pipelineName("shop").region("eu-west-1").build());

        assertThat(refused(() -> client.listActionExecutions(r -> r.pipelineName("shop"))).awsErrorDetails()
                .errorCode()).isEqualTo("PipelineNotFoundException");
        try (CodePipelineClient eu = Sdk.noRetryClient(cp.endpoint(), "eu-west-1")) {
            assertThat(eu.listActionExecutions(r -> r.pipelineName("shop")).actionExecutionDetails())
                    .singleElement().satisfies(d -> assertThat(d.input().region()).isEqualTo("eu-west-1"));
        }
    }
}

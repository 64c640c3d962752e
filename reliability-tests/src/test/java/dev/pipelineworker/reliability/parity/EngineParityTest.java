package dev.pipelineworker.reliability.parity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.Backoff;
import dev.pipelineworker.ClientTokenProvider;
import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobHandler;
import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.JobWorker;
import dev.pipelineworker.OutcomeJournal;
import dev.pipelineworker.lambda.LambdaOptions;
import dev.pipelineworker.lambda.testing.LambdaEvent;
import dev.pipelineworker.lambda.testing.LambdaResponse;
import dev.pipelineworker.lambda.testing.LocalLambdaInvoker;
import dev.pipelineworker.testkit.HandlerTestEnvironment;
import dev.pipelineworker.testkit.JobResult;
import dev.pipelineworker.testkit.LocalCodePipeline;
import dev.pipelineworker.testkit.TestJob;
import dev.pipelineworker.testkit.emulator.JobInfo;
import dev.pipelineworker.testkit.emulator.JobSpec;
import dev.pipelineworker.testkit.emulator.RecordedResult;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;

/**
 * Invariant 9: one handler, one reported outcome, whichever engine runs it. Every case runs the
 * same handler under the polling worker (a real {@link JobWorker} with the real SDK client against
 * {@link LocalCodePipeline}, the result read back as the emulator recorded it from the wire), as a
 * Lambda function (worker-lambda's entry point through its local invoker, the result payload read
 * back) and in the testkit ({@link HandlerTestEnvironment}'s {@link JobResult}), and the three must
 * report the same kind, failure type, message, summary, external execution id, continuation token
 * and output variables.
 *
 * <p>Where the Lambda model cannot say what the job-worker API says, this compares what it can:
 * its result has no {@code percentComplete} and no {@code currentRevision} (so no case sets them),
 * it spells {@code PermissionError} as {@code PermissionsError} (read back as the same type), it
 * carries a failure's message in {@code status.summary} (read back as the message), and it has an
 * {@code outputVariables} member whatever the action's owner, so a function accepts them by
 * default where a third-party worker cannot send them:
 * {@link LambdaOptions#withOutputVariablesAllowed(boolean) withOutputVariablesAllowed(false)} is the
 * documented way to run as a third-party action does, and is what this test compares.
 */
class EngineParityTest {

    private static final ActionTypeId ACTION_TYPE = ActionTypeId.thirdParty(ActionCategory.BUILD, "Parity", "1");
    private static final String CLIENT_ID = "5b0e9a52-8d7c-4f1e-a3b6-2c9d8e7f6a51";
    private static final String CLIENT_TOKEN = "parity-client-token";
    private static final String CASE = "Case";

    /** The cases, by name: what the handler does when the job's configuration names the case. */
    private static final Map<String, JobHandler> CASES = new LinkedHashMap<>();

    static {
        CASES.put("a plain success", ctx -> JobOutcome.success("built").withExternalExecutionId("build-7"));
        CASES.put("no outcome (null)", ctx -> null);
        CASES.put("a Fail with a null message", ctx -> JobOutcome.fail(FailureType.CONFIGURATION_ERROR, null));
        CASES.put("a 6,000-character failure message", ctx -> JobOutcome.fail(FailureType.JOB_FAILED, "f".repeat(6_000))
                .withExternalExecutionId("build-8"));
        CASES.put("a 3,000-character success summary", ctx -> JobOutcome.success("s".repeat(3_000)));
        CASES.put("a thrown exception", ctx -> {
            throw new IllegalStateException("the build server said no");
        });
        CASES.put("a thrown Error", ctx -> {
            throw new NoClassDefFoundError("com/acme/BuildClient");
        });
        CASES.put("output variables on a third-party job", ctx -> JobOutcome.success("with variables")
                .withOutputVariables(Map.of("commit", "3f2c9e1")));
        CASES.put("a continuation", ctx -> JobOutcome.continueWithState(Map.of("step", 1)).withSummary("waiting")
                .withExternalExecutionId("build-9"));
        CASES.put("an over-long continuation state", ctx -> JobOutcome.continueWithState(Map.of("log", "x".repeat(3_000))));
    }

    /** Every engine runs this one handler; the job's configuration says which case it plays. */
    private static final JobHandler HANDLER = ctx -> CASES.get(ctx.configuration().requireString(CASE)).handle(ctx);

    private static LocalCodePipeline codePipeline;
    private static CodePipelineClient client;
    private static JobWorker worker;

    @BeforeAll
    static void startTheWorkerOnTheEmulator() {
        // No follow-up job of a continuation becomes visible while the class runs: one result per job.
        codePipeline = LocalCodePipeline.builder().client(CLIENT_ID, CLIENT_TOKEN).actionType(ACTION_TYPE)
                .continuationDelay(Duration.ofHours(1)).start();
        client = CodePipelineClient.builder()
                .endpointOverride(codePipeline.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDPARITY", "parity")))
                .build();
        worker = JobWorker.builder(ACTION_TYPE, HANDLER)
                .codePipelineClient(client)
                .clientTokens(ClientTokenProvider.fromMap(Map.of(CLIENT_ID, CLIENT_TOKEN)))
                .idleBackoff(Backoff.exponential(Duration.ofMillis(10), Duration.ofMillis(50)))
                .outcomeJournal(OutcomeJournal.disabled())
                .build()
                .start();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (worker != null) {
            worker.shutdown();
            assertThat(worker.awaitTermination(Duration.ofSeconds(10))).isTrue();
            worker.close();
        }
        if (client != null) {
            client.close();
        }
        if (codePipeline != null) {
            codePipeline.close();
        }
    }

    static Stream<String> cases() {
        return CASES.keySet().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theWorkerTheLambdaAndTheTestkitReportTheSame(String name) {
        Reported byWorker = underTheWorker(name);
        Reported byLambda = underLambda(name);
        Reported byTestkit = inTheTestkit(name);

        assertThat(byLambda).as("the Lambda entry point against the worker").isEqualTo(byWorker);
        assertThat(byTestkit).as("the testkit against the worker").isEqualTo(byWorker);
    }

    private static Reported underTheWorker(String name) {
        JobInfo job = codePipeline.enqueue(JobSpec.builder(ACTION_TYPE).configuration(CASE, name).build());
        RecordedResult result = codePipeline.awaitResult(job.jobId(), Duration.ofSeconds(30));
        if (result instanceof RecordedResult.Failure failure) {
            return new Reported("failure", failure.type().apiName(), failure.message(), null, failure.externalExecutionId(),
                    null, Map.of());
        }
        if (result instanceof RecordedResult.Success success) {
            RecordedResult.ExecutionDetails details = success.executionDetails();
            return new Reported(success.continuationToken() == null ? "success" : "continuation", null, null,
                    details == null ? null : details.summary(), details == null ? null : details.externalExecutionId(),
                    success.continuationToken(), success.outputVariables());
        }
        throw new AssertionError("the worker did not report job " + job.jobId() + ": " + result);
    }

    private static Reported underLambda(String name) {
        LambdaResponse response = LocalLambdaInvoker.of(HANDLER, LambdaOptions.defaults().withOutputVariablesAllowed(false))
                .invoke(LambdaEvent.builder().configuration(CASE, name).build());
        return switch (response.result()) {
            case "fail" -> new Reported("failure", "PermissionsError".equals(response.failureType())
                    ? FailureType.PERMISSION_ERROR.apiName() : response.failureType(), response.summary(), null,
                    response.externalExecutionId(), null, Map.of());
            case "continue" -> new Reported("continuation", null, null, response.summary(),
                    response.externalExecutionId(), response.continuationToken(), response.outputVariables());
            case "success" -> new Reported("success", null, null, response.summary(), response.externalExecutionId(),
                    null, response.outputVariables());
            default -> throw new AssertionError("not a Lambda result: " + response.json());
        };
    }

    private static Reported inTheTestkit(String name) {
        JobResult result = HandlerTestEnvironment.create().run(HANDLER, TestJob.builder().configuration(CASE, name).build());
        JobOutcome outcome = result.outcome();
        if (outcome instanceof JobOutcome.Fail fail) {
            return new Reported("failure", fail.type().apiName(), fail.message(), null, fail.externalExecutionId(),
                    null, Map.of());
        }
        if (outcome instanceof JobOutcome.Continue next) {
            return new Reported("continuation", null, null, next.summary(), next.externalExecutionId(),
                    result.continuationToken(), Map.of());
        }
        JobOutcome.Success success = (JobOutcome.Success) outcome;
        return new Reported("success", null, null, success.summary(), success.externalExecutionId(), null,
                success.outputVariables());
    }

    /**
     * What an engine reported, in the terms all three share.
     *
     * @param kind              success, continuation or failure
     * @param failureType       the job-worker API's name of the failure type, for a failure
     * @param message           the failure's message, for a failure
     * @param summary           the execution summary, for a success or a continuation
     * @param continuationToken the token, for a continuation
     */
    record Reported(String kind, String failureType, String message, String summary, String externalExecutionId,
                    String continuationToken, Map<String, String> outputVariables) {
    }
}

package dev.pipelineworker.testkit.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.Artifact;
import dev.pipelineworker.ArtifactCredentials;
import dev.pipelineworker.EncryptionKey;
import dev.pipelineworker.S3Location;
import dev.pipelineworker.testkit.LocalCodePipeline;
import dev.pipelineworker.testkit.TestClock;
import dev.pipelineworker.testkit.LocalCodePipelineExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;
import software.amazon.awssdk.services.codepipeline.model.AcknowledgeJobResponse;
import software.amazon.awssdk.services.codepipeline.model.ActionTypeNotFoundException;
import software.amazon.awssdk.services.codepipeline.model.CurrentRevision;
import software.amazon.awssdk.services.codepipeline.model.ExecutionDetails;
import software.amazon.awssdk.services.codepipeline.model.FailureDetails;
import software.amazon.awssdk.services.codepipeline.model.FailureType;
import software.amazon.awssdk.services.codepipeline.model.InvalidClientTokenException;
import software.amazon.awssdk.services.codepipeline.model.InvalidJobStateException;
import software.amazon.awssdk.services.codepipeline.model.InvalidNonceException;
import software.amazon.awssdk.services.codepipeline.model.Job;
import software.amazon.awssdk.services.codepipeline.model.ThirdPartyJobData;
import software.amazon.awssdk.services.codepipeline.model.JobNotFoundException;
import software.amazon.awssdk.services.codepipeline.model.JobStatus;
import software.amazon.awssdk.services.codepipeline.model.ThirdPartyJob;
import software.amazon.awssdk.services.codepipeline.model.ThirdPartyJobDetails;
import software.amazon.awssdk.services.codepipeline.model.ValidationException;

/** Drives every job flow of the emulator with the real AWS SDK client and checks it answers like the service. */
class LocalCodePipelineConformanceTest {

    private static final TestClock CLOCK = new TestClock(Instant.parse("2030-01-01T00:00:00Z"));
    private static final String CLIENT_ID = "0f6c7a4e-3b1d-4c2a-9e8f-7a6b5c4d3e2f";
    private static final String CLIENT_TOKEN = "integrator-secret-token";
    private static final ActionTypeId THIRD_PARTY = ActionTypeId.thirdParty(ActionCategory.BUILD, "AcmeBuild", "1");
    private static final ActionTypeId CUSTOM = ActionTypeId.custom(ActionCategory.DEPLOY, "AcmeDeploy", "2");

    @RegisterExtension
    static final LocalCodePipelineExtension CP = LocalCodePipelineExtension.create(b -> b
            .clock(CLOCK)
            .random(new Random(42))
            .client(CLIENT_ID, CLIENT_TOKEN)
            .ackTimeout(Duration.ofSeconds(30))
            .jobTimeout(Duration.ofMinutes(10))
            .continuationDelay(Duration.ZERO));

    private static CodePipelineClient sdk;

    @BeforeAll
    static void client() {
        sdk = Sdk.client(CP.endpoint());
    }

    @AfterAll
    static void closeClient() {
        sdk.close();
    }

    private static JobSpec thirdPartyJob() {
        return JobSpec.builder(THIRD_PARTY)
                .configuration("ProjectName", "acme-project")
                .configuration("ApiKey", "super-secret-value")
                .pipelineName("release").stageName("Build").actionName("Compile")
                .inputArtifact(Artifact.of("SourceOutput", S3Location.of("artifact-bucket", "release/Source/in.zip"))
                        .withRevision("abc123"))
                .outputArtifact("BuildOutput", "artifact-bucket", "release/Build/out.zip")
                .encryptionKey(EncryptionKey.kms("arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"))
                .artifactCredentials(ArtifactCredentials.of("ASIAJOBKEY", "job-secret", "job-session"))
                .build();
    }

    private static List<ThirdPartyJob> pollThirdParty(int max) {
        return sdk.pollForThirdPartyJobs(r -> r.actionTypeId(Sdk.sdkType(THIRD_PARTY)).maxBatchSize(max)).jobs();
    }

    private static List<Job> pollCustom(int max, Map<String, String> query) {
        return sdk.pollForJobs(r -> r.actionTypeId(Sdk.sdkType(CUSTOM)).maxBatchSize(max).queryParam(query)).jobs();
    }

    private static ThirdPartyJobDetails details(String jobId) {
        return sdk.getThirdPartyJobDetails(r -> r.jobId(jobId).clientToken(CLIENT_TOKEN)).jobDetails();
    }

    /** Polls, acknowledges and returns the custom job, now InProgress. */
    private static Job claimCustom() {
        Job job = pollCustom(1, Map.of()).get(0);
        sdk.acknowledgeJob(r -> r.jobId(job.id()).nonce(job.nonce()));
        return job;
    }

    @Test
    void thirdPartyHappyPath() {
        JobInfo enqueued = CP.emulator().enqueue(thirdPartyJob());

        List<ThirdPartyJob> polled = pollThirdParty(5);
        assertThat(polled).singleElement().satisfies(job -> {
            assertThat(job.jobId()).isEqualTo(enqueued.jobId()).matches("[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}");
            assertThat(job.clientId()).isEqualTo(CLIENT_ID);
        });

        ThirdPartyJobDetails details = details(enqueued.jobId());
        assertThat(details.id()).isEqualTo(enqueued.jobId());
        assertThat(details.nonce()).isNotBlank();
        var data = details.data();
        assertThat(data.actionTypeId()).isEqualTo(Sdk.sdkType(THIRD_PARTY));
        assertThat(data.actionConfiguration().configuration())
                .containsExactly(Map.entry("ProjectName", "acme-project"), Map.entry("ApiKey", "super-secret-value"));
        assertThat(data.pipelineContext().pipelineName()).isEqualTo("release");
        assertThat(data.pipelineContext().stage().name()).isEqualTo("Build");
        assertThat(data.pipelineContext().action().name()).isEqualTo("Compile");
        assertThat(data.pipelineContext().action().actionExecutionId()).isEqualTo(enqueued.actionExecutionId());
        assertThat(data.inputArtifacts()).singleElement().satisfies(a -> {
            assertThat(a.name()).isEqualTo("SourceOutput");
            assertThat(a.revision()).isEqualTo("abc123");
            assertThat(a.location().typeAsString()).isEqualTo("S3");
            assertThat(a.location().s3Location().bucketName()).isEqualTo("artifact-bucket");
            assertThat(a.location().s3Location().objectKey()).isEqualTo("release/Source/in.zip");
        });
        assertThat(data.outputArtifacts()).extracting(a -> a.location().s3Location().objectKey())
                .containsExactly("release/Build/out.zip");
        assertThat(data.encryptionKey().id()).endsWith("key/1234abcd-12ab-34cd-56ef-1234567890ab");
        assertThat(data.encryptionKey().typeAsString()).isEqualTo("KMS");
        assertThat(data.artifactCredentials().accessKeyId()).isEqualTo("ASIAJOBKEY");
        assertThat(data.artifactCredentials().secretAccessKey()).isEqualTo("job-secret");
        assertThat(data.artifactCredentials().sessionToken()).isEqualTo("job-session");
        assertThat(data.continuationToken()).isNull();

        JobStatus status = sdk.acknowledgeThirdPartyJob(r -> r.jobId(enqueued.jobId()).nonce(details.nonce())
                .clientToken(CLIENT_TOKEN)).status();
        assertThat(status).isEqualTo(JobStatus.IN_PROGRESS);
        assertThat(CP.emulator().job(enqueued.jobId())).get().extracting(JobInfo::state).isEqualTo(JobState.InProgress);

        sdk.putThirdPartyJobSuccessResult(r -> r.jobId(enqueued.jobId()).clientToken(CLIENT_TOKEN)
                .currentRevision(CurrentRevision.builder().revision("rev-9").changeIdentifier("change-9")
                        .created(Instant.parse("2030-01-01T00:00:05Z")).build())
                .executionDetails(ExecutionDetails.builder().summary("built").externalExecutionId("build-77")
                        .percentComplete(100).build()));

        RecordedResult result = CP.emulator().awaitFinalResult(enqueued.actionExecutionId(), Duration.ofSeconds(5));
        assertThat(result).isInstanceOfSatisfying(RecordedResult.Success.class, success -> {
            assertThat(success.jobId()).isEqualTo(enqueued.jobId());
            assertThat(success.continuationToken()).isNull();
            assertThat(success.currentRevision()).isEqualTo(new RecordedResult.Revision("rev-9", "change-9",
                    Instant.parse("2030-01-01T00:00:05Z"), null));
            assertThat(success.executionDetails())
                    .isEqualTo(new RecordedResult.ExecutionDetails("built", "build-77", 100));
            assertThat(success.outputVariables()).isEmpty();
        });
        assertThat(CP.emulator().job(enqueued.jobId())).get().extracting(JobInfo::state).isEqualTo(JobState.Succeeded);
        assertThat(pollThirdParty(5)).isEmpty();
        assertThat(CP.emulator().calls()).extracting(RecordedCall::operation).containsExactly(
                "PollForThirdPartyJobs", "GetThirdPartyJobDetails", "AcknowledgeThirdPartyJob",
                "PutThirdPartyJobSuccessResult", "PollForThirdPartyJobs");
        assertThat(CP.emulator().calls()).allMatch(RecordedCall::succeeded);
    }

    @Test
    void renewedArtifactCredentialsReachLaterDetailsAndContinuations() {
        JobInfo thirdParty = CP.emulator().enqueue(thirdPartyJob());
        pollThirdParty(1);
        assertThat(details(thirdParty.jobId()).data().artifactCredentials().accessKeyId()).isEqualTo("ASIAJOBKEY");
        ArtifactCredentials fresh = new ArtifactCredentials("ASIAFRESHKEY", "fresh-secret", "fresh-session");

        CP.emulator().renewArtifactCredentials(thirdParty.jobId(), fresh);

        ThirdPartyJobDetails renewed = details(thirdParty.jobId());
        assertThat(renewed.data().artifactCredentials().accessKeyId()).isEqualTo("ASIAFRESHKEY");
        assertThat(renewed.data().artifactCredentials().secretAccessKey()).isEqualTo("fresh-secret");
        assertThat(renewed.data().artifactCredentials().sessionToken()).isEqualTo("fresh-session");
        sdk.acknowledgeThirdPartyJob(r -> r.jobId(thirdParty.jobId()).nonce(renewed.nonce())
                .clientToken(CLIENT_TOKEN));
        sdk.putThirdPartyJobSuccessResult(r -> r.jobId(thirdParty.jobId()).clientToken(CLIENT_TOKEN)
                .continuationToken("next"));
        String next = pollThirdParty(1).get(0).jobId();
        assertThat(details(next).data().artifactCredentials().accessKeyId()).isEqualTo("ASIAFRESHKEY");

        JobInfo custom = CP.emulator().enqueue(JobSpec.builder(CUSTOM).build());
        CP.emulator().renewArtifactCredentials(custom.jobId(), fresh);
        assertThat(pollCustom(1, Map.of()).get(0).data().artifactCredentials().accessKeyId()).isEqualTo("ASIAFRESHKEY");
        assertThat(sdk.getJobDetails(r -> r.jobId(custom.jobId())).jobDetails().data().artifactCredentials()
                .accessKeyId()).isEqualTo("ASIAFRESHKEY");
        assertThat(CP.emulator().job(custom.jobId()).orElseThrow().spec().artifactCredentials()).isEqualTo(fresh);
        assertThat(catchThrowableOfType(IllegalArgumentException.class,
                () -> CP.emulator().renewArtifactCredentials("no-such-job", fresh))).hasMessageContaining("no-such-job");
    }

    @Test
    void customHappyPathWithOutputVariables() {
        JobInfo enqueued = CP.emulator().enqueue(JobSpec.builder(CUSTOM).configuration("Env", "prod")
                .accountId("210987654321").build());

        List<Job> polled = pollCustom(3, Map.of());
        assertThat(polled).singleElement().satisfies(job -> {
            assertThat(job.id()).isEqualTo(enqueued.jobId());
            assertThat(job.nonce()).isNotBlank();
            assertThat(job.accountId()).isEqualTo("210987654321");
            assertThat(job.data().actionConfiguration().configuration()).containsEntry("Env", "prod");
            assertThat(job.data().pipelineContext().action().actionExecutionId())
                    .isEqualTo(enqueued.actionExecutionId());
        });
        Job job = polled.get(0);

        AcknowledgeJobResponse ack = sdk.acknowledgeJob(r -> r.jobId(job.id()).nonce(job.nonce()));
        assertThat(ack.status()).isEqualTo(JobStatus.IN_PROGRESS);

        var details = sdk.getJobDetails(r -> r.jobId(job.id())).jobDetails();
        assertThat(details.id()).isEqualTo(job.id());
        assertThat(details.accountId()).isEqualTo("210987654321");
        assertThat(details.data()).isEqualTo(job.data());

        sdk.putJobSuccessResult(r -> r.jobId(job.id()).outputVariables(Map.of("imageTag", "v1.2.3", "region", "eu")));

        RecordedResult result = CP.emulator().awaitFinalResult(enqueued.actionExecutionId(), Duration.ofSeconds(5));
        assertThat(result).isInstanceOfSatisfying(RecordedResult.Success.class, success ->
                assertThat(success.outputVariables()).containsOnly(
                        Map.entry("imageTag", "v1.2.3"), Map.entry("region", "eu")));
        assertThat(CP.emulator().resultsForJob(job.id())).containsExactly(result);
    }

    @Test
    void pollForJobsHonoursQueryParamAndMaxBatchSize() {
        JobInfo alpha1 = CP.emulator().enqueue(JobSpec.builder(CUSTOM).configuration("Project", "alpha").build());
        JobInfo beta = CP.emulator().enqueue(JobSpec.builder(CUSTOM).configuration("Project", "beta").build());
        JobInfo alpha2 = CP.emulator().enqueue(JobSpec.builder(CUSTOM).configuration("Project", "alpha").build());

        assertThat(pollCustom(10, Map.of("Project", "beta"))).extracting(Job::id).containsExactly(beta.jobId());
        assertThat(pollCustom(1, Map.of())).extracting(Job::id).containsExactly(alpha1.jobId());
        assertThat(pollCustom(10, Map.of())).extracting(Job::id).containsExactly(alpha2.jobId());
        assertThat(pollCustom(10, Map.of())).isEmpty();
    }

    @Test
    void wrongNonceIsRejected() {
        JobInfo enqueued = CP.emulator().enqueue(thirdPartyJob());
        pollThirdParty(1);

        InvalidNonceException error = catchThrowableOfType(InvalidNonceException.class, () ->
                sdk.acknowledgeThirdPartyJob(r -> r.jobId(enqueued.jobId()).nonce("not-the-nonce")
                        .clientToken(CLIENT_TOKEN)));

        assertThat(error.statusCode()).isEqualTo(400);
        assertThat(CP.emulator().job(enqueued.jobId())).get().extracting(JobInfo::state).isEqualTo(JobState.Dispatched);
        assertThat(CP.emulator().calls(Operation.ACKNOWLEDGE_THIRD_PARTY_JOB)).singleElement()
                .extracting(RecordedCall::errorType).isEqualTo("InvalidNonceException");
    }

    @Test
    void wrongClientTokenIsRejected() {
        JobInfo enqueued = CP.emulator().enqueue(thirdPartyJob());
        pollThirdParty(1);
        String nonce = details(enqueued.jobId()).nonce();

        assertThat(catchThrowableOfType(InvalidClientTokenException.class, () ->
                sdk.getThirdPartyJobDetails(r -> r.jobId(enqueued.jobId()).clientToken("guessed-token"))))
                .hasMessageNotContaining(CLIENT_TOKEN);
        assertThat(catchThrowableOfType(InvalidClientTokenException.class, () ->
                sdk.acknowledgeThirdPartyJob(r -> r.jobId(enqueued.jobId()).nonce(nonce).clientToken("guessed-token"))))
                .isNotNull();
        assertThat(CP.emulator().job(enqueued.jobId())).get().extracting(JobInfo::state).isEqualTo(JobState.Dispatched);
    }

    @Test
    void resultOnFinishedJobIsAnInvalidJobState() {
        CP.emulator().enqueue(JobSpec.builder(CUSTOM).build());
        Job job = claimCustom();
        sdk.putJobSuccessResult(r -> r.jobId(job.id()));

        InvalidJobStateException error = catchThrowableOfType(InvalidJobStateException.class, () ->
                sdk.putJobFailureResult(r -> r.jobId(job.id()).failureDetails(FailureDetails.builder()
                        .type(FailureType.JOB_FAILED).message("too late").build())));

        assertThat(error).hasMessageContaining("Succeeded");
        assertThat(CP.emulator().resultsForJob(job.id())).singleElement().isInstanceOf(RecordedResult.Success.class);
    }

    @Test
    void resultOnTimedOutJobIsAnInvalidJobState() {
        JobInfo enqueued = CP.emulator().enqueue(JobSpec.builder(CUSTOM).build());
        Job job = claimCustom();

        CLOCK.advance(Duration.ofMinutes(10).plusSeconds(1));

        assertThat(catchThrowableOfType(InvalidJobStateException.class, () ->
                sdk.putJobSuccessResult(r -> r.jobId(job.id())))).hasMessageContaining("TimedOut");
        assertThat(CP.emulator().awaitFinalResult(enqueued.actionExecutionId(), Duration.ofSeconds(1)))
                .isInstanceOf(RecordedResult.TimedOut.class);
        assertThat(CP.emulator().job(job.id())).get().extracting(JobInfo::state).isEqualTo(JobState.TimedOut);
    }

    @Test
    void awaitFinalResultSeesATimeoutWithoutAnyCall() {
        JobInfo enqueued = CP.emulator().enqueue(JobSpec.builder(CUSTOM).build());
        CLOCK.advance(Duration.ofMinutes(11));

        RecordedResult result = CP.emulator().awaitFinalResult(enqueued.actionExecutionId(), Duration.ofSeconds(1));

        assertThat(result).isInstanceOf(RecordedResult.TimedOut.class);
        assertThat(CP.emulator().calls()).isEmpty();
    }

    @Test
    void unknownJobIsNotFound() {
        String unknown = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";

        assertThat(catchThrowableOfType(JobNotFoundException.class, () -> sdk.getJobDetails(r -> r.jobId(unknown))))
                .isNotNull();
        assertThat(catchThrowableOfType(JobNotFoundException.class, () -> sdk.acknowledgeThirdPartyJob(r ->
                r.jobId(unknown).nonce("1").clientToken(CLIENT_TOKEN)))).isNotNull();
    }

    @Test
    void customOperationsDoNotSeeThirdPartyJobs() {
        JobInfo thirdParty = CP.emulator().enqueue(thirdPartyJob());

        assertThat(catchThrowableOfType(JobNotFoundException.class, () ->
                sdk.getJobDetails(r -> r.jobId(thirdParty.jobId())))).isNotNull();
    }

    @Test
    void overLongFieldsAreValidationErrorsNamingTheField() {
        CP.emulator().enqueue(JobSpec.builder(CUSTOM).build());
        Job job = claimCustom();

        ValidationException message = catchThrowableOfType(ValidationException.class, () ->
                sdk.putJobFailureResult(r -> r.jobId(job.id()).failureDetails(FailureDetails.builder()
                        .type(FailureType.CONFIGURATION_ERROR).message("x".repeat(5001)).build())));
        assertThat(message.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
        assertThat(message).hasMessageContaining("1 validation error detected")
                .hasMessageContaining("'failureDetails.message'")
                .hasMessageContaining("Member must have length less than or equal to 5000");

        ValidationException several = catchThrowableOfType(ValidationException.class, () ->
                sdk.putJobSuccessResult(r -> r.jobId(job.id()).continuationToken("t".repeat(2049))
                        .executionDetails(ExecutionDetails.builder().percentComplete(101).build())
                        .currentRevision(CurrentRevision.builder().revision("r").build())));
        assertThat(several).hasMessageContaining("3 validation errors detected")
                .hasMessageContaining("'continuationToken'")
                .hasMessageContaining("'executionDetails.percentComplete'")
                .hasMessageContaining("Value null at 'currentRevision.changeIdentifier'");

        assertThat(CP.emulator().job(job.id())).get().extracting(JobInfo::state).isEqualTo(JobState.InProgress);
        assertThat(CP.emulator().results()).isEmpty();
    }

    @Test
    void outputVariablesWithAContinuationTokenAreRejected() {
        CP.emulator().enqueue(JobSpec.builder(CUSTOM).build());
        Job job = claimCustom();

        assertThat(catchThrowableOfType(ValidationException.class, () -> sdk.putJobSuccessResult(r -> r.jobId(job.id())
                .continuationToken("more").outputVariables(Map.of("key", "value")))))
                .hasMessageContaining("'outputVariables'");
    }

    @Test
    void invalidActionTypeAndBatchSizeAreValidationErrors() {
        ValidationException error = catchThrowableOfType(ValidationException.class, () ->
                sdk.pollForJobs(r -> r.actionTypeId(t -> t.category("Build").owner("Custom").provider("bad provider!")
                        .version("1")).maxBatchSize(0)));

        assertThat(error).hasMessageContaining("'actionTypeId.provider'").hasMessageContaining("'maxBatchSize'");
    }

    @Test
    void pollForAnUnknownActionTypeIsActionTypeNotFound() {
        assertThat(catchThrowableOfType(ActionTypeNotFoundException.class, () ->
                sdk.pollForThirdPartyJobs(r -> r.actionTypeId(Sdk.sdkType(
                        ActionTypeId.thirdParty(ActionCategory.TEST, "NobodyRegisteredThis", "1")))))).isNotNull();
    }

    @Test
    void jobNotAcknowledgedInTimeIsOfferedAgainWithANewNonce() {
        JobInfo enqueued = CP.emulator().enqueue(JobSpec.builder(CUSTOM).build());
        Job first = pollCustom(1, Map.of()).get(0);
        assertThat(pollCustom(1, Map.of())).as("still within the ack timeout").isEmpty();

        CLOCK.advance(Duration.ofSeconds(30));
        Job second = pollCustom(1, Map.of()).get(0);

        assertThat(second.id()).isEqualTo(first.id()).isEqualTo(enqueued.jobId());
        assertThat(second.nonce()).isNotEqualTo(first.nonce());
        assertThat(catchThrowableOfType(InvalidNonceException.class, () ->
                sdk.acknowledgeJob(r -> r.jobId(first.id()).nonce(first.nonce())))).isNotNull();
        assertThat(sdk.acknowledgeJob(r -> r.jobId(second.id()).nonce(second.nonce())).status())
                .isEqualTo(JobStatus.IN_PROGRESS);
        assertThat(CP.emulator().job(enqueued.jobId())).get().extracting(JobInfo::offerCount).isEqualTo(2);
    }

    @Test
    void continuationCreatesANewJobForTheSameActionExecution() {
        JobInfo enqueued = CP.emulator().enqueue(thirdPartyJob());
        String firstId = pollThirdParty(1).get(0).jobId();
        sdk.acknowledgeThirdPartyJob(r -> r.jobId(firstId).nonce(details(firstId).nonce()).clientToken(CLIENT_TOKEN));
        sdk.putThirdPartyJobSuccessResult(r -> r.jobId(firstId).clientToken(CLIENT_TOKEN)
                .continuationToken("step-2").executionDetails(e -> e.summary("half way").percentComplete(50)));

        String secondId = pollThirdParty(1).get(0).jobId();
        ThirdPartyJobDetails second = details(secondId);
        ThirdPartyJobData data = second.data();

        assertThat(secondId).isNotEqualTo(firstId);
        assertThat(data.continuationToken()).isEqualTo("step-2");
        assertThat(data.pipelineContext().action().actionExecutionId()).isEqualTo(enqueued.actionExecutionId());
        assertThat(data.actionConfiguration().configuration()).containsEntry("ProjectName", "acme-project");

        sdk.acknowledgeThirdPartyJob(r -> r.jobId(secondId).nonce(second.nonce()).clientToken(CLIENT_TOKEN));
        sdk.putThirdPartyJobSuccessResult(r -> r.jobId(secondId).clientToken(CLIENT_TOKEN));

        RecordedResult last = CP.emulator().awaitFinalResult(enqueued.actionExecutionId(), Duration.ofSeconds(5));
        assertThat(last.jobId()).isEqualTo(secondId);
        assertThat(CP.emulator().resultsForAction(enqueued.actionExecutionId()))
                .extracting(RecordedResult::jobId, RecordedResult::isFinal)
                .containsExactly(tuple(firstId, false),
                        tuple(secondId, true));
        assertThat(CP.emulator().jobsForAction(enqueued.actionExecutionId())).extracting(JobInfo::jobId)
                .containsExactly(firstId, secondId);
    }

    @Test
    void errorsAndResultsUseTheServiceWireEncoding() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI endpoint = CP.endpoint();

        HttpResponse<String> unknownOperation = http.send(post(endpoint, "ListPipelines", "{}"),
                HttpResponse.BodyHandlers.ofString());
        assertThat(unknownOperation.statusCode()).isEqualTo(400);
        assertThat(unknownOperation.headers().firstValue("Content-Type")).hasValue("application/x-amz-json-1.1");
        assertThat(unknownOperation.body())
                .contains("\"__type\":\"UnknownOperationException\"").contains("\"message\"");

        HttpResponse<String> notFound = http.send(post(endpoint, "GetJobDetails",
                "{\"jobId\":\"3f2504e0-4f89-41d3-9a0c-0305e82c3301\"}"), HttpResponse.BodyHandlers.ofString());
        assertThat(notFound.statusCode()).isEqualTo(400);
        assertThat(notFound.body()).startsWith("{\"__type\":\"JobNotFoundException\",\"message\":");

        CP.emulator().enqueue(JobSpec.builder(CUSTOM).build());
        Job job = claimCustom();
        HttpResponse<String> success = http.send(post(endpoint, "PutJobSuccessResult",
                "{\"jobId\":\"" + job.id() + "\"}"), HttpResponse.BodyHandlers.ofString());
        assertThat(success.statusCode()).isEqualTo(200);
        assertThat(success.headers().firstValue("Content-Type")).hasValue("application/x-amz-json-1.1");
        assertThat(success.body()).isEqualTo("{}");
    }

    private static HttpRequest post(URI endpoint, String operation, String body) {
        return HttpRequest.newBuilder(endpoint)
                .header("Content-Type", "application/x-amz-json-1.1")
                .header("X-Amz-Target", "CodePipeline_20150709." + operation)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }
}

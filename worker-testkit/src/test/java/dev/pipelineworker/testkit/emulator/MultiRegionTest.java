package dev.pipelineworker.testkit.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.testkit.LocalCodePipeline;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;
import software.amazon.awssdk.services.codepipeline.model.ActionTypeNotFoundException;
import software.amazon.awssdk.services.codepipeline.model.CodePipelineException;
import software.amazon.awssdk.services.codepipeline.model.FailureType;
import software.amazon.awssdk.services.codepipeline.model.Job;
import software.amazon.awssdk.services.codepipeline.model.JobNotFoundException;
import software.amazon.awssdk.services.codepipeline.model.ThirdPartyJob;

/**
 * One emulator serving three regions to real SDK clients built for each, as three regional endpoints would: each
 * region sees only its own jobs and action types, and a region-limited fault leaves the others alone.
 */
class MultiRegionTest {

    private static final String US = "us-east-1";
    private static final String EU = "eu-west-1";
    private static final String AP = "ap-southeast-2";
    private static final List<String> REGIONS = List.of(US, EU, AP);
    private static final String CLIENT_ID = "7d0c1b2a-3e4f-4a5b-8c6d-7e8f9a0b1c2d";
    private static final String CLIENT_TOKEN = "regional-client-token";
    private static final ActionTypeId CUSTOM = ActionTypeId.custom(ActionCategory.DEPLOY, "Everywhere", "1");
    private static final ActionTypeId THIRD_PARTY = ActionTypeId.thirdParty(ActionCategory.BUILD, "Everywhere", "1");

    private LocalCodePipeline cp;
    private final Map<String, CodePipelineClient> clients = new LinkedHashMap<>();

    private LocalCodePipeline start(LocalCodePipeline.Builder builder) {
        cp = builder.random(new Random(13)).client(CLIENT_ID, CLIENT_TOKEN).continuationDelay(Duration.ZERO)
                .start();
        REGIONS.forEach(region -> clients.put(region, Sdk.noRetryClient(cp.endpoint(), region)));
        return cp;
    }

    @AfterEach
    void stop() {
        clients.values().forEach(CodePipelineClient::close);
        if (cp != null) {
            cp.close();
        }
    }

    private CodePipelineClient in(String region) {
        return clients.get(region);
    }

    private List<Job> pollCustom(String region) {
        return in(region).pollForJobs(r -> r.actionTypeId(Sdk.sdkType(CUSTOM)).maxBatchSize(10)).jobs();
    }

    private List<ThirdPartyJob> pollThirdParty(String region) {
        return in(region).pollForThirdPartyJobs(r -> r.actionTypeId(Sdk.sdkType(THIRD_PARTY)).maxBatchSize(10))
                .jobs();
    }

    private JobInfo enqueue(ActionTypeId type, String region) {
        return cp.enqueue(JobSpec.builder(type).region(region).build());
    }

    @Test
    void eachRegionHandsOutOnlyItsOwnJobs() {
        start(LocalCodePipeline.builder());
        Map<String, JobInfo> custom = new LinkedHashMap<>();
        Map<String, JobInfo> thirdParty = new LinkedHashMap<>();
        for (String region : REGIONS) {
            custom.put(region, enqueue(CUSTOM, region));
            thirdParty.put(region, enqueue(THIRD_PARTY, region));
        }

        for (String region : REGIONS) {
            assertThat(pollCustom(region)).as("custom jobs polled in %s", region)
                    .extracting(Job::id).containsExactly(custom.get(region).jobId());
            assertThat(pollThirdParty(region)).as("third-party jobs polled in %s", region)
                    .extracting(ThirdPartyJob::jobId).containsExactly(thirdParty.get(region).jobId());
        }

        assertThat(cp.jobs()).extracting(JobInfo::region, JobInfo::state).containsOnly(
                tuple(US, JobState.Dispatched), tuple(EU, JobState.Dispatched), tuple(AP, JobState.Dispatched));
        assertThat(cp.jobsInRegion(EU)).extracting(JobInfo::jobId)
                .containsExactly(custom.get(EU).jobId(), thirdParty.get(EU).jobId());
        assertThat(cp.calls()).extracting(RecordedCall::region).containsExactly(US, US, EU, EU, AP, AP);
        assertThat(cp.callsInRegion(AP)).extracting(RecordedCall::operation)
                .containsExactly("PollForJobs", "PollForThirdPartyJobs");
        for (String region : REGIONS) {
            assertThat(pollCustom(region)).as("nothing left in %s", region).isEmpty();
        }
    }

    @Test
    void aJobWithoutARegionIsInTheDefaultRegion() {
        start(LocalCodePipeline.builder().defaultRegion(EU).actionType(CUSTOM));
        JobInfo job = cp.enqueue(JobSpec.builder(CUSTOM).build());

        assertThat(job.region()).isEqualTo(EU);
        assertThat(cp.defaultRegion()).isEqualTo(EU);
        assertThat(pollCustom(US)).isEmpty();
        assertThat(pollCustom(EU)).extracting(Job::id).containsExactly(job.jobId());
    }

    @Test
    void theDefaultRegionIsUsEast1() {
        start(LocalCodePipeline.builder());

        assertThat(cp.defaultRegion()).isEqualTo(LocalCodePipeline.DEFAULT_REGION).isEqualTo(US);
        assertThat(cp.enqueue(JobSpec.builder(CUSTOM).build()).region()).isEqualTo(US);
    }

    @Test
    void everyCallForAnotherRegionsJobIsJobNotFound() {
        start(LocalCodePipeline.builder());
        JobInfo custom = enqueue(CUSTOM, EU);
        JobInfo thirdParty = enqueue(THIRD_PARTY, EU);
        Job polled = pollCustom(EU).get(0);
        pollThirdParty(EU);
        String nonce = in(EU).getThirdPartyJobDetails(r -> r.jobId(thirdParty.jobId()).clientToken(CLIENT_TOKEN))
                .jobDetails().nonce();

        List<Consumer<CodePipelineClient>> calls = List.of(
                sdk -> sdk.getJobDetails(r -> r.jobId(custom.jobId())),
                sdk -> sdk.acknowledgeJob(r -> r.jobId(custom.jobId()).nonce(polled.nonce())),
                sdk -> sdk.putJobSuccessResult(r -> r.jobId(custom.jobId())),
                sdk -> sdk.putJobFailureResult(r -> r.jobId(custom.jobId())
                        .failureDetails(f -> f.type(FailureType.JOB_FAILED).message("no"))),
                sdk -> sdk.getThirdPartyJobDetails(r -> r.jobId(thirdParty.jobId()).clientToken(CLIENT_TOKEN)),
                sdk -> sdk.acknowledgeThirdPartyJob(r -> r.jobId(thirdParty.jobId()).nonce(nonce)
                        .clientToken(CLIENT_TOKEN)),
                sdk -> sdk.putThirdPartyJobSuccessResult(r -> r.jobId(thirdParty.jobId()).clientToken(CLIENT_TOKEN)),
                sdk -> sdk.putThirdPartyJobFailureResult(r -> r.jobId(thirdParty.jobId()).clientToken(CLIENT_TOKEN)
                        .failureDetails(f -> f.type(FailureType.JOB_FAILED).message("no"))));
        for (String other : List.of(US, AP)) {
            for (Consumer<CodePipelineClient> call : calls) {
                assertThatThrownBy(() -> call.accept(in(other))).as("from %s", other)
                        .isInstanceOf(JobNotFoundException.class);
            }
        }
        assertThat(cp.jobs()).extracting(JobInfo::state).containsOnly(JobState.Dispatched);

        in(EU).acknowledgeJob(r -> r.jobId(custom.jobId()).nonce(polled.nonce()));
        in(EU).putJobSuccessResult(r -> r.jobId(custom.jobId()));
        in(EU).acknowledgeThirdPartyJob(r -> r.jobId(thirdParty.jobId()).nonce(nonce).clientToken(CLIENT_TOKEN));
        in(EU).putThirdPartyJobFailureResult(r -> r.jobId(thirdParty.jobId()).clientToken(CLIENT_TOKEN)
                .failureDetails(f -> f.type(FailureType.JOB_FAILED).message("failed in eu")));
        assertThat(cp.results()).extracting(RecordedResult::jobId, RecordedResult::region)
                .containsExactly(tuple(custom.jobId(), EU), tuple(thirdParty.jobId(), EU));
        assertThat(cp.resultsInRegion(EU)).hasSize(2);
        assertThat(cp.resultsInRegion(US)).isEmpty();
        assertThat(cp.callsForJob(custom.jobId())).extracting(RecordedCall::region, RecordedCall::operation,
                RecordedCall::errorType).containsExactly(
                        tuple(US, "GetJobDetails", "JobNotFoundException"),
                        tuple(US, "AcknowledgeJob", "JobNotFoundException"),
                        tuple(US, "PutJobSuccessResult", "JobNotFoundException"),
                        tuple(US, "PutJobFailureResult", "JobNotFoundException"),
                        tuple(AP, "GetJobDetails", "JobNotFoundException"),
                        tuple(AP, "AcknowledgeJob", "JobNotFoundException"),
                        tuple(AP, "PutJobSuccessResult", "JobNotFoundException"),
                        tuple(AP, "PutJobFailureResult", "JobNotFoundException"),
                        tuple(EU, "AcknowledgeJob", null),
                        tuple(EU, "PutJobSuccessResult", null));
    }

    @Test
    void continuationsAndTimeoutsStayInTheirJobsRegion() {
        start(LocalCodePipeline.builder().actionType(CUSTOM));
        JobInfo first = enqueue(CUSTOM, AP);
        Job polled = pollCustom(AP).get(0);
        in(AP).acknowledgeJob(r -> r.jobId(polled.id()).nonce(polled.nonce()));
        in(AP).putJobSuccessResult(r -> r.jobId(polled.id()).continuationToken("page-2"));

        assertThat(pollCustom(US)).isEmpty();
        assertThat(pollCustom(EU)).isEmpty();
        Job next = pollCustom(AP).get(0);
        assertThat(next.data().continuationToken()).isEqualTo("page-2");
        assertThat(cp.job(next.id())).get().extracting(JobInfo::region).isEqualTo(AP);

        cp.timeOut(next.id());
        RecordedResult last = cp.awaitFinalResult(first.actionExecutionId(), Duration.ofSeconds(5));
        assertThat(last).isInstanceOf(RecordedResult.TimedOut.class);
        assertThat(cp.resultsForAction(first.actionExecutionId())).extracting(RecordedResult::region)
                .containsExactly(AP, AP);
    }

    static Stream<Arguments> regionalFaults() {
        return Stream.of(
                Arguments.of("throttling", Fault.throttling()),
                Arguments.of("a 500", Fault.serverError(500)),
                Arguments.of("a dropped connection", Fault.dropConnection()));
    }

    @ParameterizedTest(name = "{0} in eu-west-1 only")
    @MethodSource("regionalFaults")
    void aFaultLimitedToOneRegionLeavesTheOthersServed(String name, Fault fault) {
        start(LocalCodePipeline.builder().faultRule(FaultRule.withProbability(1.0, fault).inRegion(EU)));
        Map<String, JobInfo> jobs = new LinkedHashMap<>();
        REGIONS.forEach(region -> jobs.put(region, enqueue(CUSTOM, region)));

        Throwable failure = catchThrowableOfType(Throwable.class, () -> pollCustom(EU));
        assertThat(failure).isInstanceOfAny(CodePipelineException.class, SdkClientException.class);
        assertThat(pollCustom(US)).extracting(Job::id).containsExactly(jobs.get(US).jobId());
        assertThat(pollCustom(AP)).extracting(Job::id).containsExactly(jobs.get(AP).jobId());

        assertThat(cp.calls()).extracting(RecordedCall::region, RecordedCall::faultInjected)
                .containsExactly(tuple(EU, true), tuple(US, false), tuple(AP, false));
        assertThat(cp.job(jobs.get(EU).jobId())).get().extracting(JobInfo::state).isEqualTo(JobState.Queued);
        cp.clearFaults();
        assertThat(pollCustom(EU)).extracting(Job::id).containsExactly(jobs.get(EU).jobId());
    }

    @Test
    void aCountedRegionalFaultCountsOnlyItsRegionsCalls() {
        start(LocalCodePipeline.builder().actionType(CUSTOM));
        cp.injectFault(FaultRule.nextCalls(1, Fault.throttling(), Operation.POLL_FOR_JOBS).inRegion(EU));

        assertThat(pollCustom(US)).isEmpty();
        CodePipelineException throttled = catchThrowableOfType(CodePipelineException.class, () -> pollCustom(EU));
        assertThat(throttled.isThrottlingException()).isTrue();
        assertThat(pollCustom(EU)).isEmpty();

        assertThat(cp.calls()).extracting(RecordedCall::region, RecordedCall::errorType)
                .containsExactly(tuple(US, null), tuple(EU, "ThrottlingException"), tuple(EU, null));
    }

    @Test
    void aTypeRegisteredInOneRegionIsUnknownInTheOthers() {
        start(LocalCodePipeline.builder().actionType(CUSTOM, US));
        cp.registerActionType(THIRD_PARTY, AP);

        assertThat(pollCustom(US)).isEmpty();
        assertThatThrownBy(() -> pollCustom(EU)).isInstanceOf(ActionTypeNotFoundException.class)
                .hasMessageContaining("Everywhere");
        assertThatThrownBy(() -> pollCustom(AP)).isInstanceOf(ActionTypeNotFoundException.class);
        assertThat(pollThirdParty(AP)).isEmpty();
        assertThatThrownBy(() -> pollThirdParty(US)).isInstanceOf(ActionTypeNotFoundException.class);

        JobInfo job = enqueue(CUSTOM, EU);
        assertThat(pollCustom(EU)).as("enqueueing makes the type known in the job's region")
                .extracting(Job::id).containsExactly(job.jobId());
        assertThatThrownBy(() -> pollCustom(AP)).isInstanceOf(ActionTypeNotFoundException.class);

        cp.registerActionType(CUSTOM);
        assertThat(pollCustom(AP)).as("a type registered without a region is known everywhere").isEmpty();
    }

    @Test
    void regionalRegistrationsSurviveAReset() {
        start(LocalCodePipeline.builder().actionType(CUSTOM, AP));
        cp.registerActionType(CUSTOM, EU);

        cp.reset();

        assertThat(pollCustom(AP)).isEmpty();
        assertThatThrownBy(() -> pollCustom(EU)).isInstanceOf(ActionTypeNotFoundException.class);
    }

    @Test
    void aCallWithoutACredentialScopeIsServedAsTheDefaultRegion() throws Exception {
        start(LocalCodePipeline.builder().defaultRegion(AP));
        JobInfo here = cp.enqueue(JobSpec.builder(CUSTOM).build());
        enqueue(CUSTOM, US);
        String poll = "{\"actionTypeId\":{\"category\":\"Deploy\",\"owner\":\"Custom\",\"provider\":\"Everywhere\","
                + "\"version\":\"1\"},\"maxBatchSize\":10}";

        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> unsigned = http.send(pollRequest(poll).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> garbled = http.send(pollRequest(poll).header("Authorization", "Bearer not-sigv4").build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(unsigned.statusCode()).isEqualTo(200);
        assertThat(unsigned.body()).contains(here.jobId());
        assertThat(garbled.statusCode()).isEqualTo(200);
        assertThat(cp.calls()).extracting(RecordedCall::region).containsExactly(AP, AP);
        assertThat(pollCustom(US)).hasSize(1).extracting(Job::id).doesNotContain(here.jobId());
    }

    private HttpRequest.Builder pollRequest(String body) {
        return HttpRequest.newBuilder(URI.create(cp.endpoint() + "/"))
                .header("Content-Type", "application/x-amz-json-1.1")
                .header("X-Amz-Target", "CodePipeline_20150709.PollForJobs")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    @Test
    void regionNamesAreCheckedWhereATestNamesThem() {
        assertThatThrownBy(() -> JobSpec.builder(CUSTOM).region("EU_WEST_1").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("EU_WEST_1");
        assertThatThrownBy(() -> FaultRule.nextCalls(1, Fault.throttling()).inRegion("us-east"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LocalCodePipeline.builder().defaultRegion(""))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LocalCodePipeline.builder().actionType(CUSTOM, "Europe"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(JobSpec.builder(CUSTOM).region("us-gov-west-1").build().region()).isEqualTo("us-gov-west-1");
        assertThat(FaultRule.nextCalls(1, Fault.throttling()).inRegion(EU).covers("PollForJobs", US)).isFalse();
        assertThat(FaultRule.nextCalls(1, Fault.throttling()).covers("PollForJobs", US)).isTrue();
    }
}

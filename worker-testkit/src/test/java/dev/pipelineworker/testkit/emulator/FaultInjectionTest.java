package dev.pipelineworker.testkit.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.testkit.LocalCodePipeline;
import dev.pipelineworker.testkit.LocalCodePipelineExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;
import software.amazon.awssdk.services.codepipeline.model.CodePipelineException;
import software.amazon.awssdk.services.codepipeline.model.Job;

/** Injected faults as the real SDK client experiences them; a fresh emulator per test. */
class FaultInjectionTest {

    private static final ActionTypeId CUSTOM = ActionTypeId.custom(ActionCategory.BUILD, "FaultyBuild", "1");

    @RegisterExtension
    final LocalCodePipelineExtension cp = LocalCodePipelineExtension.create(b -> b
            .random(new Random(7))
            .actionType(CUSTOM));

    private static List<Job> poll(CodePipelineClient sdk) {
        return sdk.pollForJobs(r -> r.actionTypeId(Sdk.sdkType(CUSTOM)).maxBatchSize(1)).jobs();
    }

    @Test
    void throttlingIsRetriedByTheSdkAndEveryAttemptIsRecorded() {
        JobInfo job = cp.emulator().enqueue(JobSpec.builder(CUSTOM).build());
        cp.emulator().injectFault(FaultRule.nextCalls(2, Fault.throttling(), Operation.POLL_FOR_JOBS));

        try (CodePipelineClient sdk = Sdk.fastRetryClient(cp.endpoint())) {
            assertThat(poll(sdk)).extracting(Job::id).containsExactly(job.jobId());
        }

        List<RecordedCall> polls = cp.emulator().calls(Operation.POLL_FOR_JOBS);
        assertThat(polls).extracting(RecordedCall::status, RecordedCall::errorType, RecordedCall::faultInjected)
                .containsExactly(
                        tuple(400, "ThrottlingException", true),
                        tuple(400, "ThrottlingException", true),
                        tuple(200, null, false));
        assertThat(cp.emulator().job(job.jobId())).get().extracting(JobInfo::offerCount).isEqualTo(1);
    }

    @Test
    void throttlingIsSeenAsThrottlingWhenNotRetried() {
        cp.emulator().injectFault(FaultRule.nextCalls(1, Fault.throttling()));

        try (CodePipelineClient sdk = Sdk.noRetryClient(cp.endpoint())) {
            CodePipelineException error = catchThrowableOfType(CodePipelineException.class, () -> poll(sdk));
            assertThat(error.isThrottlingException()).isTrue();
            assertThat(error.statusCode()).isEqualTo(400);
        }
    }

    @Test
    void serverErrorIsRetriedWithTheDefaultClient() {
        cp.emulator().enqueue(JobSpec.builder(CUSTOM).build());
        cp.emulator().injectFault(FaultRule.nextCalls(1, Fault.serverError(500), Operation.ACKNOWLEDGE_JOB));
        cp.emulator().injectFault(FaultRule.nextCalls(1, Fault.serverError(503), Operation.ACKNOWLEDGE_JOB));

        try (CodePipelineClient sdk = Sdk.client(cp.endpoint())) {
            Job job = poll(sdk).get(0);
            assertThat(sdk.acknowledgeJob(r -> r.jobId(job.id()).nonce(job.nonce())).statusAsString())
                    .isEqualTo("InProgress");
        }

        assertThat(cp.emulator().calls(Operation.ACKNOWLEDGE_JOB)).extracting(RecordedCall::status)
                .containsExactly(500, 503, 200);
    }

    @Test
    void droppedConnectionIsRetriedAndRecordedWithoutAResponse() {
        JobInfo enqueued = cp.emulator().enqueue(JobSpec.builder(CUSTOM).build());
        cp.emulator().injectFault(FaultRule.nextCalls(1, Fault.dropConnection(), Operation.GET_JOB_DETAILS));

        try (CodePipelineClient sdk = Sdk.fastRetryClient(cp.endpoint())) {
            assertThat(sdk.getJobDetails(r -> r.jobId(enqueued.jobId())).jobDetails().id())
                    .isEqualTo(enqueued.jobId());
        }

        assertThat(cp.emulator().calls(Operation.GET_JOB_DETAILS)).extracting(RecordedCall::status)
                .containsExactly(RecordedCall.NO_RESPONSE, 200);
        assertThat(cp.emulator().calls(Operation.GET_JOB_DETAILS).get(0).faults())
                .containsExactly(Fault.dropConnection());
    }

    @Test
    void droppedConnectionWithoutRetryIsAnIoFailure() {
        cp.emulator().injectFault(FaultRule.nextCalls(1, Fault.dropConnection()));

        try (CodePipelineClient sdk = Sdk.noRetryClient(cp.endpoint())) {
            assertThat(catchThrowableOfType(SdkClientException.class, () -> poll(sdk))).isNotNull();
        }
        assertThat(cp.emulator().calls()).singleElement().extracting(RecordedCall::status)
                .isEqualTo(RecordedCall.NO_RESPONSE);
    }

    @Test
    void latencyDelaysTheAnswerWithoutChangingIt() {
        JobInfo job = cp.emulator().enqueue(JobSpec.builder(CUSTOM).build());
        Fault latency = Fault.latency(Duration.ofMillis(300));

        try (CodePipelineClient sdk = Sdk.noRetryClient(cp.endpoint())) {
            sdk.getJobDetails(r -> r.jobId(job.jobId()));
            cp.emulator().injectFault(FaultRule.nextCalls(1, latency, Operation.POLL_FOR_JOBS));
            long start = System.nanoTime();
            assertThat(poll(sdk)).extracting(Job::id).containsExactly(job.jobId());
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        }
        assertThat(cp.emulator().calls()).extracting(RecordedCall::status).containsOnly(200);
        assertThat(cp.emulator().calls(Operation.POLL_FOR_JOBS)).singleElement()
                .extracting(RecordedCall::faults).isEqualTo(List.of(latency));
    }

    @Test
    void probabilisticFaultsRepeatWithTheSameSeed() {
        assertThat(statusesWithSeed(1234)).isEqualTo(statusesWithSeed(1234))
                .contains(200, 400);
        assertThat(statusesWithSeed(1234)).isNotEqualTo(statusesWithSeed(99));
    }

    private static List<Integer> statusesWithSeed(long seed) {
        try (LocalCodePipeline emulator = LocalCodePipeline.builder().random(new Random(seed)).actionType(CUSTOM)
                .faultRule(FaultRule.withProbability(0.5, Fault.throttling(), Operation.POLL_FOR_JOBS)).start();
                CodePipelineClient sdk = Sdk.noRetryClient(emulator.endpoint())) {
            for (int i = 0; i < 24; i++) {
                try {
                    poll(sdk);
                } catch (CodePipelineException expected) {
                    // the recorded calls below are what the test compares
                }
            }
            List<Integer> statuses = new ArrayList<>();
            emulator.calls().forEach(call -> statuses.add(call.status()));
            return statuses;
        }
    }

    @Test
    void clearFaultsStopsInjection() {
        cp.emulator().injectFault(FaultRule.withProbability(1.0, Fault.serverError(500)));
        cp.emulator().clearFaults();

        try (CodePipelineClient sdk = Sdk.noRetryClient(cp.endpoint())) {
            assertThat(poll(sdk)).isEmpty();
        }
    }
}

package dev.pipelineworker.integration;

import static dev.pipelineworker.integration.EmulatorTestbed.ACTION;
import static dev.pipelineworker.integration.EmulatorTestbed.BUCKET;
import static dev.pipelineworker.integration.EmulatorTestbed.CLIENT_TOKEN;
import static dev.pipelineworker.integration.EmulatorTestbed.CLIENT_TOKENS;
import static dev.pipelineworker.integration.EmulatorTestbed.KMS_KEY;
import static dev.pipelineworker.integration.EmulatorTestbed.OTHER_CLIENT_ID;
import static dev.pipelineworker.integration.EmulatorTestbed.OTHER_CLIENT_TOKEN;
import static dev.pipelineworker.integration.EmulatorTestbed.PIPELINE;
import static dev.pipelineworker.integration.EmulatorTestbed.STAGE;
import static dev.pipelineworker.integration.EmulatorTestbed.THIRD_PARTY_TYPE;
import static dev.pipelineworker.integration.EmulatorTestbed.job;
import static dev.pipelineworker.testkit.emulator.Operation.ACKNOWLEDGE_THIRD_PARTY_JOB;
import static dev.pipelineworker.testkit.emulator.Operation.GET_THIRD_PARTY_JOB_DETAILS;
import static dev.pipelineworker.testkit.emulator.Operation.POLL_FOR_THIRD_PARTY_JOBS;
import static dev.pipelineworker.testkit.emulator.Operation.PUT_THIRD_PARTY_JOB_FAILURE_RESULT;
import static dev.pipelineworker.testkit.emulator.Operation.PUT_THIRD_PARTY_JOB_SUCCESS_RESULT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipelineworker.Artifact;
import dev.pipelineworker.EncryptionKey;
import dev.pipelineworker.JobContext;
import dev.pipelineworker.JobHandler;
import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.JobWorker;
import dev.pipelineworker.PipelineContext;
import dev.pipelineworker.S3Location;
import dev.pipelineworker.testkit.emulator.Fault;
import dev.pipelineworker.testkit.emulator.FaultRule;
import dev.pipelineworker.testkit.emulator.JobInfo;
import dev.pipelineworker.testkit.emulator.JobState;
import dev.pipelineworker.testkit.emulator.RecordedCall;
import dev.pipelineworker.testkit.emulator.RecordedResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The third-party claim flow on the emulator: poll, details with the client token, acknowledge with the nonce, report. */
class ThirdPartyFlowTest extends EmulatorTest {

    /** What the handler saw, copied out of the context. */
    record Seen(String jobId, PipelineContext pipeline, Map<String, String> configuration, List<Artifact> inputs,
                List<Artifact> outputs, EncryptionKey key, String actionType) {
        static Seen of(JobContext c) {
            return new Seen(c.jobId(), c.pipeline(), c.configuration().asMap(), c.inputArtifacts(),
                    c.outputArtifacts(), c.encryptionKey().orElse(null), c.actionTypeId().toString());
        }
    }

    @Test
    void claimsRunsAndReportsAThirdPartyJob() throws Exception {
        // The job belongs to the second client, so a worker that sent the wrong token would be refused.
        JobInfo job = cp.enqueue(job(THIRD_PARTY_TYPE, "exec-1").clientId(OTHER_CLIENT_ID)
                .configuration(Map.of("ProjectName", "acme-web", "Mode", "release")));
        AtomicReference<Seen> seen = new AtomicReference<>();
        CountDownLatch release = new CountDownLatch(1);
        JobHandler handler = context -> {
            seen.set(Seen.of(context));
            assertThat(release.await(5, TimeUnit.SECONDS)).isTrue();
            return JobOutcome.success("built acme-web").withExternalExecutionId("build-777").withPercentComplete(100);
        };
        cp.start(cp.thirdPartyWorker(handler).maxConcurrentJobs(3));

        // The first poll asks for all three free slots.
        cp.awaitCalls(POLL_FOR_THIRD_PARTY_JOBS, 1);
        JsonNode firstPoll = cp.bodies(POLL_FOR_THIRD_PARTY_JOBS).get(0);
        assertThat(firstPoll.path("maxBatchSize").asInt()).isEqualTo(3);
        assertThat(firstPoll.path("actionTypeId").path("category").asText()).isEqualTo("Build");
        assertThat(firstPoll.path("actionTypeId").path("owner").asText()).isEqualTo("ThirdParty");
        assertThat(firstPoll.path("actionTypeId").path("provider").asText()).isEqualTo("AcmeBuild");
        assertThat(firstPoll.path("actionTypeId").path("version").asText()).isEqualTo("1");

        // While the job runs, polls ask only for the two slots left.
        await("the handler running").until(() -> seen.get() != null);
        int pollsSoFar = cp.calls(POLL_FOR_THIRD_PARTY_JOBS).size();
        cp.awaitCalls(POLL_FOR_THIRD_PARTY_JOBS, pollsSoFar + 1);
        List<JsonNode> polls = cp.bodies(POLL_FOR_THIRD_PARTY_JOBS);
        assertThat(polls.subList(pollsSoFar, polls.size())).allSatisfy(
                poll -> assertThat(poll.path("maxBatchSize").asInt()).isEqualTo(2));
        release.countDown();

        JsonNode details = cp.awaitCall(GET_THIRD_PARTY_JOB_DETAILS, job.jobId());
        assertThat(details.path("clientToken").asText()).isEqualTo(OTHER_CLIENT_TOKEN);
        // The emulator accepts only the nonce its details handed out, with the job's own client token.
        JsonNode ack = cp.awaitCall(ACKNOWLEDGE_THIRD_PARTY_JOB, job.jobId());
        assertThat(ack.path("nonce").asText()).isNotBlank();
        assertThat(ack.path("clientToken").asText()).isEqualTo(OTHER_CLIENT_TOKEN);
        assertThat(cp.calls(ACKNOWLEDGE_THIRD_PARTY_JOB, job.jobId())).allMatch(RecordedCall::succeeded);

        Seen ran = seen.get();
        assertThat(ran.jobId()).isEqualTo(job.jobId());
        assertThat(ran.actionType()).isEqualTo("Build/ThirdParty/AcmeBuild/1");
        assertThat(ran.pipeline().pipelineName()).isEqualTo(PIPELINE);
        assertThat(ran.pipeline().stageName()).isEqualTo(STAGE);
        assertThat(ran.pipeline().actionName()).isEqualTo(ACTION);
        assertThat(ran.pipeline().actionExecutionId()).isEqualTo("exec-1");
        assertThat(ran.pipeline().pipelineArn()).endsWith(":" + PIPELINE);
        assertThat(ran.pipeline().pipelineExecutionId()).isEqualTo("run-exec-1");
        assertThat(ran.configuration()).containsExactlyInAnyOrderEntriesOf(
                Map.of("ProjectName", "acme-web", "Mode", "release"));
        assertThat(ran.inputs()).containsExactly(new Artifact("SourceOutput",
                new S3Location(BUCKET, "acme-pipeline/SourceOutp/in.zip"), "rev-abc123"));
        assertThat(ran.outputs()).containsExactly(new Artifact("BuildOutput",
                new S3Location(BUCKET, "acme-pipeline/BuildOutpu/out.zip"), null));
        assertThat(ran.key()).isEqualTo(EncryptionKey.kms(KMS_KEY));

        JsonNode put = cp.awaitCall(PUT_THIRD_PARTY_JOB_SUCCESS_RESULT, job.jobId());
        assertThat(put.path("clientToken").asText()).isEqualTo(OTHER_CLIENT_TOKEN);
        assertThat(cp.emulator().resultsForJob(job.jobId())).singleElement()
                .isInstanceOfSatisfying(RecordedResult.Success.class, success -> {
                    assertThat(success.executionDetails())
                            .isEqualTo(new RecordedResult.ExecutionDetails("built acme-web", "build-777", 100));
                    assertThat(success.continuationToken()).isNull();
                    assertThat(success.currentRevision()).isNull();
                });
        await("succeeded event").until(() -> cp.listener().has("succeeded:" + job.jobId()));
        assertThat(cp.listener().events()).contains("claimed:" + job.jobId());
        assertThat(cp.emulator().job(job.jobId())).get().extracting(JobInfo::state).isEqualTo(JobState.Succeeded);
        assertThat(cp.calls(PUT_THIRD_PARTY_JOB_SUCCESS_RESULT)).hasSize(1);
        assertThat(cp.calls(PUT_THIRD_PARTY_JOB_FAILURE_RESULT)).isEmpty();
        // Exactly one details and one acknowledge call: the claim is not repeated.
        assertThat(cp.calls(GET_THIRD_PARTY_JOB_DETAILS)).hasSize(1);
        assertThat(cp.calls(ACKNOWLEDGE_THIRD_PARTY_JOB)).hasSize(1);
    }

    @Test
    void usesTheTokenOfTheJobsOwnClient() {
        JobInfo job = cp.enqueue(job(THIRD_PARTY_TYPE, "exec-a"));
        cp.start(cp.thirdPartyWorker(context -> JobOutcome.success()));

        assertThat(cp.awaitCall(GET_THIRD_PARTY_JOB_DETAILS, job.jobId()).path("clientToken").asText())
                .isEqualTo(CLIENT_TOKEN);
        JsonNode put = cp.awaitCall(PUT_THIRD_PARTY_JOB_SUCCESS_RESULT, job.jobId());
        assertThat(put.path("clientToken").asText()).isEqualTo(CLIENT_TOKEN);
        // A success with no details sends no executionDetails member at all.
        assertThat(put.has("executionDetails")).isFalse();
        assertThat(cp.emulator().resultsForJob(job.jobId())).singleElement()
                .isInstanceOfSatisfying(RecordedResult.Success.class, s -> assertThat(s.executionDetails()).isNull());
    }

    @Test
    void aJobAcknowledgedByAnotherWorkerIsNotRun() throws Exception {
        // The job is handed out again once its acknowledgement is 200 ms overdue; the worker's first
        // acknowledgement takes 1.5 s, so another worker gets the job meanwhile and acknowledges it first.
        restartTestbed(emulator -> emulator.ackTimeout(Duration.ofMillis(200)));
        cp.emulator().injectFault(FaultRule.nextCalls(1, Fault.latency(Duration.ofMillis(1500)),
                ACKNOWLEDGE_THIRD_PARTY_JOB));
        JobInfo job = cp.enqueue(job(THIRD_PARTY_TYPE, "exec-r"));
        AtomicInteger runs = new AtomicInteger();
        // One slot: while its claim is under way the worker does not poll, so only the other worker can get the job.
        cp.start(cp.thirdPartyWorker(context -> {
            runs.incrementAndGet();
            return JobOutcome.success();
        }).maxConcurrentJobs(1));
        cp.awaitSent(ACKNOWLEDGE_THIRD_PARTY_JOB.wireName());

        AtomicInteger otherRuns = new AtomicInteger();
        RecordingListener other = new RecordingListener();
        cp.start(cp.quick(JobWorker.builder(THIRD_PARTY_TYPE, context -> {
            otherRuns.incrementAndGet();
            return JobOutcome.success("run by the other worker");
        }).clientTokens(CLIENT_TOKENS)).listener(other));

        await("lostToOtherWorker").until(() -> cp.listener().has("lost:" + job.jobId()));
        assertThat(other.events()).contains("claimed:" + job.jobId());
        // The worker keeps polling after losing the race.
        long polls = cp.listener().count("polled:");
        await("two more polls of the worker").until(() -> cp.listener().count("polled:") >= polls + 2);

        assertThat(runs).hasValue(0);
        assertThat(cp.listener().events()).doesNotContain("claimed:" + job.jobId())
                .noneMatch(e -> e.startsWith("handlerFinished:"));
        // InvalidNonceException is a modelled 400: neither the SDK nor the worker sends the acknowledgement again.
        List<RecordedCall> acks = cp.calls(ACKNOWLEDGE_THIRD_PARTY_JOB, job.jobId());
        assertThat(acks).hasSize(2);
        assertThat(acks).filteredOn(c -> "InvalidNonceException".equals(c.errorType())).singleElement()
                .satisfies(refused -> assertThat(refused.faultInjected()).as("the slow one, the worker's").isTrue());
        await("the other worker's result").until(() -> other.has("succeeded:" + job.jobId()));
        assertThat(otherRuns).hasValue(1);
        assertThat(cp.emulator().resultsForJob(job.jobId())).singleElement()
                .isInstanceOfSatisfying(RecordedResult.Success.class,
                        s -> assertThat(s.executionDetails().summary()).isEqualTo("run by the other worker"));
    }

    @Test
    void aJobAcknowledgedWithAStatusOtherThanInProgressIsNotRun() {
        // The job times out while the worker's acknowledgement is on the wire; the emulator answers it TimedOut.
        cp.emulator().injectFault(FaultRule.nextCalls(1, Fault.latency(Duration.ofMillis(1000)),
                ACKNOWLEDGE_THIRD_PARTY_JOB));
        JobInfo job = cp.enqueue(job(THIRD_PARTY_TYPE, "exec-d"));
        AtomicInteger runs = new AtomicInteger();
        cp.start(cp.thirdPartyWorker(context -> {
            runs.incrementAndGet();
            return JobOutcome.success();
        }));
        cp.awaitSent(ACKNOWLEDGE_THIRD_PARTY_JOB.wireName());
        cp.emulator().timeOut(job.jobId());

        await("lostToOtherWorker").until(() -> cp.listener().has("lost:" + job.jobId()));
        assertThat(cp.calls(ACKNOWLEDGE_THIRD_PARTY_JOB, job.jobId())).singleElement()
                .satisfies(ack -> assertThat(ack.succeeded()).isTrue());
        int polls = cp.calls(POLL_FOR_THIRD_PARTY_JOBS).size();
        cp.awaitCalls(POLL_FOR_THIRD_PARTY_JOBS, polls + 2);
        assertThat(runs).hasValue(0);
        assertThat(cp.resultCalls()).isEmpty();
        assertThat(cp.emulator().resultsForJob(job.jobId())).singleElement()
                .isInstanceOf(RecordedResult.TimedOut.class);
        assertThat(cp.listener().events()).doesNotContain("claimed:" + job.jobId());
    }

    @Test
    void aJobOfAnUnknownClientIsLeftForOtherWorkers() {
        String unknownClient = "3d2c1b0a-9f8e-4d7c-8b6a-5f4e3d2c1b0a";
        restartTestbed(emulator -> emulator.client(unknownClient, "a-token-the-worker-lacks"));
        JobInfo job = cp.enqueue(job(THIRD_PARTY_TYPE, "exec-u").clientId(unknownClient));
        AtomicInteger runs = new AtomicInteger();
        cp.start(cp.thirdPartyWorker(context -> {
            runs.incrementAndGet();
            return JobOutcome.success();
        }));

        await("the poll that returned the job").until(() -> cp.listener().has("polled:8:1"));
        cp.awaitCalls(POLL_FOR_THIRD_PARTY_JOBS, 3);
        // Without a token the worker neither reads the details nor acknowledges the job.
        assertThat(cp.calls(GET_THIRD_PARTY_JOB_DETAILS)).isEmpty();
        assertThat(cp.calls(ACKNOWLEDGE_THIRD_PARTY_JOB)).isEmpty();
        assertThat(runs).hasValue(0);
        assertThat(cp.resultCalls()).isEmpty();
        assertThat(cp.emulator().job(job.jobId())).get().extracting(JobInfo::state).isEqualTo(JobState.Dispatched);
    }

    @Test
    void doesNotPollWhileEverySlotIsBusy() throws Exception {
        PollClock clock = cp.pollClock();
        JobInfo job = cp.enqueue(job(THIRD_PARTY_TYPE, "exec-b"));
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        cp.start(cp.thirdPartyWorker(context -> {
            started.countDown();
            assertThat(release.await(10, TimeUnit.SECONDS)).isTrue();
            return JobOutcome.success();
        }).maxConcurrentJobs(1));

        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        int polls = cp.calls(POLL_FOR_THIRD_PARTY_JOBS).size();
        // An idle worker with the same backoff polls five times; the busy one not once.
        clock.awaitTicks(5);
        assertThat(cp.calls(POLL_FOR_THIRD_PARTY_JOBS)).as("polls while the only slot is busy").hasSize(polls);
        release.countDown();

        cp.awaitCall(PUT_THIRD_PARTY_JOB_SUCCESS_RESULT, job.jobId());
        cp.awaitCalls(POLL_FOR_THIRD_PARTY_JOBS, polls + 1);
        assertThat(cp.bodies(POLL_FOR_THIRD_PARTY_JOBS)).allSatisfy(
                poll -> assertThat(poll.path("maxBatchSize").asInt()).isEqualTo(1));
    }
}

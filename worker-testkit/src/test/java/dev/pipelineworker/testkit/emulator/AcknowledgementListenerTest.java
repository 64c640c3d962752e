package dev.pipelineworker.testkit.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.testkit.LocalCodePipeline;
import dev.pipelineworker.testkit.LocalCodePipelineExtension;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;
import software.amazon.awssdk.services.codepipeline.model.CodePipelineException;
import software.amazon.awssdk.services.codepipeline.model.InvalidNonceException;
import software.amazon.awssdk.services.codepipeline.model.JobStatus;
import software.amazon.awssdk.services.codepipeline.model.ThirdPartyJob;

/** {@link LocalCodePipeline#onAcknowledged}: when it is called, what it sees, and that it holds the response. */
class AcknowledgementListenerTest {

    /**
     * Each blocking step on a thread of its own: the common pool may have a single thread (JDK 25 on two cores),
     * which the held acknowledgement would occupy, starving the read that must run beside it.
     */
    private static final Executor OWN_THREAD = task -> new Thread(task, "listener-test").start();

    private static final String CLIENT_ID = "5a1e2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b";
    private static final String CLIENT_TOKEN = "listener-test-token";
    private static final ActionTypeId TYPE = ActionTypeId.thirdParty(ActionCategory.BUILD, "AckHook", "1");

    @RegisterExtension
    static final LocalCodePipelineExtension CP = LocalCodePipelineExtension.create(b -> b
            .client(CLIENT_ID, CLIENT_TOKEN)
            .actionType(TYPE));

    @Test
    void calledOncePerAppliedAcknowledgementWithTheJobNowInProgress() {
        JobInfo first = CP.emulator().enqueue(JobSpec.builder(TYPE).configuration("Which", "first").build());
        JobInfo second = CP.emulator().enqueue(JobSpec.builder(TYPE).build());
        List<JobInfo> seen = new CopyOnWriteArrayList<>();
        CP.emulator().onAcknowledged(seen::add);

        try (CodePipelineClient sdk = Sdk.noRetryClient(CP.endpoint())) {
            assertThat(poll(sdk)).hasSize(2);
            String firstNonce = nonce(sdk, first.jobId());
            assertThat(acknowledge(sdk, first.jobId(), firstNonce)).isEqualTo(JobStatus.IN_PROGRESS);
            assertThat(acknowledge(sdk, first.jobId(), firstNonce)).as("a repeat").isEqualTo(JobStatus.IN_PROGRESS);
            assertThat(catchThrowableOfType(InvalidNonceException.class,
                    () -> acknowledge(sdk, second.jobId(), "not-the-nonce"))).isNotNull();
            assertThat(acknowledge(sdk, second.jobId(), nonce(sdk, second.jobId()))).isEqualTo(JobStatus.IN_PROGRESS);
        }

        assertThat(seen).extracting(JobInfo::jobId).containsExactly(first.jobId(), second.jobId());
        assertThat(seen).extracting(JobInfo::state).containsOnly(JobState.InProgress);
        assertThat(seen.get(0).spec().configuration()).containsEntry("Which", "first");
        assertThat(seen.get(0).spec().clientId()).isEqualTo(CLIENT_ID);
    }

    @Test
    void aBlockedListenerHoldsTheResponseWhileTheJobIsAlreadyInProgress() throws Exception {
        JobInfo job = CP.emulator().enqueue(JobSpec.builder(TYPE).build());
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> threads = new CopyOnWriteArrayList<>();
        CP.emulator().onAcknowledged(acknowledged -> {
            threads.add(Thread.currentThread().getName());
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });

        try (CodePipelineClient sdk = Sdk.noRetryClient(CP.endpoint())) {
            poll(sdk);
            String nonce = nonce(sdk, job.jobId());
            CompletableFuture<JobStatus> answer = CompletableFuture.supplyAsync(
                    () -> acknowledge(sdk, job.jobId(), nonce), OWN_THREAD);
            try {
                assertThat(entered.await(10, TimeUnit.SECONDS)).as("the listener was called").isTrue();
                // The listener has not returned, so nothing can have been written back yet.
                assertThat(answer).as("the SDK's response is held").isNotDone();
                // Read on another thread: were the listener run under the emulator's lock, this would not return.
                JobInfo read = CompletableFuture.supplyAsync(() -> CP.emulator().job(job.jobId()).orElseThrow(), OWN_THREAD)
                        .get(10, TimeUnit.SECONDS);
                assertThat(read.state()).as("read while the listener blocks").isEqualTo(JobState.InProgress);
                assertThat(CP.emulator().calls(Operation.ACKNOWLEDGE_THIRD_PARTY_JOB))
                        .as("the call is recorded once answered").isEmpty();
            } finally {
                release.countDown();
            }
            assertThat(answer.get(10, TimeUnit.SECONDS)).isEqualTo(JobStatus.IN_PROGRESS);
        }
        assertThat(threads).singleElement().asString().startsWith("local-codepipeline-");
        assertThat(CP.emulator().calls(Operation.ACKNOWLEDGE_THIRD_PARTY_JOB)).singleElement()
                .extracting(RecordedCall::status).isEqualTo(200);
    }

    @Test
    void aFailingListenerAnswersWithA500AndTheAcknowledgementStaysApplied() {
        JobInfo job = CP.emulator().enqueue(JobSpec.builder(TYPE).build());
        CP.emulator().onAcknowledged(acknowledged -> {
            throw new IllegalStateException("listener broke");
        });

        try (CodePipelineClient sdk = Sdk.noRetryClient(CP.endpoint())) {
            poll(sdk);
            String nonce = nonce(sdk, job.jobId());
            assertThat(catchThrowableOfType(CodePipelineException.class,
                    () -> acknowledge(sdk, job.jobId(), nonce)).statusCode()).isEqualTo(500);
        }
        assertThat(CP.emulator().job(job.jobId())).get().extracting(JobInfo::state).isEqualTo(JobState.InProgress);
    }

    @Test
    void resetRemovesTheListeners() {
        List<JobInfo> beforeReset = new CopyOnWriteArrayList<>();
        List<JobInfo> afterReset = new CopyOnWriteArrayList<>();
        CP.emulator().onAcknowledged(beforeReset::add);
        CP.emulator().reset();
        CP.emulator().onAcknowledged(afterReset::add);
        JobInfo job = CP.emulator().enqueue(JobSpec.builder(TYPE).build());

        try (CodePipelineClient sdk = Sdk.noRetryClient(CP.endpoint())) {
            poll(sdk);
            assertThat(acknowledge(sdk, job.jobId(), nonce(sdk, job.jobId()))).isEqualTo(JobStatus.IN_PROGRESS);
        }
        assertThat(afterReset).extracting(JobInfo::jobId).containsExactly(job.jobId());
        assertThat(beforeReset).isEmpty();
    }

    private static List<ThirdPartyJob> poll(CodePipelineClient sdk) {
        return sdk.pollForThirdPartyJobs(r -> r.actionTypeId(Sdk.sdkType(TYPE)).maxBatchSize(10)).jobs();
    }

    private static String nonce(CodePipelineClient sdk, String jobId) {
        return sdk.getThirdPartyJobDetails(r -> r.jobId(jobId).clientToken(CLIENT_TOKEN)).jobDetails().nonce();
    }

    private static JobStatus acknowledge(CodePipelineClient sdk, String jobId, String nonce) {
        return sdk.acknowledgeThirdPartyJob(r -> r.jobId(jobId).nonce(nonce).clientToken(CLIENT_TOKEN)).status();
    }
}

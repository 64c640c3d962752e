package dev.pipelineworker.integration;

import static dev.pipelineworker.integration.EmulatorTestbed.CLIENT_TOKEN;
import static dev.pipelineworker.integration.EmulatorTestbed.CUSTOM_TYPE;
import static dev.pipelineworker.integration.EmulatorTestbed.JOB_CREDENTIALS;
import static dev.pipelineworker.integration.EmulatorTestbed.KMS_KEY;
import static dev.pipelineworker.integration.EmulatorTestbed.THIRD_PARTY_TYPE;
import static dev.pipelineworker.integration.EmulatorTestbed.WAIT;
import static dev.pipelineworker.integration.EmulatorTestbed.job;
import static dev.pipelineworker.testkit.emulator.Operation.GET_JOB_DETAILS;
import static dev.pipelineworker.testkit.emulator.Operation.GET_THIRD_PARTY_JOB_DETAILS;
import static dev.pipelineworker.testkit.emulator.Operation.PUT_JOB_SUCCESS_RESULT;
import static dev.pipelineworker.testkit.emulator.Operation.PUT_THIRD_PARTY_JOB_SUCCESS_RESULT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipelineworker.ArtifactAccess;
import dev.pipelineworker.ArtifactCredentials;
import dev.pipelineworker.ArtifactStore;
import dev.pipelineworker.ArtifactStoreFactory;
import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.testkit.emulator.JobInfo;
import dev.pipelineworker.testkit.emulator.RecordedResult;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** What the artifact store factory is handed, and refreshing the job's credentials over the wire. */
class ArtifactAccessTest extends EmulatorTest {

    private static final ArtifactCredentials OLD =
            new ArtifactCredentials("ASIAOLD", JOB_CREDENTIALS.secretAccessKey(), JOB_CREDENTIALS.sessionToken());
    private static final ArtifactCredentials FRESH =
            new ArtifactCredentials("ASIAFRESH", "fresh-secret-access-key", "fresh-session-token");

    private final List<ArtifactAccess> opened = new CopyOnWriteArrayList<>();
    private final AtomicInteger closed = new AtomicInteger();

    /** Records what it is handed; the store itself holds nothing. */
    private final ArtifactStoreFactory recording = access -> {
        opened.add(access);
        return new ArtifactStore() {
            @Override
            public InputStream openInput(String artifactName) {
                return InputStream.nullInputStream();
            }

            @Override
            public void writeOutput(String artifactName, InputStream content, long contentLength) {
            }

            @Override
            public void close() {
                closed.incrementAndGet();
            }
        };
    };

    @Test
    void aThirdPartyJobsStoreGetsItsCredentialsAndCanRefreshThem() {
        // The claim reads the old credentials; CodePipeline then renews them, and the refresh must read the new ones.
        JobInfo job = cp.enqueue(job(THIRD_PARTY_TYPE, "exec-a").artifactCredentials(OLD));
        AtomicReference<ArtifactCredentials> refreshed = new AtomicReference<>();
        cp.start(cp.thirdPartyWorker(context -> {
            context.artifacts();
            cp.emulator().renewArtifactCredentials(context.jobId(), FRESH);
            refreshed.set(opened.get(0).refresher().refresh());
            return JobOutcome.success();
        }).artifactStoreFactory(recording));

        cp.awaitCall(PUT_THIRD_PARTY_JOB_SUCCESS_RESULT, job.jobId());
        assertThat(opened).hasSize(1);
        ArtifactAccess access = opened.get(0);
        assertThat(access.jobId()).isEqualTo(job.jobId());
        assertThat(access.credentials()).isEqualTo(OLD);
        assertThat(access.encryptionKey().id()).isEqualTo(KMS_KEY);
        assertThat(access.inputArtifacts()).extracting(a -> a.name()).containsExactly("SourceOutput");
        assertThat(access.outputArtifacts()).extracting(a -> a.name()).containsExactly("BuildOutput");

        assertThat(refreshed.get()).isEqualTo(FRESH);
        List<JsonNode> detailCalls = cp.bodies(GET_THIRD_PARTY_JOB_DETAILS, job.jobId());
        assertThat(detailCalls).hasSize(2)
                .allSatisfy(call -> assertThat(call.path("clientToken").asText()).isEqualTo(CLIENT_TOKEN));
        assertThat(closed).as("store closed when the job ended").hasValue(1);
    }

    @Test
    void aCustomJobRefreshesWithGetJobDetails() {
        JobInfo job = cp.enqueue(job(CUSTOM_TYPE, "exec-c").artifactCredentials(OLD));
        AtomicReference<ArtifactCredentials> refreshed = new AtomicReference<>();
        cp.start(cp.customWorker(context -> {
            context.artifacts();
            cp.emulator().renewArtifactCredentials(context.jobId(), FRESH);
            refreshed.set(opened.get(0).refresher().refresh());
            return JobOutcome.success();
        }).artifactStoreFactory(recording));

        cp.awaitCall(PUT_JOB_SUCCESS_RESULT, job.jobId());
        assertThat(opened.get(0).credentials()).isEqualTo(OLD);
        assertThat(refreshed.get()).isEqualTo(FRESH);
        assertThat(cp.calls(GET_JOB_DETAILS, job.jobId())).hasSize(1);
    }

    @Test
    void aHandlerThatNeverTouchesArtifactsOpensNoStore() {
        JobInfo job = cp.enqueue(job(THIRD_PARTY_TYPE, "exec-n"));
        cp.start(cp.thirdPartyWorker(context -> JobOutcome.success()).artifactStoreFactory(recording));

        cp.awaitCall(PUT_THIRD_PARTY_JOB_SUCCESS_RESULT, job.jobId());
        assertThat(opened).isEmpty();
        assertThat(closed).hasValue(0);
    }

    @Test
    void withoutAStoreTouchingArtifactsFailsTheJobSayingWhatToAdd() {
        JobInfo job = cp.enqueue(job(THIRD_PARTY_TYPE, "exec-s"));
        cp.start(cp.thirdPartyWorker(context -> {
            context.artifacts();
            return JobOutcome.success();
        }));

        assertThat(cp.emulator().awaitResult(job.jobId(), WAIT)).isInstanceOfSatisfying(RecordedResult.Failure.class,
                failure -> {
                    assertThat(failure.type()).isEqualTo(FailureType.JOB_FAILED);
                    assertThat(failure.message()).contains("no artifact store is configured").contains("worker-s3");
                });
    }
}

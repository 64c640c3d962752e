package dev.pipelineworker.internal.runtime;

import static dev.pipelineworker.internal.runtime.RuntimeFixture.WAIT;
import static dev.pipelineworker.internal.runtime.RuntimeFixture.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.Artifact;
import dev.pipelineworker.ArtifactAccess;
import dev.pipelineworker.ArtifactStore;
import dev.pipelineworker.EncryptionKey;
import dev.pipelineworker.JobObserver;
import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.PipelineContext;
import dev.pipelineworker.S3Location;
import dev.pipelineworker.internal.JobData;
import dev.pipelineworker.internal.TestJobData;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How a polled job gets to its handler: one run per job id however often it is polled while in flight, a slot
 * per job that goes back whenever a job does not run, and what the handler's artifact store and the observer are
 * given.
 */
class JobDispatchTest {

    @RegisterExtension
    final RuntimeFixture fixture = new RuntimeFixture();

    @Test
    void aJobPolledAgainWhileInFlightRunsOnceAndTheCopyGivesItsSlotBack() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        fixture.channel.enqueue("dup");
        fixture.start(ctx -> {
            runs.incrementAndGet();
            release.await();
            return JobOutcome.success();
        });
        awaitTrue("the first run", () -> runs.get() == 1);

        fixture.channel.enqueue("dup");
        awaitTrue("the copy polled", () -> fixture.events.contains("polled 1 1"));
        int copyPolled = fixture.events.indexOf("polled 1 1");
        // The copy's slot is free again only if it was given back: the next poll asks for it.
        awaitTrue("a poll after the copy", () -> afterEvent(copyPolled).contains("polled 1 0"));

        assertThat(fixture.runtime.inFlightJobs()).isEqualTo(1);
        assertThat(fixture.runtime.health().slotsInUse()).isEqualTo(1);
        release.countDown();
        fixture.channel.awaitReport("dup", WAIT);
        assertThat(runs).hasValue(1);
        assertThat(fixture.channel.claims).containsExactly("dup");
    }

    @Test
    void aJobTheExecutorRefusesIsLeftUnclaimedForOtherWorkersAndItsSlotIsGivenBack() throws Exception {
        ExecutorService refusing = Executors.newSingleThreadExecutor();
        refusing.shutdown();
        fixture.jobs = refusing;
        fixture.channel.enqueue("refused");
        fixture.start(ctx -> JobOutcome.success());

        awaitTrue("the job polled", () -> fixture.events.contains("polled 2 1"));
        int polled = fixture.events.indexOf("polled 2 1");
        awaitTrue("a poll with both slots after it", () -> afterEvent(polled).contains("polled 2 0"));

        assertThat(fixture.runtime.inFlightJobs()).isZero();
        assertThat(fixture.channel.claims).isEmpty();
        fixture.runtime.shutdown();
        assertThat(fixture.runtime.awaitTermination(WAIT)).isTrue();
    }

    @Test
    void theArtifactStoreIsOpenedWithTheJobsArtifactsKeyCredentialsRegionAndARefresherOfItsChannel() {
        JobData base = TestJobData.of("j1", fixture.channel.queue());
        List<Artifact> inputs = List.of(Artifact.of("source", S3Location.of("bucket", "in.zip")));
        List<Artifact> outputs = List.of(Artifact.of("built", S3Location.of("bucket", "out.zip")));
        EncryptionKey key = EncryptionKey.kms("arn:aws:kms:us-east-1:111122223333:key/k");
        fixture.channel.jobData = jobId -> new JobData(jobId, base.accountId(), base.actionTypeId(), base.pipeline(),
                base.configuration(), inputs, outputs, key, base.credentials(), null, base.region());
        AtomicReference<ArtifactAccess> opened = new AtomicReference<>();
        ArtifactStore store = mock(ArtifactStore.class);
        fixture.artifactStores = access -> {
            opened.set(access);
            return store;
        };
        AtomicReference<ArtifactStore> handed = new AtomicReference<>();
        fixture.channel.enqueue("j1");
        fixture.start(ctx -> {
            handed.set(ctx.artifacts());
            return JobOutcome.success();
        });
        fixture.channel.awaitReport("j1", WAIT);

        assertThat(handed.get()).as("the handler gets the store the factory opened").isSameAs(store);

        ArtifactAccess access = opened.get();
        assertThat(access.jobId()).isEqualTo("j1");
        assertThat(access.inputArtifacts()).isEqualTo(inputs);
        assertThat(access.outputArtifacts()).isEqualTo(outputs);
        assertThat(access.encryptionKey()).isEqualTo(key);
        assertThat(access.credentials()).isEqualTo(base.credentials());
        assertThat(access.region()).isEqualTo(fixture.channel.queue().region());
        assertThat(access.refresher().refresh()).isEqualTo(base.credentials());
        assertThat(fixture.channel.calls).contains("refresh j1");
    }

    @Test
    void theObserverHearsTheClaimedJobsActionTypeAndPipelineAndTheListenerTheHandlersEnd() {
        List<String> claimed = new CopyOnWriteArrayList<>();
        fixture.observer = (queue, jobId) -> new JobObserver.JobObservation() {
            @Override
            public void claimed(ActionTypeId type, PipelineContext pipeline) {
                claimed.add(jobId + " " + type + " " + pipeline.actionExecutionId());
            }
        };
        fixture.channel.enqueue("j1");
        fixture.start(ctx -> JobOutcome.success());

        fixture.channel.awaitReport("j1", WAIT);

        assertThat(claimed).containsExactly("j1 " + TestJobData.ACTION + " exec-j1");
        assertThat(fixture.events).containsSubsequence("claimed j1", "handlerFinished j1", "succeeded j1");
    }

    /** The listener's lines after the one at {@code index}. */
    private List<String> afterEvent(int index) {
        List<String> events = List.copyOf(fixture.events);
        return events.subList(index + 1, events.size());
    }
}

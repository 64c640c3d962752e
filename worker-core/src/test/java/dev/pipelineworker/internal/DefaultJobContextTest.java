package dev.pipelineworker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipelineworker.ActionConfiguration;
import dev.pipelineworker.Artifact;
import dev.pipelineworker.ArtifactCredentials;
import dev.pipelineworker.ArtifactStore;
import dev.pipelineworker.EncryptionKey;
import dev.pipelineworker.JobContext;
import dev.pipelineworker.S3Location;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What a handler sees of its job through the context: the job's data, its time left, and its cancellation. */
class DefaultJobContextTest {

    private static final Instant NOW = Instant.parse("2025-06-01T10:00:00Z");
    private static final ContinuationCodec CODEC = ContinuationCodec.defaults();

    record Progress(int step) {
    }

    @Test
    void theContextShowsTheJobsDataWithAbsentPartsEmpty() {
        JobData plain = TestJobData.of("job-1");
        JobContext context = context(plain, NOW.plusSeconds(60), new Cancellation());

        assertThat(context.jobId()).isEqualTo("job-1");
        assertThat(context.accountId()).contains("111122223333");
        assertThat(context.actionTypeId()).isEqualTo(TestJobData.ACTION);
        assertThat(context.region()).isEqualTo(plain.region());
        assertThat(context.pipeline()).isEqualTo(plain.pipeline());
        assertThat(context.configuration().asMap()).containsExactly(Map.entry("Key", "value"));
        assertThat(context.inputArtifacts()).isEmpty();
        assertThat(context.encryptionKey()).isEmpty();
        assertThat(context.continuationToken()).isEmpty();
        assertThat(context.continuationState(Progress.class)).isEmpty();
        assertThat(context.deadline()).isEqualTo(NOW.plusSeconds(60));
        assertThat(context.toString()).isEqualTo("JobContext[jobId=job-1, actionType=" + TestJobData.ACTION + "]");
    }

    @Test
    void aContinuedJobsArtifactsKeyAndStateAreShown() {
        String token = CODEC.encode(new Progress(3));
        Artifact input = Artifact.of("Source", S3Location.of("bucket", "in.zip"));
        Artifact output = Artifact.of("Built", S3Location.of("bucket", "out.zip"));
        JobData plain = TestJobData.of("job-2");
        JobData continued = new JobData("job-2", null, plain.actionTypeId(), plain.pipeline(),
                ActionConfiguration.of(Map.of()), List.of(input), List.of(output), EncryptionKey.kms("key-1"),
                ArtifactCredentials.of("AKIAFAKE", "secret", "session"), token, plain.region());

        JobContext context = context(continued, NOW.plusSeconds(60), new Cancellation());

        assertThat(context.accountId()).isEmpty();
        assertThat(context.inputArtifacts()).containsExactly(input);
        assertThat(context.outputArtifacts()).containsExactly(output);
        assertThat(context.encryptionKey()).contains(EncryptionKey.kms("key-1"));
        assertThat(context.continuationToken()).contains(token);
        assertThat(context.continuationState(Progress.class)).contains(new Progress(3));
    }

    @Test
    void theTimeRemainingCountsDownToTheDeadlineAndNeverBelowZero() {
        JobData job = TestJobData.of("job-1");

        assertThat(context(job, NOW.plusSeconds(90), new Cancellation()).remaining()).isEqualTo(Duration.ofSeconds(90));
        assertThat(context(job, NOW, new Cancellation()).remaining()).isEqualTo(Duration.ZERO);
        assertThat(context(job, NOW.minusSeconds(5), new Cancellation()).remaining()).isEqualTo(Duration.ZERO);
    }

    @Test
    void theStoreAndTheScratchDirectoryAreAskedForOnEveryUseAndOnlyOnUse() {
        AtomicInteger stores = new AtomicInteger();
        AtomicInteger directories = new AtomicInteger();
        ArtifactStore opened = new UnusedArtifactStore() {
            @Override
            public void close() {
            }
        };
        LazyArtifactStore store = new LazyArtifactStore(() -> {
            stores.incrementAndGet();
            return opened;
        });
        JobContext context = new DefaultJobContext(TestJobData.of("job-1"), NOW, Clock.fixed(NOW, ZoneOffset.UTC),
                CODEC, store, () -> {
                    directories.incrementAndGet();
                    return Path.of("/scratch/job-1");
                });
        assertThat(stores).hasValue(0);
        assertThat(directories).hasValue(0);

        assertThat(context.scratchDirectory()).isEqualTo(Path.of("/scratch/job-1"));
        assertThat(context.scratchDirectory()).isEqualTo(Path.of("/scratch/job-1"));
        assertThat(context.artifacts()).isSameAs(opened);

        assertThat(directories).hasValue(2);
        assertThat(stores).hasValue(1);
    }

    @Test
    void theWorkersCancellationReachesTheHandler() {
        Cancellation cancellation = new Cancellation();
        JobContext context = context(TestJobData.of("job-1"), NOW.plusSeconds(60), cancellation);
        AtomicInteger cleanups = new AtomicInteger();
        context.onCancel(cleanups::incrementAndGet);
        assertThat(context.isCancelled()).isFalse();

        cancellation.cancel();

        assertThat(context.isCancelled()).isTrue();
        assertThat(cleanups).hasValue(1);
    }

    private static JobContext context(JobData data, Instant deadline, Cancellation cancellation) {
        return new DefaultJobContext(data, deadline, Clock.fixed(NOW, ZoneOffset.UTC), CODEC, () -> {
            throw new AssertionError("no store expected");
        }, () -> {
            throw new AssertionError("no scratch directory expected");
        }, cancellation);
    }
}

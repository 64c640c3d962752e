package dev.pipelineworker.internal;

import dev.pipelineworker.ActionConfiguration;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.Artifact;
import dev.pipelineworker.ArtifactStore;
import dev.pipelineworker.EncryptionKey;
import dev.pipelineworker.JobContext;
import dev.pipelineworker.PipelineContext;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.regions.Region;

/** The {@link JobContext} the worker and the testkit hand to handlers. */
@SharedInternal
public final class DefaultJobContext implements JobContext {

    private final JobData data;
    private final Instant deadline;
    private final Clock clock;
    private final ContinuationCodec codec;
    private final Supplier<ArtifactStore> artifacts;
    private final Supplier<Path> scratchDirectory;
    private final Cancellation cancellation;

    /**
     * {@code artifacts} and {@code scratchDirectory} are asked on every use and must open or create
     * on the first only, so a handler that never touches them opens no store and creates no directory.
     */
    public DefaultJobContext(JobData data, Instant deadline, Clock clock, ContinuationCodec codec,
                             Supplier<ArtifactStore> artifacts, Supplier<Path> scratchDirectory) {
        this(data, deadline, clock, codec, artifacts, scratchDirectory, new Cancellation());
    }

    /** As the other constructor, with the job's cancellation signal, which the worker sets when it cancels. */
    public DefaultJobContext(JobData data, Instant deadline, Clock clock, ContinuationCodec codec,
                             Supplier<ArtifactStore> artifacts, Supplier<Path> scratchDirectory,
                             Cancellation cancellation) {
        this.cancellation = cancellation;
        this.data = data;
        this.deadline = deadline;
        this.clock = clock;
        this.codec = codec;
        this.artifacts = artifacts;
        this.scratchDirectory = scratchDirectory;
    }

    @Override
    public String jobId() {
        return data.jobId();
    }

    @Override
    public Optional<String> accountId() {
        return Optional.ofNullable(data.accountId());
    }

    @Override
    public ActionTypeId actionTypeId() {
        return data.actionTypeId();
    }

    @Override
    public Region region() {
        return data.region();
    }

    @Override
    public PipelineContext pipeline() {
        return data.pipeline();
    }

    @Override
    public ActionConfiguration configuration() {
        return data.configuration();
    }

    @Override
    public List<Artifact> inputArtifacts() {
        return data.inputArtifacts();
    }

    @Override
    public List<Artifact> outputArtifacts() {
        return data.outputArtifacts();
    }

    @Override
    public Optional<EncryptionKey> encryptionKey() {
        return Optional.ofNullable(data.encryptionKey());
    }

    @Override
    public Optional<String> continuationToken() {
        return Optional.ofNullable(data.continuationToken());
    }

    @Override
    public <T> Optional<T> continuationState(Class<T> type) {
        return codec.decode(data.continuationToken(), type);
    }

    @Override
    public Instant deadline() {
        return deadline;
    }

    @Override
    public Duration remaining() {
        Duration left = Duration.between(clock.instant(), deadline);
        return left.isNegative() ? Duration.ZERO : left;
    }

    @Override
    public ArtifactStore artifacts() {
        return artifacts.get();
    }

    @Override
    public Path scratchDirectory() {
        return scratchDirectory.get();
    }

    @Override
    public boolean isCancelled() {
        return cancellation.isCancelled();
    }

    @Override
    public void onCancel(Runnable action) {
        cancellation.onCancel(action);
    }

    @Override
    public String toString() {
        return "JobContext[jobId=" + data.jobId() + ", actionType=" + data.actionTypeId() + "]";
    }
}

package dev.pipelineworker;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.regions.Region;

/**
 * Everything a {@link JobHandler} knows about the job it runs: where it comes from, its
 * configuration, its artifacts and the store to read and write them, the continuation carried from
 * an earlier job of the same action execution, and its deadline.
 */
public interface JobContext {

    /** The job id CodePipeline assigned. */
    String jobId();

    /** The AWS account that owns the pipeline, when CodePipeline sent it. */
    Optional<String> accountId();

    /** The action type this job belongs to. */
    ActionTypeId actionTypeId();

    /**
     * The region the job runs in: its pipeline's, and so its artifact bucket's (third-party and custom actions
     * cannot be cross-region). Call other AWS services of the job in this region.
     */
    Region region();

    /** The pipeline, stage, action and action execution. */
    PipelineContext pipeline();

    /** The action's configuration values. */
    ActionConfiguration configuration();

    /** The artifacts the action reads, in the order the pipeline declares them. */
    List<Artifact> inputArtifacts();

    /** The artifacts the action writes, in the order the pipeline declares them. */
    List<Artifact> outputArtifacts();

    /**
     * The input artifact with this name. Fails the job with ConfigurationError naming the known artifacts if there
     * is none: a handler that asks for an artifact the action does not declare runs in a pipeline wired wrongly.
     */
    default Artifact inputArtifact(String name) {
        return find(inputArtifacts(), name, "input");
    }

    /**
     * The output artifact with this name. Fails the job with ConfigurationError naming the known artifacts if there
     * is none, as the artifact stores do for a name the job does not declare.
     */
    default Artifact outputArtifact(String name) {
        return find(outputArtifacts(), name, "output");
    }

    /** The KMS key for the artifacts, when the pipeline names one. */
    Optional<EncryptionKey> encryptionKey();

    /** The continuation token an earlier job of this action execution returned, as CodePipeline sent it. */
    Optional<String> continuationToken();

    /**
     * The state an earlier job returned with {@link JobOutcome#continueWithState(Object)}, read back
     * as {@code type}. Empty on the first job. Fails the job with JobFailed when the token was not
     * written by this SDK or cannot be read as {@code type}.
     */
    <T> Optional<T> continuationState(Class<T> type);

    /** When the worker stops waiting for the handler and reports a timeout failure. */
    Instant deadline();

    /** The time left until {@link #deadline()}, never negative. */
    Duration remaining();

    /** Reads and writes this job's artifacts with this job's credentials and encryption key. */
    ArtifactStore artifacts();

    /**
     * A directory of this job's own for files it works with (extracted inputs, outputs before
     * they are zipped): empty, readable and writable by the worker's user only where the file
     * system has POSIX permissions. It is created on the first call, so a job that never asks
     * creates nothing; every call returns the same path. The worker deletes it with everything in
     * it after the job's result is reported (the Lambda entry point after the invocation, the
     * testkit after each run), so a handler need not clean up. If the worker crashes first, the
     * restarted worker deletes it when it recovers the job from its outcome journal. Fails the
     * job with JobFailed when the directory cannot be created.
     */
    Path scratchDirectory();

    /**
     * Whether CodePipeline cancelled this job while it runs: its action execution was abandoned ("Stop and
     * abandon"), or its pipeline execution stopped or cancelled by a pipeline update. The worker learns of it only
     * through an extension such as worker-events ({@code WorkerEvents}); without one this stays false. Once true,
     * the worker reports nothing for the job and the handler's outcome is dropped, so the handler should stop its
     * external work and return. The handler's thread is interrupted as well.
     */
    default boolean isCancelled() {
        return false;
    }

    /**
     * Runs {@code action} once when the job is cancelled (at once, on the calling thread, if it already is), for a
     * handler that waits on something an interrupt does not reach (a remote build to stop, a process to kill). It
     * runs on the thread that learnt of the cancellation and must be quick and not throw (what it throws is logged
     * and ignored). Without a cancelling extension it never runs.
     */
    default void onCancel(Runnable action) {
    }

    private static Artifact find(List<Artifact> artifacts, String name, String kind) {
        return artifacts.stream().filter(a -> a.name().equals(name)).findFirst()
                .orElseThrow(() -> new JobFailureException(FailureType.CONFIGURATION_ERROR,
                        "the job has no " + kind + " artifact named '" + name + "'; it has "
                                + artifacts.stream().map(Artifact::name).toList()));
    }
}

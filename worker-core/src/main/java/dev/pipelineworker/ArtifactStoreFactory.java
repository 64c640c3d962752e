package dev.pipelineworker;

/**
 * Opens the {@link ArtifactStore} for one job. The worker opens one per job and closes it when the
 * job ends. When none is configured, the worker takes the first one found with
 * {@link java.util.ServiceLoader} ({@code worker-s3} registers itself that way).
 */
@FunctionalInterface
public interface ArtifactStoreFactory {
    /** Opens a store bound to this job's artifacts, credentials and key. */
    ArtifactStore open(ArtifactAccess access);
}

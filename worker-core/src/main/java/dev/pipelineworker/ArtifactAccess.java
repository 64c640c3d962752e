package dev.pipelineworker;

import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.regions.Region;

/**
 * What an {@link ArtifactStoreFactory} needs to open one job's store: the job's artifacts, its
 * encryption key ({@code null} when the pipeline names none), its temporary artifact credentials
 * ({@code null} when the job carries none), a way to fetch fresh credentials when they expire
 * during a long job, and the region the job runs in, which is its artifact bucket's ({@code null}
 * when the engine does not know it: the store then uses the region it is configured with).
 *
 * <p>Build one with {@link #builder(String)}, for example to test a store of your own. The
 * canonical constructor is public because records must have it, but it gains a parameter whenever
 * a member is added; the builder stays as it is.
 */
public record ArtifactAccess(String jobId, List<Artifact> inputArtifacts, List<Artifact> outputArtifacts,
                             EncryptionKey encryptionKey, ArtifactCredentials credentials,
                             CredentialsRefresher refresher, Region region) {
    public ArtifactAccess {
        Objects.requireNonNull(jobId, "jobId");
        inputArtifacts = List.copyOf(inputArtifacts);
        outputArtifacts = List.copyOf(outputArtifacts);
        Objects.requireNonNull(refresher, "refresher");
    }

    /** A builder for the access of job {@code jobId}, with no artifacts, key or credentials yet. */
    public static Builder builder(String jobId) {
        return new Builder(jobId);
    }

    /** Fetches the job's artifact credentials anew, by reading the job details again. */
    @FunctionalInterface
    public interface CredentialsRefresher {
        /** Fresh credentials for the job's artifacts. */
        ArtifactCredentials refresh();
    }

    /** Collects an {@link ArtifactAccess}; {@link #refresher(CredentialsRefresher)} is required. Not thread-safe. */
    public static final class Builder {
        private final String jobId;
        private List<Artifact> inputArtifacts = List.of();
        private List<Artifact> outputArtifacts = List.of();
        private EncryptionKey encryptionKey;
        private ArtifactCredentials credentials;
        private CredentialsRefresher refresher;
        private Region region;

        private Builder(String jobId) {
            this.jobId = Objects.requireNonNull(jobId, "jobId");
        }

        /** The input artifacts, in the order the pipeline declares them (copied). Default: none. */
        public Builder inputArtifacts(List<Artifact> artifacts) {
            this.inputArtifacts = List.copyOf(artifacts);
            return this;
        }

        /** The output artifacts, in the order the pipeline declares them (copied). Default: none. */
        public Builder outputArtifacts(List<Artifact> artifacts) {
            this.outputArtifacts = List.copyOf(artifacts);
            return this;
        }

        /** The KMS key for the artifacts, or {@code null} for none. Default: none. */
        public Builder encryptionKey(EncryptionKey key) {
            this.encryptionKey = key;
            return this;
        }

        /** The job's temporary artifact credentials, or {@code null} for none. Default: none. */
        public Builder credentials(ArtifactCredentials credentials) {
            this.credentials = credentials;
            return this;
        }

        /** Fetches fresh credentials when the job's have expired. Required. */
        public Builder refresher(CredentialsRefresher refresher) {
            this.refresher = Objects.requireNonNull(refresher, "refresher");
            return this;
        }

        /** The region of the job and its artifact bucket, or {@code null} for unknown. Default: unknown. */
        public Builder region(Region region) {
            this.region = region;
            return this;
        }

        /** The access; throws {@link NullPointerException} when no refresher was set. */
        public ArtifactAccess build() {
            return new ArtifactAccess(jobId, inputArtifacts, outputArtifacts, encryptionKey, credentials, refresher,
                    region);
        }
    }
}

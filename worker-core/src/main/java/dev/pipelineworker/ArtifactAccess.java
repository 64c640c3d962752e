package dev.pipelineworker;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What an {@link ArtifactStoreFactory} needs to open one job's store: the job's artifacts, its
 * encryption key ({@code null} when absent), its temporary artifact credentials, and a way to fetch
 * fresh credentials when they expire during a long job.
 */
public record ArtifactAccess(String jobId, List<Artifact> inputArtifacts, List<Artifact> outputArtifacts,
                             EncryptionKey encryptionKey, ArtifactCredentials credentials,
                             CredentialsRefresher refresher) {
    public ArtifactAccess {
        Objects.requireNonNull(jobId, "jobId");
        inputArtifacts = List.copyOf(inputArtifacts);
        outputArtifacts = List.copyOf(outputArtifacts);
        Objects.requireNonNull(refresher, "refresher");
    }

    /** The encryption key, when the pipeline names one. */
    public Optional<EncryptionKey> optionalEncryptionKey() {
        return Optional.ofNullable(encryptionKey);
    }

    /** Fetches the job's artifact credentials anew, by reading the job details again. */
    @FunctionalInterface
    public interface CredentialsRefresher {
        /** Fresh credentials for the job's artifacts. */
        ArtifactCredentials refresh();
    }
}

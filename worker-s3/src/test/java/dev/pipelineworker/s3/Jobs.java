package dev.pipelineworker.s3;

import dev.pipelineworker.Artifact;
import dev.pipelineworker.ArtifactAccess;
import dev.pipelineworker.ArtifactAccess.CredentialsRefresher;
import dev.pipelineworker.ArtifactCredentials;
import dev.pipelineworker.EncryptionKey;
import dev.pipelineworker.S3Location;
import java.util.List;

/** Builds the {@link ArtifactAccess} a job would hand the factory: one input and one output artifact. */
final class Jobs {

    static final CredentialsRefresher NO_REFRESH = () -> {
        throw new AssertionError("credentials refreshed unexpectedly");
    };

    private Jobs() {
    }

    static ArtifactAccess access(String bucket, String inputKey, String outputKey, EncryptionKey key,
                                 ArtifactCredentials credentials, CredentialsRefresher refresher) {
        return ArtifactAccess.builder("job-1")
                .inputArtifacts(List.of(Artifact.of("src", S3Location.of(bucket, inputKey)).withRevision("rev-1")))
                .outputArtifacts(List.of(Artifact.of("out", S3Location.of(bucket, outputKey))))
                .encryptionKey(key)
                .credentials(credentials)
                .refresher(refresher)
                .build();
    }

    static ArtifactCredentials credentials(String accessKeyId) {
        return ArtifactCredentials.of(accessKeyId, "secret-of-" + accessKeyId, "token-of-" + accessKeyId);
    }
}

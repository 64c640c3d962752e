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
        return new ArtifactAccess("job-1",
                List.of(new Artifact("src", new S3Location(bucket, inputKey), "rev-1")),
                List.of(new Artifact("out", new S3Location(bucket, outputKey), null)),
                key, credentials, refresher);
    }

    static ArtifactCredentials credentials(String accessKeyId) {
        return new ArtifactCredentials(accessKeyId, "secret-of-" + accessKeyId, "token-of-" + accessKeyId);
    }
}

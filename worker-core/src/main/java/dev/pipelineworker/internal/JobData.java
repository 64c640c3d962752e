package dev.pipelineworker.internal;

import dev.pipelineworker.ActionConfiguration;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.Artifact;
import dev.pipelineworker.ArtifactCredentials;
import dev.pipelineworker.EncryptionKey;
import dev.pipelineworker.PipelineContext;
import java.util.List;

/**
 * A claimed job's data, the same for third-party and custom jobs. {@code encryptionKey},
 * {@code credentials}, {@code continuationToken} and {@code accountId} may be {@code null}.
 */
@SharedInternal
public record JobData(String jobId, String accountId, ActionTypeId actionTypeId, PipelineContext pipeline,
                      ActionConfiguration configuration, List<Artifact> inputArtifacts,
                      List<Artifact> outputArtifacts, EncryptionKey encryptionKey,
                      ArtifactCredentials credentials, String continuationToken) {
    public JobData {
        inputArtifacts = List.copyOf(inputArtifacts);
        outputArtifacts = List.copyOf(outputArtifacts);
    }
}

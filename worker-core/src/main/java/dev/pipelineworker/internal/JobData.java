package dev.pipelineworker.internal;

import dev.pipelineworker.ActionConfiguration;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.Artifact;
import dev.pipelineworker.ArtifactCredentials;
import dev.pipelineworker.EncryptionKey;
import dev.pipelineworker.PipelineContext;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.regions.Region;

/**
 * A claimed job's data, the same for third-party and custom jobs. {@code encryptionKey},
 * {@code credentials}, {@code continuationToken} and {@code accountId} may be {@code null}; {@code region} is
 * where the job runs (its pipeline's region, and so its artifact bucket's).
 */
@SharedInternal
public record JobData(String jobId, String accountId, ActionTypeId actionTypeId, PipelineContext pipeline,
                      ActionConfiguration configuration, List<Artifact> inputArtifacts,
                      List<Artifact> outputArtifacts, EncryptionKey encryptionKey,
                      ArtifactCredentials credentials, String continuationToken, Region region) {
    public JobData {
        Objects.requireNonNull(region, "region");
        inputArtifacts = List.copyOf(inputArtifacts);
        outputArtifacts = List.copyOf(outputArtifacts);
    }

    /** This job with {@code newConfiguration}. */
    public JobData withConfiguration(ActionConfiguration newConfiguration) {
        return new JobData(jobId, accountId, actionTypeId, pipeline, newConfiguration, inputArtifacts, outputArtifacts,
                encryptionKey, credentials, continuationToken, region);
    }
}

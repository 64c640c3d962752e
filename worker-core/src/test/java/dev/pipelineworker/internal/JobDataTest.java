package dev.pipelineworker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipelineworker.ActionConfiguration;
import dev.pipelineworker.Artifact;
import dev.pipelineworker.EncryptionKey;
import dev.pipelineworker.S3Location;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A claimed job's data: its artifact lists are the job's own, and a new configuration changes nothing else. */
class JobDataTest {

    private static final JobData PLAIN = TestJobData.of("job-1");

    @Test
    void theArtifactListsAreCopiedSoTheCallersListCannotChangeTheJob() {
        List<Artifact> inputs = new ArrayList<>(List.of(Artifact.of("Source", S3Location.of("bucket", "in.zip"))));
        JobData job = new JobData("job-1", null, PLAIN.actionTypeId(), PLAIN.pipeline(), PLAIN.configuration(),
                inputs, List.of(), null, null, null, PLAIN.region());

        inputs.add(Artifact.of("Other", S3Location.of("bucket", "other.zip")));

        assertThat(job.inputArtifacts()).extracting(Artifact::name).containsExactly("Source");
        assertThatThrownBy(() -> job.outputArtifacts().add(Artifact.of("X", S3Location.of("b", "k"))))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aJobWithoutARegionIsRefused() {
        assertThatThrownBy(() -> new JobData("job-1", null, PLAIN.actionTypeId(), PLAIN.pipeline(),
                PLAIN.configuration(), List.of(), List.of(), null, null, null, null))
                .isInstanceOf(NullPointerException.class).hasMessage("region");
    }

    @Test
    void withConfigurationReplacesTheConfigurationOnly() {
        JobData job = new JobData("job-1", "111122223333", PLAIN.actionTypeId(), PLAIN.pipeline(),
                PLAIN.configuration(), List.of(Artifact.of("Source", S3Location.of("bucket", "in.zip"))),
                List.of(Artifact.of("Built", S3Location.of("bucket", "out.zip"))), EncryptionKey.kms("key-1"),
                PLAIN.credentials(), "token", PLAIN.region());
        ActionConfiguration other = ActionConfiguration.of(Map.of("Other", "value"));

        JobData changed = job.withConfiguration(other);

        assertThat(changed.configuration()).isSameAs(other);
        assertThat(changed).isEqualTo(new JobData(job.jobId(), job.accountId(), job.actionTypeId(), job.pipeline(),
                other, job.inputArtifacts(), job.outputArtifacts(), job.encryptionKey(), job.credentials(),
                job.continuationToken(), job.region()));
    }
}

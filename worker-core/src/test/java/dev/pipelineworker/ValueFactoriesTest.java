package dev.pipelineworker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/** The factories, builders and {@code with...} methods users build values with, instead of the canonical constructors. */
class ValueFactoriesTest {

    private static final S3Location IN = S3Location.of("bucket", "in.zip");

    @Test
    void thePipelineContextBuilderSetsEachMemberAndLeavesTheRestNull() {
        PipelineContext context = PipelineContext.builder()
                .pipelineName("pipe").stageName("Build").actionName("Compile").actionExecutionId("exec-1")
                .pipelineArn("arn:aws:codepipeline:us-east-1:111111111111:pipe").pipelineExecutionId("run-1")
                .build();

        assertThat(context).isEqualTo(new PipelineContext("pipe", "Build", "Compile", "exec-1",
                "arn:aws:codepipeline:us-east-1:111111111111:pipe", "run-1"));
        assertThat(PipelineContext.builder().actionExecutionId("exec-2").build())
                .isEqualTo(new PipelineContext(null, null, null, "exec-2", null, null));
        assertThat(context.toBuilder().actionExecutionId("exec-3").build())
                .isEqualTo(new PipelineContext("pipe", "Build", "Compile", "exec-3",
                        "arn:aws:codepipeline:us-east-1:111111111111:pipe", "run-1"));
    }

    @Test
    void currentRevisionOptionalMembersComeWithWithers() {
        Instant created = Instant.parse("2025-01-01T00:00:00Z");

        CurrentRevision revision = CurrentRevision.of("abc123", "change-1").withCreated(created)
                .withRevisionSummary("fix the build");

        assertThat(revision).isEqualTo(new CurrentRevision("abc123", "change-1", created, "fix the build"));
        assertThat(revision.withCreated(null)).isEqualTo(new CurrentRevision("abc123", "change-1", null,
                "fix the build"));
    }

    @Test
    void anArtifactHasNoRevisionUntilGivenOne() {
        Artifact artifact = Artifact.of("src", IN);

        assertThat(artifact.revision()).isNull();
        assertThat(artifact.withRevision("rev-1")).isEqualTo(new Artifact("src", IN, "rev-1"));
        assertThatThrownBy(() -> Artifact.of("src", null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void locationsCredentialsAndKeysHaveFactories() {
        assertThat(S3Location.of("bucket", "in.zip")).isEqualTo(new S3Location("bucket", "in.zip"));
        assertThat(ArtifactCredentials.of("AKID", "secret", null))
                .isEqualTo(new ArtifactCredentials("AKID", "secret", null));
        assertThat(EncryptionKey.kms("alias/key")).isEqualTo(new EncryptionKey("alias/key", "KMS"));
    }

    @Test
    void zipLimitsChangeOneLimitAndKeepTheOthers() {
        ZipLimits defaults = ZipLimits.defaults();

        assertThat(defaults.withMaxEntries(10)).isEqualTo(new ZipLimits(10, defaults.maxTotalUncompressedBytes(),
                defaults.maxCompressionRatio()));
        assertThat(defaults.withMaxTotalUncompressedBytes(1000)).isEqualTo(new ZipLimits(defaults.maxEntries(), 1000,
                defaults.maxCompressionRatio()));
        assertThat(defaults.withMaxCompressionRatio(50)).isEqualTo(new ZipLimits(defaults.maxEntries(),
                defaults.maxTotalUncompressedBytes(), 50));
        assertThatThrownBy(() -> defaults.withMaxEntries(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theArtifactAccessBuilderCopiesTheArtifactsAndNeedsARefresher() {
        ArtifactCredentials credentials = ArtifactCredentials.of("AKID", "secret", "token");
        ArtifactAccess.CredentialsRefresher refresher = () -> credentials;
        List<Artifact> inputs = new ArrayList<>(List.of(Artifact.of("src", IN)));

        ArtifactAccess access = ArtifactAccess.builder("job-1").inputArtifacts(inputs)
                .outputArtifacts(List.of(Artifact.of("out", S3Location.of("bucket", "out.zip"))))
                .encryptionKey(EncryptionKey.kms("alias/key")).credentials(credentials).refresher(refresher)
                .region(Region.EU_WEST_1).build();
        inputs.clear();

        assertThat(access).isEqualTo(new ArtifactAccess("job-1", List.of(Artifact.of("src", IN)),
                List.of(Artifact.of("out", S3Location.of("bucket", "out.zip"))),
                EncryptionKey.kms("alias/key"), credentials, refresher, Region.EU_WEST_1));
        assertThat(ArtifactAccess.builder("job-2").refresher(refresher).build().region()).isNull();
        assertThat(ArtifactAccess.builder("job-2").refresher(refresher).build().encryptionKey()).isNull();
        assertThatThrownBy(() -> ArtifactAccess.builder("job-3").build())
                .isInstanceOf(NullPointerException.class).hasMessage("refresher");
    }

    @Test
    void theDisabledJournalKeepsNothingAndIsNoApiType() throws Exception {
        OutcomeJournal journal = OutcomeJournal.disabled();

        journal.write("job-1", new byte[] {1});

        assertThat(journal.readAll()).isEmpty();
        assertThat(journal.getClass().getPackageName()).startsWith("dev.pipelineworker.internal");
    }
}

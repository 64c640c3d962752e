package dev.pipelineworker.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;
import software.amazon.awssdk.services.codepipeline.model.ActionTypeId;
import software.amazon.awssdk.services.codepipeline.model.Job;

/** The standalone emulator's region options, parsed and served in this JVM. */
class LocalCodePipelineMainRegionsTest {

    private static final ActionTypeId TYPE = ActionTypeId.builder().owner("Custom").category("Deploy")
            .provider("CliTool").version("2").build();

    private static CodePipelineClient client(LocalCodePipeline cp, String region) {
        return CodePipelineClient.builder().endpointOverride(cp.endpoint()).region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKID", "secret")))
                .build();
    }

    @Test
    void sampleJobsGoToTheirRegionOrTheOneGivenWithRegion() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (LocalCodePipeline cp = LocalCodePipelineMain.start(new String[] {"--region", "eu-west-1",
                        "--job", "Custom:Deploy:CliTool:2", "--job", "Custom:Deploy:CliTool:2@ap-southeast-2"},
                new PrintStream(printed, true, StandardCharsets.UTF_8));
             CodePipelineClient eu = client(cp, "eu-west-1");
             CodePipelineClient ap = client(cp, "ap-southeast-2")) {
            List<String> lines = printed.toString(StandardCharsets.UTF_8).lines().toList();

            assertThat(cp.defaultRegion()).isEqualTo("eu-west-1");
            assertThat(lines).hasSize(4);
            assertThat(lines.get(2)).startsWith("job ").endsWith(" region eu-west-1");
            assertThat(lines.get(3)).startsWith("job ").endsWith(" region ap-southeast-2");
            String euJob = lines.get(2).split(" ")[1];
            String apJob = lines.get(3).split(" ")[1];
            assertThat(eu.pollForJobs(r -> r.actionTypeId(TYPE).maxBatchSize(5)).jobs()).extracting(Job::id)
                    .containsExactly(euJob);
            assertThat(ap.pollForJobs(r -> r.actionTypeId(TYPE).maxBatchSize(5)).jobs()).extracting(Job::id)
                    .containsExactly(apJob);
        }
    }

    @Test
    void aMalformedRegionIsRefusedBeforeAnythingStarts() {
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

        assertThatThrownBy(() -> LocalCodePipelineMain.start(new String[] {"--job", "Custom:Deploy:CliTool:2@Europe"},
                out)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Europe");
        assertThatThrownBy(() -> LocalCodePipelineMain.start(new String[] {"--region", "eu_west_1"}, out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("eu_west_1");
        assertThat(LocalCodePipelineMain.USAGE).contains("--region REGION", "[@REGION]");
    }
}

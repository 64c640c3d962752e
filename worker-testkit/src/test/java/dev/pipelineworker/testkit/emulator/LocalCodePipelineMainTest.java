package dev.pipelineworker.testkit.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.testkit.LocalCodePipelineMain;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;
import software.amazon.awssdk.services.codepipeline.model.ThirdPartyJob;

/** The standalone emulator in its own JVM, as a user starts it for the AWS CLI. */
class LocalCodePipelineMainTest {

    @Test
    void standaloneMainPrintsItsEndpointAndServesTheEnqueuedJob() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                LocalCodePipelineMain.class.getName(), "--port", "0",
                "--client-token", "cli-secret", "--job", "ThirdParty:Build:CliTool:1")
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            List<String> lines = CompletableFuture
                    .supplyAsync(() -> out.lines().limit(3).toList())
                    .get(30, TimeUnit.SECONDS);

            URI endpoint = URI.create(lines.get(0));
            assertThat(endpoint.getScheme()).isEqualTo("http");
            assertThat(endpoint.getHost()).isEqualTo("127.0.0.1");
            assertThat(endpoint.getPort()).isPositive();
            String clientId = lines.get(1).substring("third-party clientId ".length());
            assertThat(lines).noneMatch(line -> line.contains("cli-secret"));

            try (CodePipelineClient sdk = Sdk.noRetryClient(endpoint)) {
                List<ThirdPartyJob> jobs = sdk.pollForThirdPartyJobs(r -> r.actionTypeId(
                        Sdk.sdkType(ActionTypeId.thirdParty(ActionCategory.BUILD, "CliTool", "1")))).jobs();
                assertThat(jobs).singleElement().satisfies(job -> {
                    assertThat(job.clientId()).isEqualTo(clientId);
                    assertThat(lines.get(2)).startsWith("job " + job.jobId());
                });
                assertThat(sdk.getThirdPartyJobDetails(r -> r.jobId(jobs.get(0).jobId()).clientToken("cli-secret"))
                        .jobDetails().data().outputArtifacts()).isNotEmpty();
            }
        } finally {
            process.destroy();
            assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void helpPrintsTheOptionsAndExitsZero() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                LocalCodePipelineMain.class.getName(), "--help").start();

        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
        assertThat(out).isEqualTo(LocalCodePipelineMain.USAGE).contains("--port N", "--continuation-delay");
    }
}

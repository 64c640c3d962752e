package dev.pipelineworker.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar target/example-worker.jar demo}, exactly as the README's quick start runs it: with no AWS
 * configuration at all, so every region it names comes from the demo itself.
 */
class DemoIT {

    @TempDir
    Path temp;

    @Test
    void theDemoRunsEveryActionToItsExpectedEndAndExitsZero() throws Exception {
        try (WorkerProcess demo = WorkerProcess.start(temp, "demo", Map.of(), "demo")) {
            int exit = demo.awaitExit(Duration.ofSeconds(150));

            assertThat(exit).as(demo.output()).isZero();
            String report = demo.stdout();
            assertThat(report).contains(
                    "1. OneInput", "2. TwoInputs", "3. IncludeGlob", "4. WaitForIt", "5. BadConfig", "6. FailWith",
                    "Succeeded: 4 files, 304 bytes",
                    "Succeeded: 6 files, 341 bytes",
                    "Succeeded: 2 files, 200 bytes",
                    "Failed, ConfigurationError: configuration key 'WaitSeconds' must be an integer",
                    "Failed, PermissionError: failing with PermissionError as requested by configuration (FailWith)",
                    "aws:kms, KMS key 1234abcd-12ab-34cd-56ef-1234567890ab",
                    "src/text/Greeting.java",
                    "All 6 actions ended as expected")
                    .containsPattern("jobs +\\d+: \\d+ continued")
                    // Each region's jobs, every call about them signed for their region (the continuations too).
                    .containsPattern("1\\. OneInput: .*\\n +region +us-east-1 \\((\\d+) of its \\1 CodePipeline calls")
                    .containsPattern("2\\. TwoInputs: .*\\n +region +eu-west-1 \\((\\d+) of its \\1 CodePipeline calls")
                    .containsPattern("4\\. WaitForIt: .*\\n +region +eu-west-1 \\((\\d+) of its \\1 CodePipeline calls")
                    .doesNotContain("UNEXPECTED");
            // S3Mock's Spring Boot and Tomcat stay quiet: stderr holds the worker's own lines only.
            assertThat(demo.output()).doesNotContain("Tomcat", "Spring", "Commons Logging", "INFO:");
            assertThat(demo.stderr().lines())
                    .allMatch(line -> line.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} (INFO |WARN |ERROR) .*"));
        }
    }
}

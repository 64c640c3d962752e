package dev.pipelineworker.examples.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pipelineworker.FailureType;
import dev.pipelineworker.testkit.HandlerTestEnvironment;
import dev.pipelineworker.testkit.JobResult;
import dev.pipelineworker.testkit.TestJob;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LineCountHandlerTest {

    private final HandlerTestEnvironment env = HandlerTestEnvironment.create(); // no AWS, no network
    private final LineCountHandler handler = new LineCountHandler();

    @Test
    void countsTheLinesOfMatchingFiles() {
        TestJob job = TestJob.builder()
                .inputZip("source", Map.of("src/Main.java", "class Main {\n}\n", "README.md", "# hello\n"))
                .outputArtifacts("counts")
                .build();

        JobResult result = env.run(handler, job);

        assertEquals("2 lines in *.java files", result.success().summary());
        assertEquals("2\n", result.outputTexts("counts").get("line-count.txt"));
    }

    @Test
    void theSuffixComesFromTheActionConfiguration() {
        TestJob job = TestJob.builder()
                .inputZip("source", Map.of("src/Main.java", "class Main {\n}\n", "README.md", "# hello\nworld\n"))
                .outputArtifacts("counts")
                .configuration("Suffix", ".md")
                .build();

        assertEquals("2 lines in *.md files", env.run(handler, job).summary());
    }

    @Test
    void withoutOutputArtifactTheJobFailsAsAConfigurationError() {
        TestJob job = TestJob.builder().inputZip("source", Map.of("a.java", "x\n")).build();

        assertEquals(FailureType.CONFIGURATION_ERROR, env.run(handler, job).failure().type());
    }
}

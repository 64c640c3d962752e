package ${package};

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pipelineworker.FailureType;
import dev.pipelineworker.testkit.HandlerTestEnvironment;
import dev.pipelineworker.testkit.JobResult;
import dev.pipelineworker.testkit.TestJob;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The handler on its own: in-memory artifacts, no AWS, no network. */
class ReportHandlerTest {

    private final HandlerTestEnvironment env = HandlerTestEnvironment.create();
    private final ReportHandler handler = new ReportHandler();

    @Test
    void listsEveryFileOfTheInputWithItsSize() {
        TestJob job = TestJob.builder()
                .inputZip("source", Map.of("README.md", "hello\n", "src/Main.java", "class Main {}\n"))
                .outputArtifacts("report")
                .build();

        JobResult result = env.run(handler, job);

        assertEquals("2 files in the report", result.success().summary());
        assertEquals("Files\nREADME.md 6 bytes\nsrc/Main.java 14 bytes\n",
                result.outputTexts("report").get("report.txt"));
    }

    @Test
    void theTitleComesFromTheActionConfiguration() {
        TestJob job = TestJob.builder()
                .inputZip("source", Map.of("a.txt", "a"))
                .outputArtifacts("report")
                .configuration("Title", "Release 1.2")
                .build();

        assertEquals("Release 1.2\na.txt 1 bytes\n", env.run(handler, job).outputTexts("report").get("report.txt"));
    }

    @Test
    void anActionWithoutOutputArtifactIsAConfigurationError() {
        TestJob job = TestJob.builder().inputZip("source", Map.of("a.txt", "a")).build();

        assertEquals(FailureType.CONFIGURATION_ERROR, env.run(handler, job).failure().type());
    }
}

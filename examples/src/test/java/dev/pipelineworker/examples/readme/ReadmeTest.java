package dev.pipelineworker.examples.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The root README's code cannot rot: every block marked {@code <!-- from <path> -->} must be that
 * file as compiled and tested here (without its package line), and the commands it gives must be
 * the ones the build and CI use.
 */
class ReadmeTest {

    private static final Path ROOT = Path.of("..");
    private static final Pattern SNIPPET = Pattern.compile("<!-- from (\\S+) -->\\n```\\w+\\n(.*?)```", Pattern.DOTALL);

    private static String readme() throws IOException {
        return Files.readString(ROOT.resolve("README.md"));
    }

    @Test
    void everyMarkedSnippetIsTheCompiledFile() throws IOException {
        Matcher matcher = SNIPPET.matcher(readme());
        List<String> files = new ArrayList<>();
        while (matcher.find()) {
            String path = matcher.group(1);
            String source = Files.readString(ROOT.resolve(path)).replaceFirst("\\Apackage [\\w.]+;\\n\\n", "");
            assertThat(matcher.group(2)).as("README snippet from " + path).isEqualTo(source);
            files.add(path);
        }
        assertThat(files).contains(
                "examples/src/main/java/dev/pipelineworker/examples/readme/HelloWorker.java",
                "examples/src/main/java/dev/pipelineworker/examples/readme/LineCountHandler.java",
                "examples/src/main/java/dev/pipelineworker/examples/readme/LineCountWorker.java",
                "examples/src/test/java/dev/pipelineworker/examples/readme/LineCountHandlerTest.java",
                "examples/prometheus/alerts.yml");
    }

    @Test
    void theDependencySnippetNamesThisVersion() throws IOException {
        String pom = Files.readString(ROOT.resolve("pom.xml"));
        Matcher version = Pattern.compile("<artifactId>pipeline-worker-parent</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(pom);
        assertThat(version.find()).isTrue();

        assertThat(readme()).contains("<version>" + version.group(1) + "</version>");
    }

    @Test
    void theCommandsAreTheOnesTheBuildAndCiRun() throws IOException {
        assertThat(readme()).contains(
                "mvn -B -q -pl examples -am package -DskipTests && java -jar examples/target/example-worker.jar demo",
                "mvn -B verify");
        assertThat(Files.readString(ROOT.resolve(".ci/run"))).contains("\nmvn -B verify\n");
    }
}

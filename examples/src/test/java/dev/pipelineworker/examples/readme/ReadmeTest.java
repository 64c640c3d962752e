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
                "examples/src/test/java/dev/pipelineworker/examples/readme/LineCountWorkerTest.java",
                "examples/prometheus/alerts.yml");
    }

    private static String version() throws IOException {
        Matcher version = Pattern.compile("<artifactId>pipeline-worker-parent</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(Files.readString(ROOT.resolve("pom.xml")));
        assertThat(version.find()).isTrue();
        return version.group(1);
    }

    @Test
    void theDependencySnippetImportsTheBomOfThisVersion() throws IOException {
        assertThat(readme()).contains("<artifactId>pipeline-worker-bom</artifactId>\n      <version>" + version()
                + "</version>");
    }

    @Test
    void theCommandsAreTheOnesTheBuildAndCiRun() throws IOException {
        String ci = Files.readString(ROOT.resolve(".ci/run"));
        assertThat(readme()).contains(
                "./mvnw -B -q -pl examples -am package -DskipTests && java -jar examples/target/example-worker.jar demo",
                "./mvnw -B verify");
        assertThat(ci).contains("\n./mvnw -B verify\n");
        assertThat(readme()).doesNotContainPattern("(?m)^mvn |[ `(]mvn -");
    }

    @Test
    void theQuickStartGeneratesTheProjectCiBuilds() throws IOException {
        String ci = Files.readString(ROOT.resolve(".ci/run"));
        String version = version();
        for (String flags : List.of("-N archetype:generate -DinteractiveMode=false",
                "-DarchetypeGroupId=dev.pipelineworker -DarchetypeArtifactId=worker-archetype",
                "-DgroupId=com.example -DartifactId=my-worker")) {
            assertThat(readme()).contains(flags);
            assertThat(ci).contains(flags);
        }
        assertThat(readme()).contains("-DarchetypeVersion=" + version, "./mvnw -B -q install -DskipTests",
                "cd ../my-worker && ./mvnw -B verify");
        assertThat(ci).contains("./mvnw -B -q install -DskipTests", "./mvnw -B -o verify");
    }

    @Test
    void theReadmesPluginVersionsAreTheBuildsOwn() throws IOException {
        String pom = Files.readString(ROOT.resolve("pom.xml"));
        for (String plugin : List.of("maven-compiler-plugin", "maven-surefire-plugin")) {
            Pattern pinned = Pattern.compile("<artifactId>" + plugin + "</artifactId>\\s*<version>([^<]+)</version>");
            Matcher inPom = pinned.matcher(pom);
            Matcher inReadme = pinned.matcher(readme());
            assertThat(inPom.find()).as(plugin + " in pom.xml").isTrue();
            assertThat(inReadme.find()).as(plugin + " in README.md").isTrue();
            assertThat(inReadme.group(1)).as(plugin).isEqualTo(inPom.group(1));
        }
    }
}

package dev.pipelineworker.examples;

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
 * pipeline-worker-bom names every library this build publishes, at the build's version, so that a project that
 * imports it can leave out every pipeline-worker version, and the AWS SDK and Jackson versions the build uses.
 */
class PublishedArtifactsTest {

    private static final Path ROOT = Path.of("..");
    private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");
    private static final Pattern ARTIFACT_ID = Pattern.compile(
            "</parent>\\s*<artifactId>([^<]+)</artifactId>");
    private static final Pattern MANAGED = Pattern.compile(
            "<groupId>dev\\.pipelineworker</groupId>\\s*<artifactId>([^<]+)</artifactId>\\s*<version>([^<]+)</version>");

    private static String version(String pom) {
        Matcher version = Pattern.compile("<artifactId>(?:pipeline-worker-parent|pipeline-worker-bom)</artifactId>"
                + "\\s*<version>([^<]+)</version>").matcher(pom);
        assertThat(version.find()).isTrue();
        return version.group(1);
    }

    /** The jar modules of the reactor that are installed and are not the examples. */
    private static List<String> publishedLibraries() throws IOException {
        List<String> libraries = new ArrayList<>();
        Matcher modules = MODULE.matcher(Files.readString(ROOT.resolve("pom.xml")));
        while (modules.find()) {
            String pom = Files.readString(ROOT.resolve(modules.group(1)).resolve("pom.xml"));
            Matcher artifactId = ARTIFACT_ID.matcher(pom);
            boolean library = artifactId.find() && !pom.contains("<packaging>")
                    && !pom.contains("<maven.install.skip>true</maven.install.skip>");
            if (library && !artifactId.group(1).equals("worker-examples")) {
                libraries.add(artifactId.group(1));
            }
        }
        return libraries;
    }

    @Test
    void theBomManagesEveryPublishedLibraryAtTheBuildsVersion() throws IOException {
        String bom = Files.readString(ROOT.resolve("pipeline-worker-bom/pom.xml"));
        String buildVersion = version(Files.readString(ROOT.resolve("pom.xml")));
        List<String> managed = new ArrayList<>();
        Matcher entries = MANAGED.matcher(bom.substring(bom.indexOf("<dependencyManagement>")));
        while (entries.find()) {
            managed.add(entries.group(1));
            assertThat(entries.group(2)).as(entries.group(1)).isEqualTo("${project.version}");
        }

        assertThat(version(bom)).isEqualTo(buildVersion);
        assertThat(managed).containsExactlyInAnyOrderElementsOf(publishedLibraries())
                .contains("worker-core", "worker-s3", "worker-testkit", "worker-testkit-s3", "worker-lambda");
        assertThat(bom).as("the BOM must not inherit the parent's third-party versions").doesNotContain("<parent>");
    }

    @Test
    void theBomsAwsSdkAndJacksonAreTheOnesTheBuildUses() throws IOException {
        String bom = Files.readString(ROOT.resolve("pipeline-worker-bom/pom.xml"));
        String parent = Files.readString(ROOT.resolve("pom.xml"));

        for (String property : List.of("aws-sdk.version", "jackson.version")) {
            assertThat(property(bom, property)).as(property).isEqualTo(property(parent, property));
        }
    }

    @Test
    void onlyTheLibrariesTheirBomAndTheArchetypeAreDeployed() throws IOException {
        String bom = Files.readString(ROOT.resolve("pipeline-worker-bom/pom.xml"));
        List<String> managed = new ArrayList<>();
        Matcher entries = MANAGED.matcher(bom.substring(bom.indexOf("<dependencyManagement>")));
        while (entries.find()) {
            managed.add(entries.group(1));
        }
        Matcher modules = MODULE.matcher(Files.readString(ROOT.resolve("pom.xml")));
        while (modules.find()) {
            String pom = Files.readString(ROOT.resolve(modules.group(1)).resolve("pom.xml"));
            Matcher artifactId = ARTIFACT_ID.matcher(pom);
            String name = artifactId.find() ? artifactId.group(1) : "pipeline-worker-bom";
            boolean published = managed.contains(name) || name.equals("pipeline-worker-bom")
                    || name.equals("worker-archetype");
            assertThat(pom.contains("<maven.deploy.skip>true</maven.deploy.skip>")
                    && pom.contains("<skipPublishing>true</skipPublishing>"))
                    .as("%s skips deploy and Central publishing", name).isEqualTo(!published);
        }
    }

    private static String property(String pom, String name) {
        Matcher value = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(pom);
        assertThat(value.find()).as(name).isTrue();
        return value.group(1);
    }
}

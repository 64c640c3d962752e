package dev.pipelineworker.examples.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * target/example-worker-image.tar, the OCI image Jib builds in the package phase: an exec-form entrypoint that
 * starts the JVM itself with container-aware flags and temporary files on /tmp, a non-root user, the journal and
 * /tmp as volumes, and the layers (dependencies, the project's, classes, the Java runtime) that put the
 * entrypoint's java and the class path where the entrypoint expects them. .ci/image-smoke runs the image.
 */
class ExampleImageIT {

    private static final Path IMAGE = Path.of("target", "example-worker-image.tar");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JOURNAL = "/var/lib/pipeline-worker/journal";

    private static JsonNode manifest;
    private static JsonNode config;
    private static Map<String, byte[]> blobs;

    @BeforeAll
    static void openImage() throws IOException {
        assumeFalse(Boolean.getBoolean("image.skip"), "the image was not built: -Dimage.skip=true");
        blobs = new HashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(Files.newInputStream(IMAGE))) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                if (entry.isFile()) {
                    blobs.put(entry.getName(), tar.readAllBytes());
                }
            }
        }
        JsonNode index = JSON.readTree(blobs.get("index.json"));
        manifest = JSON.readTree(blob(index.path("manifests").path(0).path("digest").asText()));
        config = JSON.readTree(blob(manifest.path("config").path("digest").asText()));
    }

    @Test
    void theEntrypointIsTheJvmItselfWithContainerAwareFlags() {
        List<String> entrypoint = strings(config.path("config").path("Entrypoint"));

        assertThat(entrypoint.get(0)).isEqualTo("/opt/java/openjdk/bin/java");
        assertThat(entrypoint).contains("-XX:+ExitOnOutOfMemoryError", "-Djava.io.tmpdir=/tmp")
                .anyMatch(flag -> flag.startsWith("-XX:MaxRAMPercentage="))
                .doesNotContain("sh", "/bin/sh", "-c")
                .endsWith("dev.pipelineworker.examples.ExampleWorker");
        assertThat(strings(config.path("config").path("Cmd")))
                .containsSequence("--journal-dir", JOURNAL).contains("run", "--metrics-port");
    }

    @Test
    void itRunsAsANonRootUserWithTheJournalAndTmpAsVolumes() {
        JsonNode container = config.path("config");

        assertThat(container.path("User").asText()).matches("[1-9][0-9]*:[1-9][0-9]*");
        assertThat(container.path("Volumes").has(JOURNAL)).isTrue();
        assertThat(container.path("Volumes").has("/tmp")).isTrue();
        List<String> cmd = strings(container.path("Cmd"));
        String port = cmd.get(cmd.indexOf("--metrics-port") + 1);
        assertThat(container.path("ExposedPorts").has(port + "/tcp")).isTrue();
    }

    @Test
    void theLayersHoldTheRuntimeTheClassPathAndTheMountPoints() throws IOException {
        List<String> comments = new ArrayList<>();
        config.path("history").forEach(step -> comments.add(step.path("comment").asText()));
        assertThat(comments).contains("dependencies", "project dependencies", "resources", "classes");
        assertThat(manifest.path("layers").size()).isEqualTo(comments.size());

        Map<String, Integer> modes = new HashMap<>();
        for (JsonNode layer : manifest.path("layers")) {
            try (InputStream gzip = new GZIPInputStream(new ByteArrayInputStream(
                    blob(layer.path("digest").asText())));
                    TarArchiveInputStream files = new TarArchiveInputStream(gzip)) {
                for (TarArchiveEntry entry = files.getNextEntry(); entry != null; entry = files.getNextEntry()) {
                    modes.put("/" + entry.getName().replaceFirst("^\\./", "").replaceFirst("/$", ""), entry.getMode());
                }
            }
        }
        assertThat(modes).containsKeys("/app/jib-classpath-file", "/app/libs", "/app/classes",
                "/opt/java/openjdk/lib/modules", "/etc/passwd", "/tmp", JOURNAL, "/proc", "/dev");
        assertThat(modes.get("/opt/java/openjdk/bin/java") & 0111).as("java is executable").isEqualTo(0111);
        assertThat(modes.keySet()).anyMatch(path -> path.startsWith("/app/libs/worker-core-"));
    }

    private static byte[] blob(String digest) {
        byte[] blob = blobs.get("blobs/" + digest.replace(':', '/'));
        assertThat(blob).as(digest).isNotNull();
        return blob;
    }

    private static List<String> strings(JsonNode array) {
        List<String> strings = new ArrayList<>();
        array.forEach(item -> strings.add(item.asText()));
        return strings;
    }
}

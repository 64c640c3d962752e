package dev.pipelineworker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipelineworker.internal.UnusedArtifactStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a store of one's own gets from {@link ArtifactStore}'s default methods, given only {@code openInput} and
 * {@code writeOutput}: downloads, zip extraction under the limits, files and zipped directories as outputs, and no
 * temporary file left behind.
 */
class ArtifactStoreDefaultsTest {

    /** A store that keeps artifacts in memory and records each output's declared length. */
    private static final class MemoryStore implements ArtifactStore {
        final Map<String, byte[]> inputs = new HashMap<>();
        final Map<String, byte[]> outputs = new HashMap<>();
        final Map<String, Long> lengths = new HashMap<>();
        ZipLimits limits = ZipLimits.defaults();

        @Override
        public InputStream openInput(String artifactName) {
            return new ByteArrayInputStream(inputs.get(artifactName));
        }

        @Override
        public void writeOutput(String artifactName, InputStream content, long contentLength) throws IOException {
            outputs.put(artifactName, content.readAllBytes());
            lengths.put(artifactName, contentLength);
        }

        @Override
        public ZipLimits zipLimits() {
            return limits;
        }
    }

    private final MemoryStore store = new MemoryStore();

    private static byte[] zip(Map<String, String> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, String> entry : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(entry.getKey()));
                out.write(entry.getValue().getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static List<Path> leftovers() throws IOException {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(f -> f.getFileName().toString().startsWith("pipeline-worker-in-")
                    || f.getFileName().toString().startsWith("pipeline-worker-out-")).toList();
        }
    }

    @Test
    void anInputIsDownloadedOverWhateverTheTargetHeld(@TempDir Path dir) throws IOException {
        store.inputs.put("src", "fresh".getBytes(StandardCharsets.UTF_8));
        Path target = Files.writeString(dir.resolve("src.bin"), "stale and longer");

        assertThat(store.downloadInput("src", target)).isEqualTo(target);
        assertThat(Files.readString(target)).isEqualTo("fresh");
    }

    @Test
    void aZipInputIsExtractedIntoTheDirectoryAndItsTemporaryCopyDeleted(@TempDir Path dir) throws IOException {
        store.inputs.put("src", zip(Map.of("a.txt", "alpha", "sub/b.txt", "beta")));
        List<Path> before = leftovers();

        Path out = store.extractInput("src", dir.resolve("out"));

        assertThat(out).isEqualTo(dir.resolve("out"));
        assertThat(Files.readString(out.resolve("a.txt"))).isEqualTo("alpha");
        assertThat(Files.readString(out.resolve("sub/b.txt"))).isEqualTo("beta");
        assertThat(leftovers()).containsExactlyInAnyOrderElementsOf(before);
    }

    @Test
    void extractionKeepsToTheStoresLimitsAndStillDeletesItsCopy(@TempDir Path dir) throws IOException {
        store.inputs.put("src", zip(Map.of("a.txt", "alpha", "b.txt", "beta")));
        store.limits = ZipLimits.defaults().withMaxEntries(1);
        List<Path> before = leftovers();

        assertThatThrownBy(() -> store.extractInput("src", dir.resolve("out")))
                .isInstanceOf(JobFailureException.class).hasMessageContaining("src");
        assertThat(leftovers()).containsExactlyInAnyOrderElementsOf(before);
    }

    @Test
    void aFileOutputIsWrittenWithItsLength(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("out.txt"), "twelve bytes");

        store.writeOutput("out", file);

        assertThat(store.outputs.get("out")).asString().isEqualTo("twelve bytes");
        assertThat(store.lengths.get("out")).isEqualTo(12L);
    }

    @Test
    void aDirectoryIsWrittenAsAZipOfItsFilesWithRelativePaths(@TempDir Path dir) throws IOException {
        Path tree = Files.createDirectories(dir.resolve("tree"));
        Files.writeString(tree.resolve("top.txt"), "top");
        Files.writeString(Files.createDirectories(tree.resolve("nested")).resolve("deep.txt"), "deep");
        List<Path> before = leftovers();

        store.writeOutputZip("bundle", tree);

        Map<String, String> entries = new HashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(store.outputs.get("bundle")))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                if (!entry.isDirectory()) {
                    entries.put(entry.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
        assertThat(entries).isEqualTo(Map.of("top.txt", "top", "nested/deep.txt", "deep"));
        assertThat(store.lengths.get("bundle")).isEqualTo(store.outputs.get("bundle").length);
        assertThat(leftovers()).containsExactlyInAnyOrderElementsOf(before);
    }

    @Test
    void aStoreOfOnesOwnHasTheDefaultLimitsAndNothingToClose() throws IOException {
        ArtifactStore minimal = new UnusedArtifactStore();

        assertThat(minimal.zipLimits()).isEqualTo(ZipLimits.defaults());
        minimal.close();
    }
}

package dev.pipelineworker.s3;

import static dev.pipelineworker.s3.S3MockServer.BUCKET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipelineworker.ArtifactStore;
import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobFailureException;
import dev.pipelineworker.ZipLimits;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Extraction against S3Mock, which serves ranges as S3 does: the one-pass path is taken (the log says
 * which path ran), with the same results and refusals as from a downloaded file.
 */
class OnePassExtractionS3MockTest {

    @TempDir
    Path temp;

    private static S3ArtifactStoreFactory factory;
    private static S3Client verifier;

    private final String prefix = "pipeline/" + UUID.randomUUID() + "/";

    @BeforeAll
    static void start() {
        factory = S3MockServer.storeFactory().build();
        verifier = S3MockServer.verifier();
    }

    @AfterAll
    static void stop() {
        factory.close();
        verifier.close();
    }

    @Test
    void aZipIsExtractedInOnePass() throws IOException {
        byte[] random = new byte[3 << 20];
        new Random(3).nextBytes(random);
        Path source = Files.createDirectories(temp.resolve("source/bin"));
        Files.writeString(source.resolve("tool.sh"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(source.resolve("tool.sh"), PosixFilePermissions.fromString("rwxr-x---"));
        Files.write(Files.createDirectories(temp.resolve("source/data")).resolve("random.bin"), random);
        Files.writeString(temp.resolve("source/data/text.txt"), "text ".repeat(100_000));
        Files.createSymbolicLink(temp.resolve("source/data/link"), Path.of("text.txt"));
        try (ArtifactStore store = open("in.zip")) {
            store.writeOutputZip("out", temp.resolve("source"));
        }

        Path target = temp.resolve("extracted");
        try (ExtractionLog log = new ExtractionLog(); ArtifactStore store = open("out.zip")) {
            assertThat(store.extractInput("src", target)).isEqualTo(target);
            assertThat(log.messages()).singleElement().asString()
                    .isEqualTo("Extracted input artifact 'src' in one pass (6 entries)");
        }
        assertThat(target.resolve("bin/tool.sh")).hasContent("#!/bin/sh");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target.resolve("bin/tool.sh"))))
                .isEqualTo("rwxr-x---");
        assertThat(target.resolve("data/random.bin")).hasBinaryContent(random);
        assertThat(target.resolve("data/text.txt")).hasContent("text ".repeat(100_000));
        assertThat(Files.readSymbolicLink(target.resolve("data/link"))).isEqualTo(Path.of("text.txt"));
    }

    @Test
    void aDirectoryLongerThanTheTailIsReadWithASecondRange() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(bytes)) {
            for (int i = 0; i < 1500; i++) {
                ZipArchiveEntry entry = new ZipArchiveEntry("a/rather/long/path/to/entry-" + "n".repeat(60) + i);
                out.putArchiveEntry(entry);
                out.write(("content " + i).getBytes(StandardCharsets.UTF_8));
                out.closeArchiveEntry();
            }
        }
        assertThat(bytes.size()).as("directory longer than the tail").isGreaterThan(200_000);
        put("long.zip", bytes.toByteArray());

        Path target = temp.resolve("t");
        try (ExtractionLog log = new ExtractionLog(); ArtifactStore store = open("long.zip")) {
            store.extractInput("src", target);
            assertThat(log.messages()).containsExactly("Extracted input artifact 'src' in one pass (1500 entries)");
        }
        assertThat(target.resolve("a/rather/long/path/to/entry-" + "n".repeat(60) + 1499)).hasContent("content 1499");
    }

    @Test
    void aZipWhoseLocalHeaderDisagreesFallsBackToTheDownloadedFile() throws IOException {
        byte[] zip = zipOf("a.txt", "b.txt");
        zip[indexOf(zip, "b.txt")] = 'c';
        put("lying.zip", zip);

        Path target = temp.resolve("t");
        try (ExtractionLog log = new ExtractionLog(); ArtifactStore store = open("lying.zip")) {
            store.extractInput("src", target);
            assertThat(log.messages()).containsExactly("Input artifact 'src' " + ExtractionLog.FALLBACK
                    + "the local header of entry 'b.txt' disagrees with the central directory: another name");
        }
        try (Stream<Path> files = Files.list(target)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("a.txt", "b.txt");
        }
        assertThat(target.resolve("b.txt")).hasContent("b.txt");
    }

    @Test
    void anEmptyObjectFallsBackAndIsNotAZip() throws IOException {
        put("empty.zip", new byte[0]);
        try (ExtractionLog log = new ExtractionLog(); ArtifactStore store = open("empty.zip")) {
            assertThatThrownBy(() -> store.extractInput("src", temp.resolve("t")))
                    .isInstanceOf(JobFailureException.class)
                    .hasMessageStartingWith("input artifact 'src' is not a zip archive");
            assertThat(log.messages()).singleElement().asString().startsWith("Input artifact 'src' "
                    + ExtractionLog.FALLBACK);
        }
    }

    @Test
    void refusalsComeFromTheOnePassPath() throws IOException {
        put("escape.zip", zipOf("../escaped.txt"));
        put("many.zip", zipOf("a", "b", "c"));
        ByteArrayOutputStream bomb = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(bomb)) {
            ZipArchiveEntry entry = new ZipArchiveEntry("zeros.bin");
            entry.setMethod(ZipEntry.DEFLATED);
            out.putArchiveEntry(entry);
            out.write(new byte[16 << 20]);
            out.closeArchiveEntry();
        }
        put("bomb.zip", bomb.toByteArray());
        Path work = Files.createDirectories(temp.resolve("work"));

        try (ExtractionLog log = new ExtractionLog()) {
            assertRefused("escape.zip", ZipLimits.defaults(), work.resolve("1"),
                    "input artifact 'src' has an entry that escapes the target directory: '../escaped.txt'");
            assertRefused("many.zip", ZipLimits.defaults().withMaxEntries(2), work.resolve("2"),
                    "input artifact 'src' has more than 2 entries (ZipLimits.maxEntries)");
            assertRefused("bomb.zip", ZipLimits.defaults(), work.resolve("3"),
                    "input artifact 'src' entry 'zeros.bin' expands more than 200:1 (ZipLimits.maxCompressionRatio)");
            assertThat(log.messages()).as("no fallback").isEmpty();
        }
        try (Stream<Path> all = Files.walk(work)) {
            assertThat(all.filter(Files::isRegularFile)).isEmpty();
        }
    }

    private void assertRefused(String key, ZipLimits limits, Path target, String message) throws IOException {
        S3ArtifactStoreFactory limited = S3MockServer.storeFactory()
                .zipLimits(limits)
                .build();
        try (limited; ArtifactStore store = limited.open(Jobs.access(BUCKET, prefix + key, prefix + "out",
                null, Jobs.credentials("AKIDTEST"), Jobs.NO_REFRESH))) {
            assertThatThrownBy(() -> store.extractInput("src", target))
                    .isInstanceOfSatisfying(JobFailureException.class,
                            e -> assertThat(e.type()).isEqualTo(FailureType.JOB_FAILED))
                    .hasMessage(message);
        }
    }

    private ArtifactStore open(String inputName) {
        return factory.open(Jobs.access(BUCKET, prefix + inputName, prefix + "out.zip", null,
                Jobs.credentials("AKIDTEST"), Jobs.NO_REFRESH));
    }

    private void put(String name, byte[] content) {
        verifier.putObject(b -> b.bucket(BUCKET).key(prefix + name), RequestBody.fromBytes(content));
    }

    /** A zip of entries whose content is their name, written to a file so that no entry has a data descriptor. */
    private byte[] zipOf(String... names) throws IOException {
        Path file = Files.createTempFile(temp, "zip-", ".zip");
        try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(file)) {
            for (String name : names) {
                out.putArchiveEntry(new ZipArchiveEntry(name));
                out.write(name.getBytes(StandardCharsets.UTF_8));
                out.closeArchiveEntry();
            }
        }
        return Files.readAllBytes(file);
    }

    /** Where {@code text} first stands: an entry's name stands first in its local header, before the directory. */
    private static int indexOf(byte[] zip, String text) {
        byte[] wanted = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i + wanted.length <= zip.length; i++) {
            if (Arrays.equals(zip, i, i + wanted.length, wanted, 0, wanted.length)) {
                return i;
            }
        }
        throw new AssertionError("no " + text);
    }
}

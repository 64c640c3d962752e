package dev.pipelineworker.internal.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobFailureException;
import dev.pipelineworker.ZipLimits;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ZipArchivesTest {

    @TempDir
    Path base;
    Path archive;
    Path target;

    @BeforeEach
    void paths() {
        archive = base.resolve("in.zip");
        target = base.resolve("work/target");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../evil.txt", "a/../../evil.txt", "/tmp/pw-evil.txt", "..\\evil.txt", "C:/evil.txt",
            "./../evil.txt"})
    void refusesEntriesThatEscapeTheTarget(String name) throws IOException {
        zip(new Entry("ok.txt", "fine"), new Entry(name, "pwned"));

        assertThatThrownBy(() -> extract(ZipLimits.defaults()))
                .isInstanceOf(JobFailureException.class)
                .hasMessageContaining("input artifact 'src'")
                .satisfies(e -> assertThat(((JobFailureException) e).type()).isEqualTo(FailureType.JOB_FAILED));
        assertNothingOutsideTarget();
        assertThat(Path.of("/tmp/pw-evil.txt")).doesNotExist();
    }

    @ParameterizedTest
    @ValueSource(strings = {"../../outside", "/etc", "sub/../../..", "sub/../..", ".."})
    void refusesSymlinksPointingOut(String link) throws IOException {
        zip(Entry.symlink("escape", link));

        assertThatThrownBy(() -> extract(ZipLimits.defaults()))
                .isInstanceOf(JobFailureException.class)
                .hasMessageContaining("'escape'");
        assertThat(target.resolve("escape")).doesNotExist();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "in\\side", "in\u0000side"})
    void refusesSymlinkTargetsThatAreEmptyOrHoldABackslashOrNul(String link) throws IOException {
        zip(Entry.symlink("link", link));

        assertThatThrownBy(() -> extract(ZipLimits.defaults()))
                .isInstanceOf(JobFailureException.class)
                .hasMessage("input artifact 'src' has a symlink pointing outside the target directory: 'link'");
        assertThat(target.resolve("link")).doesNotExist();
    }

    @Test
    void refusesASymlinkTargetLongerThanLinuxAllows() throws IOException {
        zip(Entry.symlink("link", "a/".repeat(2049)));

        assertThatThrownBy(() -> extract(ZipLimits.defaults()))
                .isInstanceOf(JobFailureException.class)
                .hasMessage("input artifact 'src' has a symlink whose target is longer than 4096 bytes: 'link'");
    }

    @Test
    void refusesDotDotAfterASymlinkThatLexicalNormalisationWouldMiss() throws IOException {
        // "s/../x" normalises to "x", but the file system resolves it through s, which points at the target.
        zip(Entry.symlink("s", "."), Entry.symlink("y", "s/../outside"));

        assertThatThrownBy(() -> extract(ZipLimits.defaults()))
                .isInstanceOf(JobFailureException.class)
                .hasMessageContaining("'y'");
        assertThat(target.resolve("y")).doesNotExist();
    }

    @Test
    void refusesWritingThroughASymlinkThatPointsOut() throws IOException {
        Path outside = Files.createDirectories(base.resolve("outside"));
        Files.createDirectories(target);
        Files.createSymbolicLink(target.resolve("pre"), outside);
        zip(new Entry("pre/sub/file.txt", "pwned"));

        assertThatThrownBy(() -> extract(ZipLimits.defaults()))
                .isInstanceOf(JobFailureException.class)
                .hasMessageContaining("through a symlink");
        try (Stream<Path> files = Files.list(outside)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void refusesAFileOrSymlinkThatWouldReplaceADirectoryAndKeepsTheDirectory() throws IOException {
        for (Entry replacing : new Entry[] {new Entry("a", "file over a directory"), Entry.symlink("a", "other")}) {
            zip(new Entry("a/b.txt", "inside"), replacing);

            assertThatThrownBy(() -> extract(ZipLimits.defaults()))
                    .isInstanceOf(JobFailureException.class)
                    .hasMessageContaining("would replace a directory: 'a'");
            assertThat(target.resolve("a/b.txt")).hasContent("inside");
        }
    }

    @Test
    void aLaterFileReplacesAnEarlierOneOfTheSameName() throws IOException {
        zip(new Entry("a.txt", "first"), new Entry("a.txt", "second"));

        extract(ZipLimits.defaults());

        assertThat(target.resolve("a.txt")).hasContent("second");
    }

    @Test
    void refusesAnEntryOverAFileInPlaceOfADirectory() throws IOException {
        zip(new Entry("a", "file"), new Entry("a/b.txt", "below a file"));

        assertThatThrownBy(() -> extract(ZipLimits.defaults()))
                .isInstanceOf(JobFailureException.class)
                .hasMessageContaining("not a directory");
    }

    @Test
    void acceptsSymlinksInsideTheTarget() throws IOException {
        zip(new Entry("lib/real.txt", "real"), Entry.symlink("bin/link", "../lib/real.txt"), Entry.symlink("here", "."));

        extract(ZipLimits.defaults());

        assertThat(Files.readSymbolicLink(target.resolve("bin/link"))).isEqualTo(Path.of("../lib/real.txt"));
        assertThat(target.resolve("bin/link")).hasContent("real");
        assertThat(target.resolve("here/lib/real.txt")).hasContent("real");
    }

    @Test
    void acceptsDotSlashPrefixes() throws IOException {
        zip(Entry.directory("./", 0755), Entry.directory("./a/", 0755), new Entry("./a/b.txt", "b"), new Entry("././c.txt", "c"),
                new Entry("d/./e.txt", "e"));

        extract(ZipLimits.defaults());

        assertThat(target.resolve("a/b.txt")).hasContent("b");
        assertThat(target.resolve("c.txt")).hasContent("c");
        assertThat(target.resolve("d/e.txt")).hasContent("e");
        assertNothingOutsideTarget();
    }

    @Test
    void stopsABombByEntryRatio() throws IOException {
        zip(new Entry("zeros.bin", new byte[32 << 20]));
        assertThat(Files.size(archive)).isLessThan(100_000);

        assertThatThrownBy(() -> extract(ZipLimits.defaults()))
                .isInstanceOf(JobFailureException.class)
                .hasMessageContaining("expands more than 200:1");
        assertThat(target.resolve("zeros.bin")).as("refused from the directory's sizes").doesNotExist();
    }

    @Test
    void stopsABombWhoseDirectoryUnderstatesItsSizeAsItIsWritten() throws IOException {
        zip(new Entry("zeros.bin", new byte[32 << 20]));
        byte[] bytes = Files.readAllBytes(archive);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(ZipBytes.centralHeader(bytes, 0) + 24, 1000);
        Files.write(archive, bytes);

        assertThatThrownBy(() -> extract(ZipLimits.defaults()))
                .isInstanceOf(JobFailureException.class)
                .hasMessage("input artifact 'src' entry 'zeros.bin' expands more than 200:1 "
                        + "(ZipLimits.maxCompressionRatio)");
        assertThat(Files.size(target.resolve("zeros.bin"))).isGreaterThan(200 * Files.size(archive) - (64 << 10))
                .isLessThanOrEqualTo(200 * Files.size(archive) + (64 << 10));
    }

    @Test
    void stopsAtTheTotalSizeLimitWhenTheDirectoryUnderstatesIt() throws IOException {
        byte[] random = new byte[600];
        new Random(1).nextBytes(random);
        zip(new Entry("a.bin", random), new Entry("b.bin", random));
        byte[] bytes = Files.readAllBytes(archive);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(ZipBytes.centralHeader(bytes, 1) + 24, 1);
        Files.write(archive, bytes);

        assertThatThrownBy(() -> extract(ZipLimits.defaults().withMaxTotalUncompressedBytes(1000)))
                .isInstanceOf(JobFailureException.class)
                .hasMessage("input artifact 'src' expands to more than 1000 bytes (ZipLimits.maxTotalUncompressedBytes)");
        assertThat(target.resolve("a.bin")).hasBinaryContent(random);
    }

    @Test
    void stopsABombOfManySmallEntriesByArchiveRatio() throws IOException {
        Entry[] entries = new Entry[64];
        for (int i = 0; i < entries.length; i++) {
            entries[i] = new Entry("part-" + i + ".bin", new byte[512 << 10]);
        }
        zip(entries);

        assertThatThrownBy(() -> extract(ZipLimits.defaults()))
                .isInstanceOf(JobFailureException.class)
                .hasMessageContaining("ZipLimits.maxCompressionRatio");
        try (Stream<Path> files = Files.list(target)) {
            long written = files.mapToLong(f -> f.toFile().length()).sum();
            assertThat(written).isLessThan(200 * Files.size(archive) + (512 << 10));
        }
    }

    @Test
    void checksNoRatioUpToTheFirstMebibyte() throws IOException {
        zip(new Entry("zeros.bin", new byte[(int) ZipLimits.RATIO_CHECK_THRESHOLD_BYTES]));
        assertThat(Files.size(archive)).as("far more than 200:1").isLessThan(ZipLimits.RATIO_CHECK_THRESHOLD_BYTES / 200);

        extract(ZipLimits.defaults());

        assertThat(Files.size(target.resolve("zeros.bin"))).isEqualTo(ZipLimits.RATIO_CHECK_THRESHOLD_BYTES);
    }

    @Test
    void anEntryThatExpandsExactlyToTheRatioIsExtractedAndOneStepMoreIsRefused() throws IOException {
        zip(new Entry("zeros.bin", new byte[2 << 20]));
        int ratio = (int) ((2 << 20) / compressedSize("zeros.bin"));

        assertThatThrownBy(() -> extract(ZipLimits.defaults().withMaxCompressionRatio(ratio - 1)))
                .isInstanceOf(JobFailureException.class)
                .hasMessage("input artifact 'src' entry 'zeros.bin' expands more than " + (ratio - 1)
                        + ":1 (ZipLimits.maxCompressionRatio)");
        target = base.resolve("work/again");
        extract(ZipLimits.defaults().withMaxCompressionRatio(ratio));

        assertThat(Files.size(target.resolve("zeros.bin"))).isEqualTo(2 << 20);
    }

    @Test
    void anArchiveThatExpandsExactlyToTheRatioIsExtractedAndOneStepMoreIsRefused() throws IOException {
        Entry[] entries = new Entry[4];
        for (int i = 0; i < entries.length; i++) {
            entries[i] = new Entry("part-" + i + ".bin", new byte[512 << 10]);
        }
        zip(entries);
        int ratio = (int) ((2 << 20) / Files.size(archive));

        assertThatThrownBy(() -> extract(ZipLimits.defaults().withMaxCompressionRatio(ratio - 1)))
                .isInstanceOf(JobFailureException.class)
                .hasMessageContaining("expands more than " + (ratio - 1) + ":1 (ZipLimits.maxCompressionRatio)");
        target = base.resolve("work/again");
        extract(ZipLimits.defaults().withMaxCompressionRatio(ratio));

        assertThat(target.resolve("part-3.bin")).hasSize(512 << 10);
    }

    @Test
    void extractsExactlyAsManyEntriesAndBytesAsTheLimitsAllow() throws IOException {
        byte[] random = new byte[100];
        new Random(3).nextBytes(random);
        Entry[] entries = new Entry[10];
        for (int i = 0; i < entries.length; i++) {
            entries[i] = new Entry("f" + i, random);
        }
        zip(entries);

        extract(ZipLimits.defaults().withMaxEntries(10).withMaxTotalUncompressedBytes(1000));

        assertThat(target.resolve("f9")).hasBinaryContent(random);
    }

    @Test
    void stopsABombByEntryCount() throws IOException {
        Entry[] entries = new Entry[11];
        for (int i = 0; i < entries.length; i++) {
            entries[i] = new Entry("f" + i, "x");
        }
        zip(entries);

        assertThatThrownBy(() -> extract(ZipLimits.defaults().withMaxEntries(10)))
                .isInstanceOf(JobFailureException.class)
                .hasMessageContaining("more than 10 entries");
        assertThat(target.resolve("f10")).doesNotExist();
    }

    @Test
    void stopsAtTheTotalSizeLimit() throws IOException {
        byte[] random = new byte[600];
        new Random(1).nextBytes(random);
        zip(new Entry("a.bin", random), new Entry("b.bin", random));

        assertThatThrownBy(() -> extract(ZipLimits.defaults().withMaxTotalUncompressedBytes(1000)))
                .isInstanceOf(JobFailureException.class)
                .hasMessageContaining("more than 1000 bytes");
    }

    @Test
    void namesTheArtifactWhenTheInputIsNotAZip() throws IOException {
        Files.writeString(archive, "this is plain text, not a zip archive\n".repeat(10));

        assertThatThrownBy(() -> extract(ZipLimits.defaults()))
                .isInstanceOf(JobFailureException.class)
                .hasMessageStartingWith("input artifact 'src' is not a zip archive");
    }

    @Test
    void namesTheArtifactWhenTheInputIsEmpty() throws IOException {
        Files.write(archive, new byte[0]);

        assertThatThrownBy(() -> extract(ZipLimits.defaults()))
                .isInstanceOf(JobFailureException.class)
                .hasMessageStartingWith("input artifact 'src' is not a zip archive");
    }

    @Test
    void roundTripKeepsContentPermissionsSymlinksAndEmptyDirectories() throws IOException {
        Path source = Files.createDirectories(base.resolve("source"));
        Files.createDirectories(source.resolve("bin"));
        Files.createDirectories(source.resolve("deep/er/est"));
        Files.createDirectories(source.resolve("empty"));
        Files.writeString(source.resolve("bin/run.sh"), "#!/bin/sh\necho hi\n");
        Files.writeString(source.resolve("secret.txt"), "s");
        Files.writeString(source.resolve("readonly.txt"), "r");
        Files.writeString(source.resolve("deep/er/est/leaf.txt"), "leaf");
        Files.createSymbolicLink(source.resolve("bin/leaf"), Path.of("../deep/er/est/leaf.txt"));
        chmod(source.resolve("bin/run.sh"), "rwxr-x---");
        chmod(source.resolve("secret.txt"), "rw-------");
        chmod(source.resolve("readonly.txt"), "r--r--r--");
        chmod(source.resolve("deep"), "rwx------");
        chmod(source.resolve("empty"), "r-xr-xr-x");

        ZipArchives.zipDirectory(source, archive);
        extract(ZipLimits.defaults());

        assertThat(target.resolve("bin/run.sh")).hasContent("#!/bin/sh\necho hi");
        assertThat(target.resolve("deep/er/est/leaf.txt")).hasContent("leaf");
        assertThat(mode(target.resolve("bin/run.sh"))).isEqualTo("rwxr-x---");
        assertThat(mode(target.resolve("secret.txt"))).isEqualTo("rw-------");
        assertThat(mode(target.resolve("readonly.txt"))).isEqualTo("r--r--r--");
        assertThat(mode(target.resolve("deep"))).isEqualTo("rwx------");
        assertThat(mode(target.resolve("empty"))).isEqualTo("r-xr-xr-x");
        assertThat(Files.isSymbolicLink(target.resolve("bin/leaf"))).isTrue();
        assertThat(Files.readSymbolicLink(target.resolve("bin/leaf"))).isEqualTo(Path.of("../deep/er/est/leaf.txt"));
        assertThat(target.resolve("empty")).isEmptyDirectory();
        chmod(target.resolve("empty"), "rwxr-xr-x");
    }

    @Test
    void incompressibleFilesAreStoredAndTextIsDeflatedAndBothRoundTrip() throws IOException {
        Path source = Files.createDirectories(base.resolve("mixed"));
        byte[] random = new byte[200_000];
        new Random(7).nextBytes(random);
        Files.write(source.resolve("already.zip"), random);
        Files.writeString(source.resolve("notes.txt"), "compressible text\n".repeat(20_000));

        ZipArchives.zipDirectory(source, archive);

        try (org.apache.commons.compress.archivers.zip.ZipFile zip =
                     org.apache.commons.compress.archivers.zip.ZipFile.builder().setPath(archive).get()) {
            assertThat(zip.getEntry("already.zip").getMethod()).isEqualTo(java.util.zip.ZipEntry.STORED);
            assertThat(zip.getEntry("notes.txt").getMethod()).isEqualTo(java.util.zip.ZipEntry.DEFLATED);
        }
        extract(ZipLimits.defaults());
        assertThat(Files.readAllBytes(target.resolve("already.zip"))).isEqualTo(random);
        assertThat(target.resolve("notes.txt")).hasContent("compressible text\n".repeat(20_000).strip());
    }

    @Test
    void directoryModesAreAppliedAfterTheirEntriesAreWritten() throws IOException {
        zip(Entry.directory("ro/", 0555), new Entry("ro/inside.txt", "written"));

        extract(ZipLimits.defaults());

        assertThat(target.resolve("ro/inside.txt")).hasContent("written");
        assertThat(mode(target.resolve("ro"))).isEqualTo("r-xr-xr-x");
        chmod(target.resolve("ro"), "rwxr-xr-x");
    }

    private void extract(ZipLimits limits) throws IOException {
        ZipArchives.extract(archive, target, limits, "src");
    }

    private long compressedSize(String entry) throws IOException {
        try (org.apache.commons.compress.archivers.zip.ZipFile zip =
                     org.apache.commons.compress.archivers.zip.ZipFile.builder().setPath(archive).get()) {
            return zip.getEntry(entry).getCompressedSize();
        }
    }

    private void assertNothingOutsideTarget() throws IOException {
        try (Stream<Path> all = Files.list(base)) {
            assertThat(all).containsExactlyInAnyOrder(archive, base.resolve("work"));
        }
        try (Stream<Path> all = Files.list(base.resolve("work"))) {
            assertThat(all).containsExactly(target);
        }
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    private static void chmod(Path path, String mode) throws IOException {
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
    }

    private void zip(Entry... entries) throws IOException {
        try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(archive)) {
            for (Entry entry : entries) {
                ZipArchiveEntry zipEntry = new ZipArchiveEntry(entry.name);
                zipEntry.setUnixMode(entry.mode);
                out.putArchiveEntry(zipEntry);
                if (entry.content != null) {
                    out.write(entry.content);
                }
                out.closeArchiveEntry();
            }
        }
    }

    /** An archive entry as a test wants it, including ones no honest zip tool would write. */
    private record Entry(String name, byte[] content, int mode) {
        Entry(String name, String content) {
            this(name, content.getBytes(StandardCharsets.UTF_8), 0100644);
        }

        Entry(String name, byte[] content) {
            this(name, content, 0100644);
        }

        static Entry symlink(String name, String target) {
            return new Entry(name, target.getBytes(StandardCharsets.UTF_8), 0120777);
        }

        static Entry directory(String name, int mode) {
            return new Entry(name, null, 040000 | mode);
        }
    }

}

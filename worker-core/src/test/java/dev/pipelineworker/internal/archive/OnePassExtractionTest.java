package dev.pipelineworker.internal.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobFailureException;
import dev.pipelineworker.ZipLimits;
import dev.pipelineworker.internal.archive.ZipCentralDirectory.Found;
import dev.pipelineworker.internal.archive.ZipCentralDirectory.Lookup;
import dev.pipelineworker.internal.archive.ZipCentralDirectory.NeedsBytesFrom;
import dev.pipelineworker.internal.archive.ZipCentralDirectory.Unusable;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import org.apache.commons.compress.archivers.zip.Zip64Mode;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The central directory read from an object's tail, and the one-pass extraction it allows: the same
 * result and the same refusals as from a file, and a disagreement between the directory and the
 * stream abandons the pass without leaving what it wrote.
 */
class OnePassExtractionTest {

    private static final ZipLimits LIMITS = ZipLimits.defaults();

    @TempDir
    Path base;
    Path target;

    @BeforeEach
    void paths() {
        target = base.resolve("work/target");
    }

    @Test
    void extractsWhatTheFileBasedPathExtracts() throws IOException {
        byte[] random = new byte[300_000];
        new Random(7).nextBytes(random);
        byte[] zip = zip(false, out -> {
            directory(out, "bin/", 0750);
            file(out, "bin/tool.sh", "#!/bin/sh\n".getBytes(StandardCharsets.UTF_8), 0754, ZipEntry.DEFLATED);
            file(out, "data/random.bin", random, 0644, ZipEntry.STORED);
            file(out, "data/text.txt", "text ".repeat(10_000).getBytes(StandardCharsets.UTF_8), 0600,
                    ZipEntry.DEFLATED);
            symlink(out, "data/link", "text.txt");
            directory(out, "empty/", 0755);
        });

        extractInOnePass(zip, target);
        Path fromFile = base.resolve("from-file");
        Files.write(base.resolve("in.zip"), zip);
        ZipArchives.extract(base.resolve("in.zip"), fromFile, LIMITS, "src");

        for (String name : List.of("bin/tool.sh", "data/random.bin", "data/text.txt")) {
            assertThat(target.resolve(name)).hasSameBinaryContentAs(fromFile.resolve(name));
            assertThat(mode(target.resolve(name))).isEqualTo(mode(fromFile.resolve(name)));
        }
        assertThat(mode(target.resolve("bin/tool.sh"))).isEqualTo("rwxr-xr--");
        assertThat(mode(target.resolve("bin"))).isEqualTo("rwxr-x---");
        assertThat(Files.readSymbolicLink(target.resolve("data/link"))).isEqualTo(Path.of("text.txt"));
        assertThat(target.resolve("empty")).isEmptyDirectory();
    }

    @Test
    void entriesWithDataDescriptorsAreVerifiedFromTheDirectory() throws IOException {
        byte[] zip = zip(true, out -> {
            file(out, "a.txt", "alpha ".repeat(1000).getBytes(StandardCharsets.UTF_8), 0644, ZipEntry.DEFLATED);
            file(out, "b.txt", "beta".getBytes(StandardCharsets.UTF_8), 0644, ZipEntry.DEFLATED);
        });
        assertThat(localFlags(zip, 0) & 8).as("written with a data descriptor").isEqualTo(8);

        extractInOnePass(zip, target);

        assertThat(target.resolve("a.txt")).hasContent("alpha ".repeat(1000));
        assertThat(target.resolve("b.txt")).hasContent("beta");
    }

    @Test
    void zip64RecordsAreRead() throws IOException {
        byte[] zip = zip64(out -> file(out, "a.txt", "alpha".getBytes(StandardCharsets.UTF_8), 0644,
                ZipEntry.DEFLATED));

        extractInOnePass(zip, target);

        assertThat(target.resolve("a.txt")).hasContent("alpha");
    }

    @Test
    void aDirectoryLongerThanTheTailAsksForTheBytesBeforeIt() throws IOException {
        byte[] zip = zip(false, out -> {
            for (int i = 0; i < 1500; i++) {
                file(out, "some/rather/long/directory/name/for/entry-" + "x".repeat(60) + i, new byte[0], 0644,
                        ZipEntry.STORED);
            }
        });
        int tailStart = zip.length - ZipCentralDirectory.TAIL_BYTES;

        Lookup first = ZipCentralDirectory.read(zip.length, tailStart, Arrays.copyOfRange(zip, tailStart, zip.length),
                LIMITS);

        assertThat(first).isInstanceOf(NeedsBytesFrom.class);
        long position = ((NeedsBytesFrom) first).position();
        assertThat(position).isLessThan(tailStart);
        Lookup second = ZipCentralDirectory.read(zip.length, position,
                Arrays.copyOfRange(zip, (int) position, zip.length), LIMITS);
        assertThat(second).isInstanceOf(Found.class);
        ZipCentralDirectory directory = ((Found) second).directory();
        assertThat(directory.size()).isEqualTo(1500);
        assertThat(directory.entriesEnd()).isEqualTo(position);
        assertThat(directory.objectSize()).isEqualTo(zip.length);
    }

    @Test
    void aDirectoryLargerThanTheBoundIsUnusable() throws IOException {
        byte[] zip = zip(false, out -> {
            for (int i = 0; i < 200; i++) {
                file(out, "entry-" + "y".repeat(1000) + i, new byte[0], 0644, ZipEntry.STORED);
            }
        });
        ZipLimits few = LIMITS.withMaxEntries(10);
        int tailStart = zip.length - ZipCentralDirectory.TAIL_BYTES;

        Lookup lookup = ZipCentralDirectory.read(zip.length, tailStart, Arrays.copyOfRange(zip, tailStart, zip.length),
                few);

        assertThat(ZipCentralDirectory.maxDirectoryBytes(few)).isEqualTo(10 * 1024 + ZipCentralDirectory.TAIL_BYTES);
        assertThat(ZipCentralDirectory.maxDirectoryBytes(LIMITS)).isEqualTo(16L << 20);
        assertThat(lookup).isInstanceOfSatisfying(Unusable.class,
                u -> assertThat(u.reason()).contains("larger than " + (10 * 1024 + ZipCentralDirectory.TAIL_BYTES)));
    }

    @Test
    void bytesThatAreNotAZipOrNotTheTailAreUnusable() {
        byte[] text = "certainly not a zip".getBytes(StandardCharsets.UTF_8);

        assertThat(ZipCentralDirectory.read(text.length, 0, text, LIMITS)).isInstanceOfSatisfying(Unusable.class,
                u -> assertThat(u.reason()).startsWith("its end holds no central directory"));
        assertThat(ZipCentralDirectory.read(text.length + 1, 0, text, LIMITS)).isInstanceOfSatisfying(Unusable.class,
                u -> assertThat(u.reason()).isEqualTo("the bytes read are not the object's tail"));
        assertThat(ZipCentralDirectory.read(text.length - 1, -1, text, LIMITS)).isInstanceOfSatisfying(Unusable.class,
                u -> assertThat(u.reason()).isEqualTo("the bytes read are not the object's tail"));
    }

    @Test
    void entriesTheStreamCannotVerifyAreUnusable() throws IOException {
        byte[] bzip = zip(false, out -> file(out, "a.txt", "a".getBytes(StandardCharsets.UTF_8), 0644,
                ZipEntry.STORED));
        setCentralField(bzip, 10, (short) 12);
        byte[] encrypted = zip(false, out -> file(out, "a.txt", "a".getBytes(StandardCharsets.UTF_8), 0644,
                ZipEntry.STORED));
        setCentralField(encrypted, 8, (short) 1);
        byte[] twoEntries = zip(false, out -> {
            file(out, "a.txt", "a".getBytes(StandardCharsets.UTF_8), 0644, ZipEntry.STORED);
            file(out, "b.txt", "b".getBytes(StandardCharsets.UTF_8), 0644, ZipEntry.STORED);
        });
        byte[] reordered = twoEntries.clone();
        int second = ZipBytes.centralHeader(reordered, 1);
        ByteBuffer.wrap(reordered).order(ByteOrder.LITTLE_ENDIAN).putInt(second + 42, 0);

        assertThat(reason(bzip)).isEqualTo("entry 'a.txt' uses compression method 12");
        assertThat(reason(encrypted)).isEqualTo("entry 'a.txt' is encrypted");
        assertThat(reason(reordered)).isEqualTo("its entries are not stored in the order of the directory");
    }

    @Test
    void aLocalHeaderWithAnotherNameAbandonsThePassAndRemovesWhatItWrote() throws IOException {
        Files.createDirectories(target);
        Files.writeString(target.resolve("kept.txt"), "there before");
        byte[] zip = zip(false, out -> {
            file(out, "first/a.txt", "a".getBytes(StandardCharsets.UTF_8), 0644, ZipEntry.DEFLATED);
            file(out, "first/deeper/b.txt", "b".getBytes(StandardCharsets.UTF_8), 0644, ZipEntry.STORED);
            file(out, "second.txt", "2".getBytes(StandardCharsets.UTF_8), 0644, ZipEntry.STORED);
        });
        int local = ZipBytes.localHeader(zip, 2);
        zip[local + 30] = 'X';

        assertThatThrownBy(() -> extractInOnePass(zip, target))
                .isInstanceOf(OnePassAbandonedException.class)
                .hasMessage("the local header of entry 'second.txt' disagrees with the central directory: another name");

        assertThat(listing(target)).containsExactly("kept.txt");
        assertThat(target.resolve("kept.txt")).hasContent("there before");
    }

    @Test
    void dataThatDoesNotMatchItsCrcAbandonsThePass() throws IOException {
        byte[] zip = zip(false, out -> file(out, "a.bin", new byte[100], 0644, ZipEntry.STORED));
        zip[ZipBytes.dataOffset(zip, 0) + 50] = 1;

        assertThatThrownBy(() -> extractInOnePass(zip, target))
                .isInstanceOf(OnePassAbandonedException.class)
                .hasMessage("entry 'a.bin' holds other data than the central directory says");
        assertThat(listing(target)).isEmpty();
    }

    @Test
    void aDirectoryThatUnderstatesASizeAbandonsThePass() throws IOException {
        byte[] zip = zip(false, out -> file(out, "a.txt", "aaaa".repeat(100).getBytes(StandardCharsets.UTF_8), 0644,
                ZipEntry.DEFLATED));
        ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN).putInt(ZipBytes.centralHeader(zip, 0) + 24, 10);

        assertThatThrownBy(() -> extractInOnePass(zip, target))
                .isInstanceOf(OnePassAbandonedException.class)
                .hasMessageContaining("entry 'a.txt'");
        assertThat(listing(target)).isEmpty();
    }

    @Test
    void dataThatDoesNotInflateAbandonsThePass() throws IOException {
        byte[] zip = zip(false, out -> file(out, "a.txt", "abc".repeat(1000).getBytes(StandardCharsets.UTF_8), 0644,
                ZipEntry.DEFLATED));
        int data = ZipBytes.dataOffset(zip, 0);
        Arrays.fill(zip, data, data + 8, (byte) 0xFF);

        assertThatThrownBy(() -> extractInOnePass(zip, target))
                .isInstanceOf(OnePassAbandonedException.class)
                .hasMessageStartingWith("entry 'a.txt' does not inflate");
        assertThat(listing(target)).isEmpty();
    }

    @Test
    void aBodyThatEndsEarlyAbandonsThePass() throws IOException {
        byte[] zip = zip(false, out -> {
            file(out, "a.txt", "a".getBytes(StandardCharsets.UTF_8), 0644, ZipEntry.STORED);
            file(out, "b.txt", "b".getBytes(StandardCharsets.UTF_8), 0644, ZipEntry.STORED);
        });
        ZipCentralDirectory directory = directory(zip);

        assertThatThrownBy(() -> ZipArchives.extract(directory,
                new ByteArrayInputStream(zip, 0, ZipBytes.localHeader(zip, 1) + 10), target, LIMITS, "src"))
                .isInstanceOf(OnePassAbandonedException.class)
                .hasMessage("the body ends inside the header of entry 'b.txt'");
        assertThat(listing(target)).isEmpty();
    }

    @Test
    void aBodyThatFailsAbandonsThePassNamingTheFailure() throws IOException {
        byte[] zip = zip(false, out -> file(out, "a.txt", "a".getBytes(StandardCharsets.UTF_8), 0644,
                ZipEntry.STORED));
        InputStream failing = new InputStream() {
            @Override
            public int read() {
                throw new IllegalStateException("connection lost");
            }
        };

        assertThatThrownBy(() -> ZipArchives.extract(directory(zip), failing, target, LIMITS, "src"))
                .isInstanceOf(OnePassAbandonedException.class)
                .hasMessage("the body could not be read to its end: IllegalStateException");
    }

    @Test
    void refusalsAreTheFileBasedPathsAndComeBeforeAnyData() throws IOException {
        byte[] escape = zip(false, out -> file(out, "../escaped.txt", new byte[1], 0644, ZipEntry.STORED));
        byte[] many = zip(false, out -> {
            for (int i = 0; i < 11; i++) {
                file(out, "f" + i, new byte[1], 0644, ZipEntry.STORED);
            }
        });
        byte[] bomb = zip(false, out -> file(out, "zeros.bin", new byte[32 << 20], 0644, ZipEntry.DEFLATED));
        byte[] symlinkOut = zip(false, out -> symlink(out, "link", "../../outside"));

        assertRefused(escape, LIMITS, "input artifact 'src' has an entry that escapes the target directory: "
                + "'../escaped.txt'");
        assertRefused(many, LIMITS.withMaxEntries(10), "input artifact 'src' has more than 10 entries "
                + "(ZipLimits.maxEntries)");
        assertRefused(bomb, LIMITS, "input artifact 'src' entry 'zeros.bin' expands more than 200:1 "
                + "(ZipLimits.maxCompressionRatio)");
        assertRefused(symlinkOut, LIMITS, "input artifact 'src' has a symlink pointing outside the target directory: "
                + "'link'");
        assertThat(listing(target)).isEmpty();
    }

    @Test
    void anEmptyZipExtractsToAnEmptyDirectory() throws IOException {
        byte[] zip = zip(false, out -> { });

        ZipArchives.extract(directory(zip), InputStream.nullInputStream(), target, LIMITS, "src");

        assertThat(target).isEmptyDirectory();
    }

    @Test
    void onlyTheEntryJustReadCanBeOpened() throws IOException {
        byte[] zip = zip(false, out -> file(out, "a.txt", "a".getBytes(StandardCharsets.UTF_8), 0644, ZipEntry.STORED));
        StreamedEntries entries = new StreamedEntries(directory(zip).entries(), new ByteArrayInputStream(zip));
        ZipArchiveEntry other = new ZipArchiveEntry("a.txt");

        assertThatThrownBy(() -> entries.open(other)).isInstanceOf(IllegalStateException.class);
        ZipArchiveEntry first = entries.next();
        try (InputStream in = entries.open(first)) {
            assertThat(in.read()).isEqualTo('a');
            assertThat(in.read()).isEqualTo(-1);
        }
        assertThat(entries.next()).isNull();
    }

    @ParameterizedTest
    @CsvSource({
        "0, 0, no local header at the directory's offset 0",
        "6, 1, encryption",
        "8, 8, another compression method",
        "14, -1, another CRC",
        "18, 7, another compressed size",
        "22, 7, another size",
    })
    void aLocalHeaderFieldThatDisagreesAbandonsThePass(int field, int value, String what) throws IOException {
        byte[] zip = twoStoredEntries();
        int local = ZipBytes.localHeader(zip, 0);
        ByteBuffer buffer = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        if (field == 6 || field == 8) {
            buffer.putShort(local + field, (short) value);
        } else {
            buffer.putInt(local + field, value);
        }

        assertThatThrownBy(() -> extractInOnePass(zip, target))
                .isInstanceOf(OnePassAbandonedException.class)
                .hasMessageEndingWith(what);
        assertThat(listing(target)).isEmpty();
    }

    @Test
    void zip64MarkersInALocalHeadersSizesDeferToTheDirectory() throws IOException {
        byte[] zip = twoStoredEntries();
        ByteBuffer buffer = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(ZipBytes.localHeader(zip, 0) + 18, -1);
        buffer.putInt(ZipBytes.localHeader(zip, 0) + 22, -1);

        extractInOnePass(zip, target);

        assertThat(target.resolve("a.txt")).hasContent("a");
        assertThat(target.resolve("b.txt")).hasContent("b");
    }

    @Test
    void anEntryThatOverlapsTheOneBeforeAbandonsThePass() throws IOException {
        byte[] zip = twoStoredEntries();
        ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN).putInt(ZipBytes.centralHeader(zip, 1) + 42, 1);

        assertThatThrownBy(() -> extractInOnePass(zip, target))
                .isInstanceOf(OnePassAbandonedException.class)
                .hasMessage("entry 'b.txt' overlaps the entry before it");
        assertThat(listing(target)).isEmpty();
    }

    @Test
    void anOffsetPastTheLocalHeaderAbandonsThePass() throws IOException {
        byte[] zip = twoStoredEntries();
        int second = ZipBytes.localHeader(zip, 1);
        ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN).putInt(ZipBytes.centralHeader(zip, 1) + 42, second + 1);

        assertThatThrownBy(() -> extractInOnePass(zip, target))
                .isInstanceOf(OnePassAbandonedException.class)
                .hasMessage("the local header of entry 'b.txt' disagrees with the central directory: "
                        + "no local header at the directory's offset " + (second + 1));
        assertThat(listing(target)).isEmpty();
    }

    @Test
    void anEntryThatStartsInsideTheDirectoryIsUnusable() throws IOException {
        byte[] zip = zip(false, out -> file(out, "a.txt", "a".getBytes(StandardCharsets.UTF_8), 0644,
                ZipEntry.STORED));
        int directoryStart = ZipBytes.centralHeader(zip, 0);
        ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN).putInt(directoryStart + 42, directoryStart - 29);

        assertThat(reason(zip)).isEqualTo("an entry starts inside the central directory");
    }

    @Test
    void dataLongerThanTheDirectorySaysAbandonsThePass() throws IOException {
        byte[] zip = zip(true, out -> file(out, "a.txt", "aaaa".repeat(100).getBytes(StandardCharsets.UTF_8), 0644,
                ZipEntry.DEFLATED));
        ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN).putInt(ZipBytes.centralHeader(zip, 0) + 24, 10);

        assertThatThrownBy(() -> extractInOnePass(zip, target))
                .isInstanceOf(OnePassAbandonedException.class)
                .hasMessage("entry 'a.txt' is longer than the central directory says");
        assertThat(listing(target)).isEmpty();
    }

    @Test
    void asManyEntriesAsTheLimitAreExtracted() throws IOException {
        byte[] zip = twoStoredEntries();
        ZipCentralDirectory directory = directory(zip);

        ZipArchives.extract(directory, new ByteArrayInputStream(zip), target, LIMITS.withMaxEntries(2), "src");

        assertThat(listing(target)).containsExactly("a.txt", "b.txt");
    }

    @Test
    void theTailChannelServesOnlyTheTail() throws IOException {
        byte[] tail = {1, 2, 3, 4};
        ZipCentralDirectory.TailChannel channel = new ZipCentralDirectory.TailChannel(10, 6, tail);
        ByteBuffer buffer = ByteBuffer.allocate(8);

        assertThat(channel.size()).isEqualTo(10);
        assertThat(channel.position(7)).isSameAs(channel);
        assertThat(channel.read(buffer)).isEqualTo(3);
        assertThat(Arrays.copyOf(buffer.array(), 3)).containsExactly(2, 3, 4);
        assertThat(channel.position()).isEqualTo(10);
        assertThat(channel.read(buffer)).isEqualTo(-1);
        channel.position(5);
        assertThatThrownBy(() -> channel.read(buffer)).isInstanceOfSatisfying(ZipCentralDirectory.BeforeTail.class,
                e -> assertThat(e.position).isEqualTo(5));
        assertThat(channel.isOpen()).isTrue();
        channel.close();
        assertThat(channel.isOpen()).isFalse();
    }

    private static byte[] twoStoredEntries() throws IOException {
        return zip(false, out -> {
            file(out, "a.txt", "a".getBytes(StandardCharsets.UTF_8), 0644, ZipEntry.STORED);
            file(out, "b.txt", "b".getBytes(StandardCharsets.UTF_8), 0644, ZipEntry.STORED);
        });
    }

    private void assertRefused(byte[] zip, ZipLimits limits, String message) {
        assertThatThrownBy(() -> ZipArchives.extract(directory(zip), new ByteArrayInputStream(zip), target, limits,
                "src"))
                .isInstanceOfSatisfying(JobFailureException.class,
                        e -> assertThat(e.type()).isEqualTo(FailureType.JOB_FAILED))
                .hasMessage(message);
    }

    private static String reason(byte[] zip) {
        Lookup lookup = ZipCentralDirectory.read(zip.length, 0, zip, LIMITS);
        assertThat(lookup).isInstanceOf(Unusable.class);
        return ((Unusable) lookup).reason();
    }

    private static void extractInOnePass(byte[] zip, Path target) throws IOException {
        ZipCentralDirectory directory = directory(zip);
        ZipArchives.extract(directory, new ByteArrayInputStream(zip, 0, (int) directory.entriesEnd()), target, LIMITS,
                "src");
    }

    private static ZipCentralDirectory directory(byte[] zip) {
        int tailStart = Math.max(0, zip.length - ZipCentralDirectory.TAIL_BYTES);
        Lookup lookup = ZipCentralDirectory.read(zip.length, tailStart, Arrays.copyOfRange(zip, tailStart, zip.length),
                LIMITS);
        assertThat(lookup).isInstanceOf(Found.class);
        return ((Found) lookup).directory();
    }

    private static List<String> listing(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return List.of();
        }
        try (Stream<Path> all = Files.walk(directory)) {
            return all.filter(p -> !p.equals(directory)).map(p -> directory.relativize(p).toString()).sorted().toList();
        }
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    private static int localFlags(byte[] zip, int index) {
        return ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN).getShort(ZipBytes.localHeader(zip, index) + 6);
    }

    private static void setCentralField(byte[] zip, int field, short value) {
        ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN).putShort(ZipBytes.centralHeader(zip, 0) + field, value);
    }

    /** Writes entries; {@code streamed} writes to a plain stream, so deflated entries get data descriptors. */
    private static byte[] zip(boolean streamed, Writer writer) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Path file = Files.createTempFile("one-pass-", ".zip");
        try {
            try (ZipArchiveOutputStream out = streamed ? new ZipArchiveOutputStream(bytes)
                    : new ZipArchiveOutputStream(file)) {
                writer.write(out);
            }
            return streamed ? bytes.toByteArray() : Files.readAllBytes(file);
        } finally {
            Files.delete(file);
        }
    }

    private static byte[] zip64(Writer writer) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(bytes)) {
            out.setUseZip64(Zip64Mode.Always);
            writer.write(out);
        }
        return bytes.toByteArray();
    }

    private static void file(ZipArchiveOutputStream out, String name, byte[] content, int mode, int method)
            throws IOException {
        ZipArchiveEntry entry = new ZipArchiveEntry(name);
        entry.setUnixMode(0100000 | mode);
        entry.setMethod(method);
        if (method == ZipEntry.STORED) {
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            crc.update(content);
            entry.setCrc(crc.getValue());
            entry.setSize(content.length);
        }
        out.putArchiveEntry(entry);
        out.write(content);
        out.closeArchiveEntry();
    }

    private static void symlink(ZipArchiveOutputStream out, String name, String link) throws IOException {
        ZipArchiveEntry entry = new ZipArchiveEntry(name);
        entry.setUnixMode(0120777);
        out.putArchiveEntry(entry);
        out.write(link.getBytes(StandardCharsets.UTF_8));
        out.closeArchiveEntry();
    }

    private static void directory(ZipArchiveOutputStream out, String name, int mode) throws IOException {
        ZipArchiveEntry entry = new ZipArchiveEntry(name);
        entry.setUnixMode(040000 | mode);
        out.putArchiveEntry(entry);
        out.closeArchiveEntry();
    }

    @FunctionalInterface
    private interface Writer {
        void write(ZipArchiveOutputStream out) throws IOException;
    }
}

package dev.pipelineworker.internal.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DirectoryZipperTest {

    private static final int CHUNK = ZipStreamWriter.CHUNK;
    private final ExecutorService pool = Executors.newFixedThreadPool(3);

    @TempDir
    Path base;

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 7, 42})
    void filesOfEverySizeRoundTripThroughJdkAndCommonsCompressReaders(long seed) throws IOException {
        Path tree = Files.createDirectories(base.resolve("tree"));
        Random random = new Random(seed);
        int[] sizes = {0, 1, 2, 4095, 4096, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK, 3 * CHUNK + 17,
            ChunkDeflater.WINDOW - 1, ChunkDeflater.WINDOW + 1};
        Map<String, byte[]> expected = new HashMap<>();
        for (int i = 0; i < sizes.length; i++) {
            byte[] text = sourceLike(random, sizes[i] + random.nextInt(3));
            expected.put("src/f" + i + ".java", text);
            byte[] noise = new byte[sizes[i]];
            random.nextBytes(noise);
            expected.put("bin/r" + i + ".bin", noise);
        }
        for (Map.Entry<String, byte[]> file : expected.entrySet()) {
            Files.createDirectories(tree.resolve(file.getKey()).getParent());
            Files.write(tree.resolve(file.getKey()), file.getValue());
        }

        byte[] zip = zip(tree, new DirectoryZipper(pool, 4));

        assertThat(readWithJdkStream(zip)).containsOnlyKeys(expected.keySet()).allSatisfy((name, bytes) ->
                assertThat(bytes).as(name).isEqualTo(expected.get(name)));
        assertThat(readWithCommonsStream(zip)).containsOnlyKeys(expected.keySet()).allSatisfy((name, bytes) ->
                assertThat(bytes).as(name).isEqualTo(expected.get(name)));
        Path archive = Files.write(base.resolve("out.zip"), zip);
        try (java.util.zip.ZipFile jdk = new java.util.zip.ZipFile(archive.toFile())) {
            for (Map.Entry<String, byte[]> file : expected.entrySet()) {
                ZipEntry entry = jdk.getEntry(file.getKey());
                assertThat(entry.getCrc()).as(file.getKey()).isEqualTo(crc(file.getValue()));
                assertThat(entry.getSize()).isEqualTo(file.getValue().length);
                try (InputStream in = jdk.getInputStream(entry)) {
                    assertThat(in.readAllBytes()).as(file.getKey()).isEqualTo(file.getValue());
                }
            }
        }
    }

    @Test
    void bigCompressibleFilesAreDeflatedInChunksAndIncompressibleOnesStored() throws IOException {
        Path tree = Files.createDirectories(base.resolve("tree"));
        byte[] text = sourceLike(new Random(3), 9 * CHUNK + 123);
        byte[] noise = new byte[3 * CHUNK];
        new Random(4).nextBytes(noise);
        Files.write(tree.resolve("Big.java"), text);
        Files.write(tree.resolve("noise.bin"), noise);

        Path archive = Files.write(base.resolve("out.zip"), zip(tree, new DirectoryZipper(pool, 4)));

        try (ZipFile zip = ZipFile.builder().setPath(archive).get()) {
            ZipArchiveEntry big = zip.getEntry("Big.java");
            assertThat(big.getMethod()).isEqualTo(ZipEntry.DEFLATED);
            assertThat(big.getCompressedSize()).isLessThan(text.length / 2);
            assertThat(big.getCrc()).isEqualTo(crc(text));
            assertThat(zip.getInputStream(big).readAllBytes()).isEqualTo(text);
            ZipArchiveEntry stored = zip.getEntry("noise.bin");
            assertThat(stored.getMethod()).isEqualTo(ZipEntry.STORED);
            assertThat(stored.getCompressedSize()).isEqualTo(noise.length);
            assertThat(zip.getInputStream(stored).readAllBytes()).isEqualTo(noise);
        }
    }

    @Test
    void theSameTreeGivesTheSameBytesOnOneThreadOrSeveral() throws IOException {
        Path tree = Files.createDirectories(base.resolve("tree"));
        Random random = new Random(11);
        for (int i = 0; i < 12; i++) {
            Files.write(tree.resolve("f" + i + ".txt"), sourceLike(random, random.nextInt(3 * CHUNK)));
        }
        Files.setLastModifiedTime(tree, FileTime.from(Instant.parse("2024-05-01T10:00:00Z")));

        byte[] parallel = zip(tree, new DirectoryZipper(pool, 6));
        byte[] again = zip(tree, new DirectoryZipper(pool, 2));
        byte[] single = zip(tree, DirectoryZipper.onCallingThread());

        assertThat(again).isEqualTo(parallel);
        assertThat(single).isEqualTo(parallel);
    }

    @Test
    void permissionsSymlinksAndDirectoriesSurviveExtraction() throws IOException {
        Path tree = Files.createDirectories(base.resolve("tree"));
        Files.createDirectories(tree.resolve("bin"));
        Files.createDirectories(tree.resolve("empty"));
        Files.writeString(tree.resolve("bin/run.sh"), "#!/bin/sh\necho hi\n");
        Files.setPosixFilePermissions(tree.resolve("bin/run.sh"), PosixFilePermissions.fromString("rwxr-x---"));
        Files.setPosixFilePermissions(tree.resolve("empty"), PosixFilePermissions.fromString("rwx------"));
        Files.createSymbolicLink(tree.resolve("link"), Path.of("bin/run.sh"));

        Path archive = Files.write(base.resolve("out.zip"), zip(tree, new DirectoryZipper(pool, 2)));

        try (ZipFile zip = ZipFile.builder().setPath(archive).get()) {
            assertThat(zip.getEntry("bin/run.sh").getUnixMode() & 0777).isEqualTo(0750);
            assertThat(zip.getEntry("bin/run.sh").getPlatform()).isEqualTo(ZipArchiveEntry.PLATFORM_UNIX);
            assertThat(zip.getEntry("empty/").isDirectory()).isTrue();
            assertThat(zip.getEntry("empty/").getUnixMode() & 0777).isEqualTo(0700);
            assertThat(zip.getEntry("link").isUnixSymlink()).isTrue();
            assertThat(zip.getUnixSymlink(zip.getEntry("link"))).isEqualTo("bin/run.sh");
        }
        Path target = base.resolve("extracted");
        ZipArchives.extract(archive, target, dev.pipelineworker.ZipLimits.defaults(), "out");
        assertThat(target.resolve("bin/run.sh")).hasContent("#!/bin/sh\necho hi");
        assertThat(Files.getPosixFilePermissions(target.resolve("bin/run.sh")))
                .isEqualTo(PosixFilePermissions.fromString("rwxr-x---"));
        Files.setPosixFilePermissions(tree.resolve("empty"), PosixFilePermissions.fromString("rwx------"));
        assertThat(Files.readSymbolicLink(target.resolve("link"))).isEqualTo(Path.of("bin/run.sh"));
    }

    @Test
    void anEmptyTreeIsAnEmptyZipAndAFileIsNotATree() throws IOException {
        Path tree = Files.createDirectories(base.resolve("tree"));

        byte[] zip = zip(tree, DirectoryZipper.onCallingThread());

        assertThat(zip).hasSize(22);
        assertThat(readWithJdkStream(zip)).isEmpty();
        Path file = Files.writeString(base.resolve("file"), "x");
        assertThatThrownBy(() -> zip(file, DirectoryZipper.onCallingThread()))
                .isInstanceOf(IOException.class).hasMessageContaining("not a directory");
    }

    @Test
    void theSizeBoundCoversTheArchive() throws IOException {
        Path tree = Files.createDirectories(base.resolve("tree"));
        byte[] noise = new byte[2 * CHUNK];
        new Random(5).nextBytes(noise);
        Files.write(tree.resolve("noise"), noise);
        Files.write(tree.resolve("text"), sourceLike(new Random(6), CHUNK));
        Files.write(tree.resolve("tiny"), new byte[] {1});

        assertThat(DirectoryZipper.sizeBound(tree)).isGreaterThanOrEqualTo(zip(tree, new DirectoryZipper(pool, 2)).length)
                .isLessThan(noise.length + CHUNK + 8192);
    }

    @Test
    void everyKindOfEntryKeepsItsTypeModeTimeAndCrc() throws IOException {
        Path tree = Files.createDirectories(base.resolve("tree"));
        Path dir = Files.createDirectories(tree.resolve("dir"));
        byte[] noise = new byte[100_000];
        new Random(8).nextBytes(noise);
        Path stored = Files.write(tree.resolve("stored.bin"), noise);
        Path deflated = Files.writeString(tree.resolve("text.txt"), "text ".repeat(10_000));
        Path old = Files.writeString(tree.resolve("old.txt"), "from before DOS time");
        Files.createSymbolicLink(tree.resolve("link"), Path.of("text.txt"));
        Files.setPosixFilePermissions(stored, PosixFilePermissions.fromString("rw-r-----"));
        Files.setPosixFilePermissions(deflated, PosixFilePermissions.fromString("rwx--x--x"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-x---"));
        FileTime noon = FileTime.from(Instant.parse("2023-06-15T12:34:56Z"));
        Files.setLastModifiedTime(stored, noon);
        Files.setLastModifiedTime(deflated, noon);
        Files.setLastModifiedTime(old, FileTime.from(Instant.parse("1970-01-02T00:00:00Z")));
        byte[] zip = zip(tree, new DirectoryZipper(pool, 1));
        Path archive = Files.write(base.resolve("out.zip"), zip);

        try (ZipFile read = ZipFile.builder().setPath(archive).get()) {
            assertThat(read.getEntry("stored.bin").getUnixMode()).isEqualTo(0100640);
            assertThat(read.getEntry("text.txt").getUnixMode()).isEqualTo(0100711);
            assertThat(read.getEntry("dir/").getUnixMode()).isEqualTo(040750);
            assertThat(read.getEntry("dir/").getExternalAttributes() & 0x10).isEqualTo(0x10);
            assertThat(read.getEntry("link").getUnixMode()).isEqualTo(0120777);
            assertThat(read.getEntry("link").getCrc()).isEqualTo(crc("text.txt".getBytes(StandardCharsets.UTF_8)));
            assertThat(read.getEntry("stored.bin").getCrc()).isEqualTo(crc(noise));
            assertThat(read.getEntry("stored.bin").getTime()).isEqualTo(noon.toMillis());
            assertThat(read.getEntry("text.txt").getTime()).isEqualTo(noon.toMillis());
            assertThat(java.time.LocalDateTime.ofInstant(read.getEntry("old.txt").getLastModifiedDate().toInstant(),
                    java.time.ZoneId.systemDefault())).isEqualTo("1980-01-01T00:00:00");
        }
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            int entries = 0;
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; entries++) {
                in.readAllBytes();
            }
            assertThat(entries).isEqualTo(5);
        }
    }

    /** APPNOTE 4.4.1.4: a count of 0xFFFF in the end record means "read the zip64 record", which must then exist. */
    @ParameterizedTest
    @ValueSource(ints = {0xFFFE, 0xFFFF, 0x10000})
    void anArchiveOf65535EntriesOrMoreCarriesTheZip64EndRecord(int count) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ZipStreamWriter writer = new ZipStreamWriter(bytes, pool, 1);
        FileTime noon = FileTime.from(Instant.parse("2023-06-15T12:00:00Z"));
        for (int i = 0; i < count; i++) {
            writer.directory("d" + i, 0755, noon);
        }
        writer.finish();
        byte[] zip = bytes.toByteArray();

        ByteBuffer buffer = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        int end = zip.length - 22;
        assertThat(buffer.getInt(end)).as("end of central directory").isEqualTo(0x06054b50);
        assertThat(buffer.getShort(end + 10) & 0xFFFF).as("its entry count").isEqualTo(Math.min(count, 0xFFFF));
        if (count >= 0xFFFF) {
            assertThat(buffer.getInt(end - 20)).as("zip64 end locator").isEqualTo(0x07064b50);
            int record = (int) buffer.getLong(end - 20 + 8);
            assertThat(buffer.getInt(record)).as("zip64 end record").isEqualTo(0x06064b50);
            assertThat(buffer.getLong(record + 32)).as("its entry count").isEqualTo(count);
        } else {
            assertThat(buffer.getInt(end - 20)).as("no zip64 end locator").isNotEqualTo(0x07064b50);
        }
        Path archive = Files.write(base.resolve("many.zip"), zip);
        try (ZipFile read = ZipFile.builder().setPath(archive).get();
             java.util.zip.ZipFile jdk = new java.util.zip.ZipFile(archive.toFile())) {
            assertThat(Collections.list(read.getEntries())).hasSize(count);
            assertThat(jdk.size()).isEqualTo(count);
            assertThat(read.getEntry("d" + (count - 1) + "/").isDirectory()).isTrue();
        }
    }

    @Test
    void atLeastOneChunkMustBeAllowedInFlight() {
        assertThatThrownBy(() -> new ZipStreamWriter(new ByteArrayOutputStream(), pool, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxChunksInFlight");
    }

    static byte[] sourceLike(Random random, int size) {
        String[] words = {"public", "final", "class", "return", "if", "(", ")", "{", "}", ";", "int", "String",
            "value", "count", "=", "+", "new", "this", "static", "void", "\n", "    ", "//", "for"};
        StringBuilder text = new StringBuilder(size + 16);
        while (text.length() < size) {
            text.append(words[random.nextInt(words.length)]).append(random.nextInt(5) == 0 ? "\n" : " ");
            if (random.nextInt(40) == 0) {
                text.append(random.nextLong());
            }
        }
        return text.substring(0, size).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] zip(Path tree, DirectoryZipper zipper) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        zipper.zip(tree, out);
        return out.toByteArray();
    }

    private static Map<String, byte[]> readWithJdkStream(byte[] zip) throws IOException {
        Map<String, byte[]> files = new HashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                if (!entry.isDirectory()) {
                    files.put(entry.getName(), in.readAllBytes());
                }
            }
        }
        return files;
    }

    private static Map<String, byte[]> readWithCommonsStream(byte[] zip) throws IOException {
        Map<String, byte[]> files = new HashMap<>();
        try (ZipArchiveInputStream in = new ZipArchiveInputStream(new ByteArrayInputStream(zip))) {
            for (ZipArchiveEntry entry; (entry = in.getNextEntry()) != null; ) {
                if (!entry.isDirectory()) {
                    files.put(entry.getName(), in.readAllBytes());
                }
            }
        }
        return files;
    }

    private static long crc(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return crc.getValue();
    }
}

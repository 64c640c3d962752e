package dev.pipelineworker.internal.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executor;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streamed writer on its own: its bound on chunks deflated ahead of the output (the memory it may hold), its
 * refusal of a stored file that changes between its two reads, the local headers a streaming reader relies on, and
 * the DOS time of a file from 1980.
 */
class ZipStreamWriterTest {

    private static final FileTime NOON = FileTime.from(LocalDateTime.parse("2023-06-15T12:00:00")
            .atZone(ZoneId.systemDefault()).toInstant());

    @TempDir
    Path temp;

    /** Each deflated chunk is one write of the output, and so is each header: counting writes counts chunks. */
    @Test
    void noMoreThanMaxChunksInFlightAreDeflatedAheadOfTheOutput() throws IOException {
        Path file = Files.write(temp.resolve("big.bin"), noise(5 * ZipStreamWriter.CHUNK));
        WriteCounter out = new WriteCounter();
        List<Integer> writesAtEachChunk = new ArrayList<>();
        Executor recording = task -> {
            writesAtEachChunk.add(out.writes);
            task.run();
        };
        ZipStreamWriter writer = new ZipStreamWriter(out, recording, 2);

        writer.deflatedFile("big.bin", 0644, NOON, file);

        // Chunks 1-3 are handed out before anything is written; the third one over the bound writes the header
        // and chunk 1, the fourth writes chunk 2, the fifth chunk 3: two chunks in flight at each hand-off.
        assertThat(writesAtEachChunk).containsExactly(0, 0, 0, 2, 3);
        writer.finish();
        assertThat(unzip(out.bytes.toByteArray())).containsExactly("big.bin");
    }

    @Test
    void aStoredFileThatGrowsShrinksOrChangesBetweenItsTwoReadsFailsTheArchive() throws IOException {
        byte[] content = "the content read for its CRC".getBytes(StandardCharsets.UTF_8);
        // A whole number of the writer's 64 KiB reads, so that the byte it grew by is a read of its own.
        Path grown = Files.write(temp.resolve("grown.txt"), noise(64 * 1024));
        Path shrunk = Files.write(temp.resolve("shrunk.txt"), content);
        Path changed = Files.write(temp.resolve("changed.txt"), content);

        assertThatThrownBy(() -> storeWhileChanging(grown, () -> Files.write(grown, "!".getBytes(
                StandardCharsets.UTF_8), StandardOpenOption.APPEND)))
                .isInstanceOf(IOException.class).hasMessage("'grown.txt' changed while it was being zipped");
        assertThatThrownBy(() -> storeWhileChanging(shrunk, () -> Files.write(shrunk, new byte[3])))
                .isInstanceOf(IOException.class).hasMessage("'shrunk.txt' changed while it was being zipped");
        byte[] sameLength = content.clone();
        sameLength[0] ^= 1;
        assertThatThrownBy(() -> storeWhileChanging(changed, () -> Files.write(changed, sameLength)))
                .isInstanceOf(IOException.class).hasMessage("'changed.txt' changed while it was being zipped");
    }

    /**
     * APPNOTE 4.4.4: with a data descriptor (bit 3) the local header's CRC and sizes are zero; an entry stored in
     * the stream has them in its local header, which is what a streaming reader needs to find its end.
     */
    @Test
    void aDeflatedEntrysLocalHeaderDefersItsCrcAndSizesAndAStoredOnesCarriesThem() throws IOException {
        Path deflated = Files.writeString(temp.resolve("text.txt"), "text ".repeat(1000));
        Path stored = Files.write(temp.resolve("stored.bin"), noise(300));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ZipStreamWriter writer = new ZipStreamWriter(out, Runnable::run, 1);
        writer.deflatedFile("text.txt", 0644, NOON, deflated);
        writer.storedFile("stored.bin", 0644, NOON, stored);
        writer.finish();
        byte[] zip = out.toByteArray();
        ByteBuffer bytes = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);

        int first = ZipBytes.localHeader(zip, 0);
        assertThat(bytes.getShort(first + 6) & 0x0008).as("data descriptor flag").isEqualTo(0x0008);
        assertThat(bytes.getShort(first + 8)).as("deflated").isEqualTo((short) 8);
        assertThat(bytes.getInt(first + 14)).as("CRC").isZero();
        assertThat(bytes.getInt(first + 18)).as("compressed size").isZero();
        assertThat(bytes.getInt(first + 22)).as("size").isZero();
        int second = ZipBytes.localHeader(zip, 1);
        assertThat(bytes.getShort(second + 6) & 0x0008).as("no data descriptor").isZero();
        assertThat(bytes.getShort(second + 8)).as("stored").isZero();
        assertThat(bytes.getInt(second + 14) & 0xFFFFFFFFL).isEqualTo(crc(Files.readAllBytes(stored)));
        assertThat(bytes.getInt(second + 18)).isEqualTo(300);
        assertThat(bytes.getInt(second + 22)).isEqualTo(300);
        assertThat(unzip(zip)).containsExactly("text.txt", "stored.bin");
    }

    /** A deep node_modules path is far longer than a header's fixed part; every header must hold it whole. */
    @Test
    void entriesWithLongNamesAreWrittenWhole() throws IOException {
        String deep = "node_modules/" + "@scope/package-with-a-long-name/node_modules/".repeat(12);
        Path file = Files.writeString(temp.resolve("index.js"), "module.exports = {};\n".repeat(50));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ZipStreamWriter writer = new ZipStreamWriter(out, Runnable::run, 1);
        writer.directory(deep + "dir", 0755, NOON);
        writer.symlink(deep + "link", "../index.js", NOON);
        writer.storedFile(deep + "stored.js", 0644, NOON, file);
        writer.deflatedFile(deep + "index.js", 0644, NOON, file);
        writer.finish();

        assertThat(deep.length()).isGreaterThan(500);
        assertThat(unzip(out.toByteArray())).containsExactly(deep + "dir/", deep + "link", deep + "stored.js",
                deep + "index.js");
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(Files.write(temp.resolve("long.zip"),
                out.toByteArray()).toFile())) {
            assertThat(zip.stream().map(ZipEntry::getName)).containsExactly(deep + "dir/", deep + "link",
                    deep + "stored.js", deep + "index.js");
            assertThat(zip.getInputStream(zip.getEntry(deep + "index.js")).readAllBytes())
                    .isEqualTo(Files.readAllBytes(file));
        }
    }

    @Test
    void aFileFrom1980KeepsItsDateAndAnOlderOneIsClampedToDosTimesFirstDay() {
        FileTime in1980 = FileTime.from(LocalDateTime.parse("1980-06-15T12:34:56")
                .atZone(ZoneId.systemDefault()).toInstant());
        FileTime in1979 = FileTime.from(LocalDateTime.parse("1979-12-31T23:59:58")
                .atZone(ZoneId.systemDefault()).toInstant());

        assertThat(ZipStreamWriter.dosTime(in1980)).isEqualTo(6L << 21 | 15L << 16 | 12L << 11 | 34L << 5 | 28);
        assertThat(ZipStreamWriter.dosTime(in1979)).isEqualTo(1L << 21 | 1L << 16);
    }

    private void storeWhileChanging(Path file, IoAction change) throws IOException {
        OutputStream changesAtTheHeader = new OutputStream() {
            private boolean changed;

            @Override
            public void write(int b) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                // The local header is written between the read for the CRC and the read that copies.
                if (!changed) {
                    changed = true;
                    change.run();
                }
            }
        };
        new ZipStreamWriter(changesAtTheHeader, Runnable::run, 1).storedFile(file.getFileName().toString(), 0644,
                NOON, file);
    }

    private static List<String> unzip(byte[] zip) throws IOException {
        List<String> names = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                in.readAllBytes();
                names.add(entry.getName());
            }
        }
        return names;
    }

    private static byte[] noise(int length) {
        byte[] bytes = new byte[length];
        new Random(7).nextBytes(bytes);
        return bytes;
    }

    private static long crc(byte[] bytes) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(bytes);
        return crc.getValue();
    }

    @FunctionalInterface
    private interface IoAction {
        void run() throws IOException;
    }

    /** Keeps what is written and counts the calls. */
    private static final class WriteCounter extends OutputStream {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int writes;

        @Override
        public void write(int b) {
            writes++;
            bytes.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            writes++;
            bytes.write(b, off, len);
        }
    }
}

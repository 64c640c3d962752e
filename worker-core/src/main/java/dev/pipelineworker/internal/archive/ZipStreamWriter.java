package dev.pipelineworker.internal.archive;

import dev.pipelineworker.internal.SharedInternal;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.zip.CRC32;

/**
 * Writes a zip archive to a stream that cannot seek (a multipart upload, a pipe), deflating large
 * entries in chunks on several threads. Deflated entries carry their CRC and sizes in a data
 * descriptor after the data; stored entries (incompressible files, symlinks, directories) have them
 * in the local header, as every streaming reader needs, so a stored file is read twice: once for
 * its CRC, once to copy it. Entries are Unix-made, with their permission bits in the external
 * attributes; zip64 records appear only where a size, an offset or the entry count needs them.
 *
 * <p>Memory: at most {@code maxChunksInFlight} chunks of {@value #CHUNK} bytes (and their deflated
 * output) are held at once; the writer blocks on the oldest chunk when that many are in flight.
 * Chunks are written in order, so the output depends only on the input. Not thread-safe.
 */
@SharedInternal
public final class ZipStreamWriter {

    /** Bytes of an entry deflated as one task; below G1's humongous size for a 1 MiB region. */
    static final int CHUNK = 256 * 1024;
    private static final int COPY_BUFFER = 64 * 1024;
    private static final long MAX_32 = 0xFFFFFFFFL;
    /** A deflated entry this big gets zip64 sizes up front: its final sizes are only known after the data. */
    static final long ZIP64_ABOVE = 0xF0000000L;
    private static final int STORED = 0;
    private static final int DEFLATED = 8;
    private static final int FLAG_DESCRIPTOR = 0x0008;
    private static final int FLAG_UTF8 = 0x0800;
    private static final int MADE_BY_UNIX = 3 << 8 | 45;
    private static final int TYPE_DIRECTORY = 040000;
    private static final int TYPE_FILE = 0100000;
    private static final int TYPE_SYMLINK = 0120000;
    private static final int MSDOS_DIRECTORY = 0x10;

    private final CountingOutputStream out;
    private final Executor executor;
    private final int maxChunksInFlight;
    private final ArrayDeque<Step> pending = new ArrayDeque<>();
    private final List<Entry> written = new ArrayList<>();
    private int chunksInFlight;

    /**
     * A writer to {@code out}, which it does not close; chunks are deflated on {@code executor}
     * ({@code Runnable::run} deflates on the calling thread), at most {@code maxChunksInFlight} at a time.
     */
    public ZipStreamWriter(OutputStream out, Executor executor, int maxChunksInFlight) {
        if (maxChunksInFlight < 1) {
            throw new IllegalArgumentException("maxChunksInFlight must be positive, got " + maxChunksInFlight);
        }
        this.out = new CountingOutputStream(out);
        this.executor = executor;
        this.maxChunksInFlight = maxChunksInFlight;
    }

    /** Adds a directory entry; {@code name} ends without a slash. */
    public void directory(String name, int mode, FileTime modified) throws IOException {
        drain(0);
        Entry entry = new Entry(name + "/", STORED, 0, modified, (TYPE_DIRECTORY | mode) << 16 | MSDOS_DIRECTORY);
        writeLocalHeader(entry);
    }

    /** Adds a symlink entry whose content is the link's target, as Info-ZIP writes them. */
    public void symlink(String name, String target, FileTime modified) throws IOException {
        drain(0);
        byte[] content = target.getBytes(StandardCharsets.UTF_8);
        Entry entry = new Entry(name, STORED, 0, modified, (TYPE_SYMLINK | 0777) << 16);
        entry.crc = crc(content, content.length);
        entry.size = content.length;
        entry.compressed = content.length;
        writeLocalHeader(entry);
        out.write(content);
    }

    /** Adds a regular file stored as it is; fails if the file changes between the two reads. */
    public void storedFile(String name, int mode, FileTime modified, Path file) throws IOException {
        drain(0);
        Entry entry = new Entry(name, STORED, 0, modified, (TYPE_FILE | mode) << 16);
        CRC32 first = new CRC32();
        byte[] buffer = new byte[COPY_BUFFER];
        long size = 0;
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; size += n) {
                first.update(buffer, 0, n);
            }
        }
        entry.crc = first.getValue();
        entry.size = size;
        entry.compressed = size;
        writeLocalHeader(entry);
        CRC32 second = new CRC32();
        long copied = 0;
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; copied <= size && (n = in.read(buffer)) > 0; copied += n) {
                second.update(buffer, 0, n);
                out.write(buffer, 0, n);
            }
        }
        if (copied != size || second.getValue() != entry.crc) {
            throw new IOException("'" + name + "' changed while it was being zipped");
        }
    }

    /**
     * Adds a regular file, deflated in chunks of {@value #CHUNK} bytes on the executor. The CRC is
     * computed here, in order, as the file is read; sizes and CRC go into the data descriptor.
     */
    public void deflatedFile(String name, int mode, FileTime modified, Path file) throws IOException {
        boolean zip64 = Files.size(file) > ZIP64_ABOVE;
        Entry entry = new Entry(name, DEFLATED, FLAG_DESCRIPTOR, modified, (TYPE_FILE | mode) << 16);
        entry.zip64Local = zip64;
        enqueue(new Step(null, () -> writeLocalHeader(entry)));
        CRC32 crc = new CRC32();
        long size = 0;
        byte[] dictionary = new byte[0];
        try (InputStream in = Files.newInputStream(file)) {
            while (true) {
                byte[] chunk = new byte[CHUNK];
                int length = in.readNBytes(chunk, 0, CHUNK);
                if (length == 0) {
                    break;
                }
                crc.update(chunk, 0, length);
                size += length;
                byte[] preset = dictionary;
                CompletableFuture<byte[]> deflated =
                        CompletableFuture.supplyAsync(() -> ChunkDeflater.deflate(chunk, length, preset), executor);
                dictionary = ChunkDeflater.tail(chunk, length);
                enqueue(new Step(deflated, null));
            }
        }
        entry.crc = crc.getValue();
        entry.size = size;
        enqueue(new Step(null, () -> writeDescriptor(entry)));
    }

    /** Writes what is still pending and the central directory; the stream stays open. */
    public void finish() throws IOException {
        drain(0);
        long directoryStart = out.count();
        for (Entry entry : written) {
            writeCentralHeader(entry);
        }
        writeEnd(directoryStart, out.count() - directoryStart);
        out.flush();
    }

    private void enqueue(Step step) throws IOException {
        pending.add(step);
        if (step.chunk != null) {
            chunksInFlight++;
            drain(maxChunksInFlight);
        }
    }

    /** Writes pending steps in order until at most {@code chunksLeft} chunks are in flight. */
    private void drain(int chunksLeft) throws IOException {
        while (!pending.isEmpty() && (chunksInFlight > chunksLeft || chunksLeft == 0)) {
            Step step = pending.poll();
            if (step.chunk == null) {
                step.action.run();
            } else {
                chunksInFlight--;
                byte[] deflated = await(step.chunk);
                out.write(deflated);
                current().compressed += deflated.length;
            }
        }
    }

    private Entry current() {
        return written.get(written.size() - 1);
    }

    private static byte[] await(CompletableFuture<byte[]> chunk) throws IOException {
        try {
            return chunk.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while deflating");
        } catch (ExecutionException e) {
            throw new IOException("deflating a chunk failed", e.getCause());
        }
    }

    private void writeLocalHeader(Entry entry) throws IOException {
        entry.offset = out.count();
        written.add(entry);
        boolean descriptor = entry.method == DEFLATED;
        Fields extra = new Fields();
        if (entry.zip64Local) {
            extra.u16(0x0001).u16(16).u64(0).u64(0);
        }
        Fields header = new Fields()
                .u32(0x04034b50L)
                .u16(entry.zip64Local ? 45 : 20)
                .u16(entry.flags | FLAG_UTF8)
                .u16(entry.method)
                .u32(entry.dosTime)
                .u32(descriptor ? 0 : entry.crc)
                .u32(entry.zip64Local ? MAX_32 : descriptor ? 0 : entry.compressed)
                .u32(entry.zip64Local ? MAX_32 : descriptor ? 0 : entry.size)
                .u16(entry.name.length)
                .u16(extra.length())
                .bytes(entry.name)
                .bytes(extra.toBytes());
        out.write(header.toBytes());
    }

    private void writeDescriptor(Entry entry) throws IOException {
        out.write(ChunkDeflater.FINAL_BLOCK);
        entry.compressed += ChunkDeflater.FINAL_BLOCK.length;
        if (!entry.zip64Local && (entry.size >= MAX_32 || entry.compressed >= MAX_32)) {
            throw new IOException("'" + new String(entry.name, StandardCharsets.UTF_8)
                    + "' grew past 4 GiB while it was being zipped");
        }
        Fields descriptor = new Fields().u32(0x08074b50L).u32(entry.crc);
        if (entry.zip64Local) {
            descriptor.u64(entry.compressed).u64(entry.size);
        } else {
            descriptor.u32(entry.compressed).u32(entry.size);
        }
        out.write(descriptor.toBytes());
    }

    private void writeCentralHeader(Entry entry) throws IOException {
        Fields zip64 = new Fields();
        if (entry.size >= MAX_32) {
            zip64.u64(entry.size);
        }
        if (entry.compressed >= MAX_32) {
            zip64.u64(entry.compressed);
        }
        if (entry.offset >= MAX_32) {
            zip64.u64(entry.offset);
        }
        Fields extra = new Fields();
        if (zip64.length() > 0) {
            extra.u16(0x0001).u16(zip64.length()).bytes(zip64.toBytes());
        }
        Fields header = new Fields()
                .u32(0x02014b50L)
                .u16(MADE_BY_UNIX)
                .u16(zip64.length() > 0 || entry.zip64Local ? 45 : 20)
                .u16(entry.flags | FLAG_UTF8)
                .u16(entry.method)
                .u32(entry.dosTime)
                .u32(entry.crc)
                .u32(Math.min(entry.compressed, MAX_32))
                .u32(Math.min(entry.size, MAX_32))
                .u16(entry.name.length)
                .u16(extra.length())
                .u16(0)
                .u16(0)
                .u16(0)
                .u32(entry.externalAttributes & MAX_32)
                .u32(Math.min(entry.offset, MAX_32))
                .bytes(entry.name)
                .bytes(extra.toBytes());
        out.write(header.toBytes());
    }

    private void writeEnd(long directoryStart, long directorySize) throws IOException {
        int count = written.size();
        if (count >= 0xFFFF || directoryStart >= MAX_32 || directorySize >= MAX_32) {
            long zip64End = out.count();
            out.write(new Fields()
                    .u32(0x06064b50L).u64(44).u16(MADE_BY_UNIX).u16(45).u32(0).u32(0)
                    .u64(count).u64(count).u64(directorySize).u64(directoryStart)
                    .u32(0x07064b50L).u32(0).u64(zip64End).u32(1)
                    .toBytes());
        }
        out.write(new Fields()
                .u32(0x06054b50L).u16(0).u16(0)
                .u16(Math.min(count, 0xFFFF)).u16(Math.min(count, 0xFFFF))
                .u32(Math.min(directorySize, MAX_32)).u32(Math.min(directoryStart, MAX_32))
                .u16(0)
                .toBytes());
    }

    private static long crc(byte[] bytes, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, length);
        return crc.getValue();
    }

    /** MS-DOS date and time in the local zone, as zip tools write them; clamped to 1980, DOS's first year. */
    static long dosTime(FileTime time) {
        LocalDateTime local = LocalDateTime.ofInstant(time.toInstant(), ZoneId.systemDefault());
        if (local.getYear() < 1980) {
            return (1 << 21) | (1 << 16);
        }
        return (long) (local.getYear() - 1980) << 25 | (long) local.getMonthValue() << 21
                | (long) local.getDayOfMonth() << 16 | (long) local.getHour() << 11
                | (long) local.getMinute() << 5 | local.getSecond() >> 1;
    }

    /** A step of the output, written in order: a header or descriptor ({@code action}) or a deflated chunk. */
    private record Step(CompletableFuture<byte[]> chunk, IoAction action) {
    }

    @FunctionalInterface
    private interface IoAction {
        void run() throws IOException;
    }

    /** What the central directory needs to know of an entry once it is written. */
    private static final class Entry {
        final byte[] name;
        final int method;
        final int flags;
        final long dosTime;
        final int externalAttributes;
        boolean zip64Local;
        long crc;
        long size;
        long compressed;
        long offset;

        Entry(String name, int method, int flags, FileTime modified, int externalAttributes) {
            this.name = name.getBytes(StandardCharsets.UTF_8);
            this.method = method;
            this.flags = flags;
            this.dosTime = dosTime(modified);
            this.externalAttributes = externalAttributes;
        }
    }

    /** Little-endian record fields. */
    private static final class Fields {
        private ByteBuffer buffer = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);

        Fields u16(int value) {
            room(2).putShort((short) value);
            return this;
        }

        Fields u32(long value) {
            room(4).putInt((int) value);
            return this;
        }

        Fields u64(long value) {
            room(8).putLong(value);
            return this;
        }

        Fields bytes(byte[] value) {
            room(value.length).put(value);
            return this;
        }

        int length() {
            return buffer.position();
        }

        byte[] toBytes() {
            byte[] bytes = new byte[buffer.position()];
            buffer.flip().get(bytes);
            return bytes;
        }

        private ByteBuffer room(int needed) {
            if (buffer.remaining() < needed) {
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.position() + needed))
                        .order(ByteOrder.LITTLE_ENDIAN);
                bigger.put(buffer.flip());
                buffer = bigger;
            }
            return buffer;
        }
    }

    /** Counts what passes, for the offsets the central directory records. */
    private static final class CountingOutputStream extends OutputStream {
        private final OutputStream target;
        private long count;

        CountingOutputStream(OutputStream target) {
            this.target = target;
        }

        long count() {
            return count;
        }

        @Override
        public void write(int b) throws IOException {
            target.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            target.write(b, off, len);
            count += len;
        }

        @Override
        public void flush() throws IOException {
            target.flush();
        }
    }
}

package dev.pipelineworker.internal.archive;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;

/**
 * The entries of a zip read from one pass over its body, each checked against the central directory
 * entry it must be: the local header at the directory's offset with the same name and method (and CRC
 * and sizes when the header carries them, that is without a data descriptor), the data exactly the
 * directory's compressed size, inflating to its size and CRC. Sizes come from the directory, so a data
 * descriptor after the data needs no reading: it is skipped with any other gap before the next header.
 * Every disagreement is an {@link OnePassAbandonedException}; an entry is verified when its stream ends.
 */
final class StreamedEntries implements ZipExtraction.EntrySource {

    private static final int LOCAL_HEADER_SIGNATURE = 0x04034b50;
    private static final int LOCAL_HEADER_BYTES = 30;
    private static final int DATA_DESCRIPTOR_FLAG = 1 << 3;
    private static final int ENCRYPTED_FLAG = 1;
    private static final long ZIP64_MARKER = 0xFFFFFFFFL;
    private static final int BUFFER = 64 * 1024;

    private final Iterator<ZipArchiveEntry> directory;
    private final CountingInput body;
    private ZipArchiveEntry current;
    private long dataEnd;

    StreamedEntries(List<ZipArchiveEntry> directory, InputStream body) {
        this.directory = directory.iterator();
        this.body = new CountingInput(body);
    }

    @Override
    public ZipArchiveEntry next() throws IOException {
        if (!directory.hasNext()) {
            current = null;
            return null;
        }
        ZipArchiveEntry entry = directory.next();
        long offset = entry.getLocalHeaderOffset();
        if (offset < dataEnd) {
            throw new OnePassAbandonedException("entry '" + entry.getName() + "' overlaps the entry before it");
        }
        body.skipTo(offset, entry);
        ByteBuffer header = ByteBuffer.wrap(body.readExactly(LOCAL_HEADER_BYTES, entry)).order(ByteOrder.LITTLE_ENDIAN);
        if (header.getInt(0) != LOCAL_HEADER_SIGNATURE) {
            throw mismatch(entry, "no local header at the directory's offset " + offset);
        }
        int flags = header.getShort(6) & 0xFFFF;
        if ((header.getShort(8) & 0xFFFF) != entry.getMethod()) {
            throw mismatch(entry, "another compression method");
        }
        if ((flags & ENCRYPTED_FLAG) != 0) {
            throw mismatch(entry, "encryption");
        }
        if ((flags & DATA_DESCRIPTOR_FLAG) == 0) {
            checkField(entry, "CRC", header.getInt(14) & ZIP64_MARKER, entry.getCrc(), false);
            checkField(entry, "compressed size", header.getInt(18) & ZIP64_MARKER, entry.getCompressedSize(), true);
            checkField(entry, "size", header.getInt(22) & ZIP64_MARKER, entry.getSize(), true);
        }
        byte[] name = body.readExactly(header.getShort(26) & 0xFFFF, entry);
        if (!Arrays.equals(name, entry.getRawName())) {
            throw mismatch(entry, "another name");
        }
        int extraLength = header.getShort(28) & 0xFFFF;
        body.skipTo(body.position + extraLength, entry);
        dataEnd = body.position + entry.getCompressedSize();
        current = entry;
        return entry;
    }

    @Override
    public InputStream open(ZipArchiveEntry entry) throws IOException {
        if (entry != current) {
            throw new IllegalStateException("only the current entry can be opened");
        }
        InputStream raw = new RawData(body, entry.getCompressedSize());
        InputStream data = entry.getMethod() == ZipEntry.DEFLATED ? new Inflating(raw) : raw;
        return new VerifiedData(data, entry);
    }

    private static void checkField(ZipArchiveEntry entry, String field, long local, long central, boolean zip64able)
            throws OnePassAbandonedException {
        if (local != central && !(zip64able && local == ZIP64_MARKER)) {
            throw mismatch(entry, "another " + field);
        }
    }

    private static OnePassAbandonedException mismatch(ZipArchiveEntry entry, String what) {
        return new OnePassAbandonedException("the local header of entry '" + entry.getName()
                + "' disagrees with the central directory: " + what);
    }

    /** The body, with the count of bytes read from it. */
    private static final class CountingInput {
        private final InputStream in;
        private long position;

        CountingInput(InputStream in) {
            this.in = in;
        }

        int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n < 0) {
                throw new OnePassAbandonedException("the body ends inside an entry's data");
            }
            position += n;
            return n;
        }

        byte[] readExactly(int length, ZipArchiveEntry entry) throws IOException {
            byte[] bytes = in.readNBytes(length);
            position += bytes.length;
            if (bytes.length < length) {
                throw new OnePassAbandonedException("the body ends inside the header of entry '" + entry.getName() + "'");
            }
            return bytes;
        }

        void skipTo(long target, ZipArchiveEntry entry) throws IOException {
            try {
                in.skipNBytes(target - position);
            } catch (EOFException e) {
                throw new OnePassAbandonedException("the body ends before entry '" + entry.getName() + "'", e);
            }
            position = target;
        }
    }

    /** A stream that reads in bulk; a single byte is a bulk read of one. */
    private abstract static class BulkInput extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) == 1 ? one[0] & 0xFF : -1;
        }
    }

    /** Exactly the entry's compressed bytes, then end of stream. */
    private static final class RawData extends BulkInput {
        private final CountingInput body;
        private long remaining;

        RawData(CountingInput body, long length) {
            this.body = body;
            this.remaining = length;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (remaining == 0) {
                return -1;
            }
            int n = body.read(buffer, offset, (int) Math.min(length, remaining));
            remaining -= n;
            return n;
        }
    }

    /** Raw deflate, as zip stores it; the inflater is this stream's own, so it is ended with it. */
    private static final class Inflating extends InflaterInputStream {
        Inflating(InputStream raw) {
            super(raw, new Inflater(true), BUFFER);
        }

        @Override
        public void close() throws IOException {
            inf.end();
            super.close();
        }
    }

    /** The entry's uncompressed data, verified against the directory's size and CRC when it ends. */
    private static final class VerifiedData extends BulkInput {
        private final InputStream data;
        private final ZipArchiveEntry entry;
        private final CRC32 crc = new CRC32();
        private long count;

        VerifiedData(InputStream data, ZipArchiveEntry entry) {
            this.data = data;
            this.entry = entry;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n;
            try {
                n = data.read(buffer, offset, length);
            } catch (ZipException | EOFException e) {
                throw new OnePassAbandonedException("entry '" + entry.getName() + "' does not inflate: "
                        + e.getMessage(), e);
            }
            if (n < 0) {
                if (count != entry.getSize() || crc.getValue() != entry.getCrc()) {
                    throw new OnePassAbandonedException("entry '" + entry.getName()
                            + "' holds other data than the central directory says");
                }
                return -1;
            }
            count += n;
            if (count > entry.getSize()) {
                throw new OnePassAbandonedException("entry '" + entry.getName()
                        + "' is longer than the central directory says");
            }
            crc.update(buffer, offset, n);
            return n;
        }

        @Override
        public void close() throws IOException {
            data.close();
        }
    }
}

package dev.pipelineworker.internal.archive;

import dev.pipelineworker.ZipLimits;
import dev.pipelineworker.internal.SharedInternal;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * A zip's central directory, read from the object's last bytes, so that the archive can be checked
 * before its data is read and then extracted from one pass over its body. Commons Compress parses it
 * (end records, Zip64 records and entries), reading through a channel that holds only the tail: a read
 * before the tail asks the caller for those bytes instead.
 *
 * <p>Memory is bounded by {@link #maxDirectoryBytes(ZipLimits)}: at most 1 KiB of directory per allowed
 * entry plus the tail, and never more than 16 MiB. A directory entry takes at least 46 bytes, so the
 * entries parsed from it are bounded too; past the bound the caller takes the file-based path, whose count
 * check then refuses an archive of too many entries.
 */
@SharedInternal
public final class ZipCentralDirectory {

    /** The end-of-central-directory record with the longest comment, its Zip64 locator and Zip64 record, with room. */
    public static final int TAIL_BYTES = 128 * 1024;
    private static final long MAX_DIRECTORY_BYTES = 16L << 20;
    private static final long BYTES_PER_ENTRY = 1024;
    private static final int LOCAL_HEADER_BYTES = 30;

    private final List<ZipArchiveEntry> entries;
    private final long objectSize;
    private final long entriesEnd;

    private ZipCentralDirectory(List<ZipArchiveEntry> entries, long objectSize, long entriesEnd) {
        this.entries = entries;
        this.objectSize = objectSize;
        this.entriesEnd = entriesEnd;
    }

    /** What reading the tail gave. */
    public sealed interface Lookup permits Found, NeedsBytesFrom, Unusable {
    }

    /** The directory, ready for a one-pass extraction. */
    public record Found(ZipCentralDirectory directory) implements Lookup {
    }

    /** The directory starts before the bytes given: read again with the object's bytes from {@code position}. */
    public record NeedsBytesFrom(long position) implements Lookup {
    }

    /** No one-pass extraction of this object; {@code reason} says why, for the log (it names no secret). */
    public record Unusable(String reason) implements Lookup {
    }

    /** The most directory bytes held for {@code limits}. */
    public static long maxDirectoryBytes(ZipLimits limits) {
        return Math.min(MAX_DIRECTORY_BYTES, limits.maxEntries() * BYTES_PER_ENTRY + TAIL_BYTES);
    }

    /**
     * Reads the directory of an object of {@code objectSize} bytes from {@code bytes}, its bytes from
     * {@code firstByte} to its end.
     */
    public static Lookup read(long objectSize, long firstByte, byte[] bytes, ZipLimits limits) {
        if (firstByte < 0 || firstByte + bytes.length != objectSize) {
            return new Unusable("the bytes read are not the object's tail");
        }
        TailChannel tail = new TailChannel(objectSize, firstByte, bytes);
        List<ZipArchiveEntry> entries;
        try (ZipFile zip = ZipFile.builder().setSeekableByteChannel(tail).setIgnoreLocalFileHeader(true).get()) {
            entries = Collections.list(zip.getEntries());
        } catch (IOException | RuntimeException e) {
            BeforeTail missing = beforeTail(e);
            if (missing == null) {
                return new Unusable("its end holds no central directory that can be read ("
                        + e.getClass().getSimpleName() + ")");
            }
            return objectSize - missing.position > maxDirectoryBytes(limits)
                    ? new Unusable("its central directory is larger than " + maxDirectoryBytes(limits) + " bytes")
                    : new NeedsBytesFrom(missing.position);
        }
        return check(entries, objectSize, tail.lowestRead);
    }

    private static Lookup check(List<ZipArchiveEntry> entries, long objectSize, long directoryStart) {
        long previous = -1;
        for (ZipArchiveEntry entry : entries) {
            if (entry.getGeneralPurposeBit().usesEncryption()) {
                return new Unusable("entry '" + entry.getName() + "' is encrypted");
            }
            if (entry.getMethod() != ZipEntry.STORED && entry.getMethod() != ZipEntry.DEFLATED) {
                return new Unusable("entry '" + entry.getName() + "' uses compression method " + entry.getMethod());
            }
            if (entry.getLocalHeaderOffset() <= previous) {
                return new Unusable("its entries are not stored in the order of the directory");
            }
            previous = entry.getLocalHeaderOffset();
        }
        if (!entries.isEmpty() && previous + LOCAL_HEADER_BYTES > directoryStart) {
            return new Unusable("an entry starts inside the central directory");
        }
        return new Found(new ZipCentralDirectory(List.copyOf(entries), objectSize, directoryStart));
    }

    private static BeforeTail beforeTail(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof BeforeTail missing) {
                return missing;
            }
        }
        return null;
    }

    /** The entries, in the directory's order, which is also the order of their data. */
    List<ZipArchiveEntry> entries() {
        return entries;
    }

    /** The object's size, for the archive-wide compression ratio. */
    public long objectSize() {
        return objectSize;
    }

    /** Where the directory starts: the body to stream is the object's bytes before it. */
    public long entriesEnd() {
        return entriesEnd;
    }

    /** How many entries the directory lists. */
    public int size() {
        return entries.size();
    }

    /** The position of a read before the tail. */
    static final class BeforeTail extends IOException {
        private static final long serialVersionUID = 1L;
        final transient long position;

        BeforeTail(long position) {
            super("the directory starts before the bytes read");
            this.position = position;
        }
    }

    /**
     * The object as Commons Compress sees it: {@code size} bytes of which only the tail is here. It
     * remembers the lowest position read, which is where the directory starts once parsing succeeds.
     */
    static final class TailChannel implements SeekableByteChannel {
        private final long size;
        private final long firstByte;
        private final byte[] tail;
        private long position;
        private long lowestRead;
        private boolean open = true;

        TailChannel(long size, long firstByte, byte[] tail) {
            this.size = size;
            this.firstByte = firstByte;
            this.tail = tail;
            this.lowestRead = size;
        }

        @Override
        public int read(ByteBuffer target) throws IOException {
            if (position >= size) {
                return -1;
            }
            if (position < firstByte) {
                throw new BeforeTail(position);
            }
            int count = (int) Math.min(target.remaining(), size - position);
            target.put(tail, (int) (position - firstByte), count);
            lowestRead = Math.min(lowestRead, position);
            position += count;
            return count;
        }

        @Override
        public int write(ByteBuffer source) {
            throw new NonWritableChannelException();
        }

        @Override
        public long position() {
            return position;
        }

        @Override
        public SeekableByteChannel position(long newPosition) {
            position = newPosition;
            return this;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public SeekableByteChannel truncate(long newSize) {
            throw new NonWritableChannelException();
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            open = false;
        }
    }
}

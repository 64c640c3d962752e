package dev.pipelineworker.internal.journal;

import dev.pipelineworker.OutcomeJournal;
import dev.pipelineworker.internal.SharedInternal;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An append-only log per slot directory: each write or delete appends one checksummed record, so a
 * job costs three small appends instead of creating, renaming and deleting files. A record torn by
 * a crash fails its checksum and is ignored, with everything after it. The log is cut back to empty
 * whenever no job is pending, and rewritten with only the pending entries when it grows large.
 * With {@code sync}, every write is fsync'd before it returns; deletions never are: if an OS crash
 * undoes one, the restarted worker reports that outcome again and CodePipeline refuses it as no
 * longer in progress, which drops the entry.
 *
 * <p>The journal works in the first slot directory whose lock it can take, so a live worker's
 * entries are never touched by another, while a dead worker's are taken over by the next one.
 */
@SharedInternal
public final class FileOutcomeJournal implements OutcomeJournal {

    private static final Logger LOG = LoggerFactory.getLogger(FileOutcomeJournal.class);
    private static final String LOG_FILE = "journal.log";
    private static final int MAX_SLOTS = 1024;
    private static final byte PUT = 1;
    private static final byte DELETE = 2;
    private static final int HEADER = Integer.BYTES + Integer.BYTES;
    /** A record's body: its type and the length of its job id, then the id and the entry. */
    private static final int MIN_BODY = 1 + Short.BYTES;
    private static final long COMPACT_AT_BYTES = 64L << 20;

    private final Path base;
    private final boolean sync;
    private final Map<String, byte[]> pending = new LinkedHashMap<>();
    private FileChannel lockChannel;
    private FileLock lock;
    private Path directory;
    private FileChannel log;

    public FileOutcomeJournal(Path base, boolean sync) {
        this.base = base;
        this.sync = sync;
    }

    /** The directory the journal's slots live under. */
    public Path base() {
        return base;
    }

    @Override
    public synchronized void write(String jobId, byte[] entry) throws IOException {
        open();
        append(PUT, jobId, entry);
        if (sync) {
            log.force(false);
        }
        pending.put(jobId, entry.clone());
    }

    @Override
    public synchronized void delete(String jobId) throws IOException {
        open();
        if (pending.remove(jobId) == null) {
            return;
        }
        if (pending.isEmpty()) {
            log.truncate(0);
        } else {
            append(DELETE, jobId, new byte[0]);
            if (log.size() > COMPACT_AT_BYTES) {
                compact();
            }
        }
    }

    @Override
    public synchronized Map<String, byte[]> readAll() throws IOException {
        open();
        Map<String, byte[]> copy = new LinkedHashMap<>();
        pending.forEach((jobId, entry) -> copy.put(jobId, entry.clone()));
        return copy;
    }

    @Override
    public synchronized void close() throws IOException {
        if (log != null) {
            log.close();
            log = null;
        }
        if (lock != null) {
            lock.release();
            lockChannel.close();
            lock = null;
        }
        directory = null;
        pending.clear();
    }

    private void open() throws IOException {
        if (log != null) {
            return;
        }
        directory = takeSlot();
        Path file = directory.resolve(LOG_FILE);
        if (Files.exists(file)) {
            replay(file, pending);
        }
        compact();
    }

    /**
     * The pending entries of every slot under {@code base}, read without taking any lock: a view for
     * diagnostics and tests, which may lag a live worker's last append.
     */
    public static Map<String, byte[]> peek(Path base) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        if (!Files.isDirectory(base)) {
            return entries;
        }
        try (var slots = Files.list(base)) {
            for (Path slot : slots.sorted().toList()) {
                Path file = slot.resolve(LOG_FILE);
                if (Files.isRegularFile(file)) {
                    replay(file, entries);
                }
            }
        }
        return entries;
    }

    /**
     * Reads the records up to the first one that is torn or corrupt, which a crash may leave (a short write, or a
     * tail of zeros from a file system that extended the file before the data reached it). That record and
     * everything after it are dropped with a warning, never replayed: {@link #open()} then rewrites the log with
     * only what was read, so the damaged tail is gone and the worker starts.
     */
    private static void replay(Path file, Map<String, byte[]> pending) throws IOException {
        ByteBuffer all = ByteBuffer.wrap(Files.readAllBytes(file));
        while (all.hasRemaining()) {
            int start = all.position();
            if (!replayRecord(all, pending)) {
                LOG.warn("journal {}: the record at byte {} is torn or corrupt; it and the {} bytes after it are "
                        + "dropped", file, start, all.limit() - start);
                return;
            }
        }
    }

    /** Applies the next record of {@code all}; false, leaving {@code pending} as it was, when it is not whole. */
    private static boolean replayRecord(ByteBuffer all, Map<String, byte[]> pending) {
        if (all.remaining() < HEADER) {
            return false;
        }
        int length = all.getInt();
        int checksum = all.getInt();
        if (length < MIN_BODY || length > all.remaining()) {
            return false;
        }
        byte[] body = new byte[length];
        all.get(body);
        if (crc(body) != checksum) {
            return false;
        }
        ByteBuffer record = ByteBuffer.wrap(body);
        byte type = record.get();
        int idLength = Short.toUnsignedInt(record.getShort());
        if ((type != PUT && type != DELETE) || idLength > record.remaining()) {
            return false;
        }
        byte[] id = new byte[idLength];
        record.get(id);
        String jobId = new String(id, StandardCharsets.UTF_8);
        if (type == PUT) {
            byte[] entry = new byte[record.remaining()];
            record.get(entry);
            pending.put(jobId, entry);
        } else {
            pending.remove(jobId);
        }
        return true;
    }

    /** Rewrites the log with only the pending entries, replacing the old one atomically. */
    private void compact() throws IOException {
        if (log != null) {
            log.close();
        }
        Path file = directory.resolve(LOG_FILE);
        Path fresh = directory.resolve(LOG_FILE + ".new");
        log = FileChannel.open(fresh, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
        for (Map.Entry<String, byte[]> entry : pending.entrySet()) {
            append(PUT, entry.getKey(), entry.getValue());
        }
        log.force(true);
        log.close();
        Files.move(fresh, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory();
        log = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    private void append(byte type, String jobId, byte[] entry) throws IOException {
        byte[] id = jobId.getBytes(StandardCharsets.UTF_8);
        if (id.length > 0xFFFF) {
            throw new IllegalArgumentException("a job id of " + id.length + " bytes is too long for the journal");
        }
        ByteBuffer body = ByteBuffer.allocate(1 + Short.BYTES + id.length + entry.length);
        body.put(type).putShort((short) id.length).put(id).put(entry);
        byte[] bytes = body.array();
        ByteBuffer header = ByteBuffer.allocate(HEADER).putInt(bytes.length).putInt(crc(bytes)).flip();
        ByteBuffer[] record = {header, ByteBuffer.wrap(bytes)};
        while (record[1].hasRemaining()) {
            log.write(record);
        }
    }

    private static int crc(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return (int) crc.getValue();
    }

    private Path takeSlot() throws IOException {
        for (int i = 0; i < MAX_SLOTS; i++) {
            Path candidate = base.resolve("slot-" + i);
            Files.createDirectories(candidate);
            FileChannel channel = FileChannel.open(candidate.resolve(".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock taken;
            try {
                taken = channel.tryLock();
            } catch (OverlappingFileLockException heldInThisJvm) {
                taken = null;
            }
            if (taken != null) {
                lockChannel = channel;
                lock = taken;
                return candidate;
            }
            channel.close();
        }
        throw new IOException("all " + MAX_SLOTS + " journal slots under " + base + " are in use");
    }

    private void syncDirectory() throws IOException {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        }
    }

    @Override
    public String toString() {
        return "FileOutcomeJournal[" + base + (sync ? ", fsync" : ", no fsync") + "]";
    }
}

package dev.pipelineworker.internal.journal;

import dev.pipelineworker.OutcomeJournal;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * One file per job, written to a temporary name, fsync'd (when {@code sync}), then renamed into
 * place and the directory fsync'd (when {@code sync}), so an entry is either wholly there or not at
 * all after a crash. Without {@code sync} entries survive the process dying but not the system.
 * A deletion is never fsync'd: if an OS crash undoes it, the restarted worker reports that outcome
 * again and CodePipeline refuses it as no longer in progress, which drops the entry. File names
 * are hashes because third-party job ids may hold characters a file name cannot. The journal
 * works in the first slot directory whose lock it can take, so a live worker's entries are never
 * touched by another, while a dead worker's are taken over by the next one to start.
 */
public final class FileOutcomeJournal implements OutcomeJournal {

    private static final String SUFFIX = ".job";
    private static final int MAX_SLOTS = 1024;

    private final Path base;
    private final boolean sync;
    private Path directory;
    private FileChannel lockChannel;
    private FileLock lock;

    public FileOutcomeJournal(Path base, boolean sync) {
        this.base = base;
        this.sync = sync;
    }

    @Override
    public void write(String jobId, byte[] entry) throws IOException {
        Path dir = slot();
        byte[] id = jobId.getBytes(StandardCharsets.UTF_8);
        Path temp = Files.createTempFile(dir, "pending-", ".tmp");
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            ByteBuffer header = ByteBuffer.allocate(4).putInt(id.length).flip();
            out.write(new ByteBuffer[] {header, ByteBuffer.wrap(id), ByteBuffer.wrap(entry)});
            if (sync) {
                out.force(true);
            }
        }
        Files.move(temp, file(dir, jobId), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        if (sync) {
            syncDirectory(dir);
        }
    }

    @Override
    public void delete(String jobId) throws IOException {
        Files.deleteIfExists(file(slot(), jobId));
    }

    @Override
    public Map<String, byte[]> readAll() throws IOException {
        Map<String, byte[]> entries = new HashMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(slot(), "*" + SUFFIX)) {
            for (Path file : files) {
                ByteBuffer content = ByteBuffer.wrap(Files.readAllBytes(file));
                byte[] id = new byte[content.getInt()];
                content.get(id);
                byte[] entry = new byte[content.remaining()];
                content.get(entry);
                entries.put(new String(id, StandardCharsets.UTF_8), entry);
            }
        }
        return entries;
    }

    @Override
    public synchronized void close() throws IOException {
        if (lock != null) {
            lock.release();
            lockChannel.close();
            lock = null;
            directory = null;
        }
    }

    /** The directory of the slot this journal holds, taking the first free one on first use. */
    private synchronized Path slot() throws IOException {
        if (directory != null) {
            return directory;
        }
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
                directory = candidate;
                return candidate;
            }
            channel.close();
        }
        throw new IOException("all " + MAX_SLOTS + " journal slots under " + base + " are in use");
    }

    private static Path file(Path dir, String jobId) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(jobId.getBytes(StandardCharsets.UTF_8));
            return dir.resolve(HexFormat.of().formatHex(hash, 0, 16) + SUFFIX);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static void syncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    @Override
    public String toString() {
        return "FileOutcomeJournal[" + base + (sync ? ", fsync" : ", no fsync") + "]";
    }
}

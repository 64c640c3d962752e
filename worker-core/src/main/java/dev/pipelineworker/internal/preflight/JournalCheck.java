package dev.pipelineworker.internal.preflight;

import dev.pipelineworker.OutcomeJournal;
import dev.pipelineworker.PreflightReport.Check;
import dev.pipelineworker.PreflightReport.Status;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Checks the outcome journal's directory the way the journal uses it: it can be created, a file in it written and
 * fsync'd, and it has room. A disabled journal is a warning: a crash then loses outcomes not yet reported.
 */
final class JournalCheck {

    /** Below this the journal may fill the disk within a busy day: about a million outcomes. */
    static final long WARN_FREE_BYTES = 100L * 1024 * 1024;
    /** Below this a few outcomes could not be written. */
    static final long FAIL_FREE_BYTES = 1024L * 1024;

    /** How many bytes a directory's volume has free for the worker; a seam, since no test can fill a disk. */
    @FunctionalInterface
    interface FreeSpace {
        long usableBytes(Path directory) throws IOException;
    }

    private final OutcomeJournal journal;
    private final FreeSpace freeSpace;

    JournalCheck(OutcomeJournal journal) {
        this(journal, directory -> Files.getFileStore(directory).getUsableSpace());
    }

    JournalCheck(OutcomeJournal journal, FreeSpace freeSpace) {
        this.journal = journal;
        this.freeSpace = freeSpace;
    }

    Check run() {
        if (Preflight.isDisabled(journal)) {
            return new Check("journal", null, Status.WARN, "the outcome journal is disabled: a crash loses the "
                    + "outcomes not yet reported", "give the worker OutcomeJournal.inDirectory(dir) (--journal-dir) "
                    + "on a persistent volume");
        }
        Path directory = Preflight.directoryOf(journal).orElse(null);
        if (directory == null) {
            return new Check("journal", null, Status.PASS, "a custom journal (" + journal.getClass().getSimpleName()
                    + "), not checked", "");
        }
        Path probe = directory.resolve(".preflight-" + ProcessHandle.current().pid());
        try {
            Files.createDirectories(directory);
            try (FileChannel channel = FileChannel.open(probe, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                channel.write(ByteBuffer.wrap(new byte[] {1}));
                channel.force(true);
            }
        } catch (IOException | SecurityException e) {
            return new Check("journal", null, Status.FAIL, directory + " is not writable: "
                    + e.getClass().getSimpleName(), "make the directory writable by the worker's user, or point "
                    + "--journal-dir at a writable persistent volume");
        } finally {
            try {
                Files.deleteIfExists(probe);
            } catch (IOException ignored) {
                // the probe is one byte; the next preflight overwrites it
            }
        }
        long free;
        try {
            free = freeSpace.usableBytes(directory);
        } catch (IOException e) {
            return new Check("journal", null, Status.WARN, directory + ": free space unknown ("
                    + e.getClass().getSimpleName() + ")", "check the volume's free space");
        }
        String message = directory + " is writable and fsync works; " + free / (1024 * 1024) + " MiB free";
        if (free < FAIL_FREE_BYTES) {
            return new Check("journal", null, Status.FAIL, message, "free space on the journal's volume");
        }
        if (free < WARN_FREE_BYTES) {
            return new Check("journal", null, Status.WARN, message, "free space on the journal's volume");
        }
        return new Check("journal", null, Status.PASS, message, "");
    }
}

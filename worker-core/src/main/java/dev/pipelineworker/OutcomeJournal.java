package dev.pipelineworker;

import dev.pipelineworker.internal.journal.DisabledOutcomeJournal;
import dev.pipelineworker.internal.journal.FileOutcomeJournal;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Durable memory of the jobs a worker owns, so that a crash between "the handler finished" and
 * "CodePipeline accepted the result" loses nothing: on restart, the worker reports what it finds
 * here before it polls for new work. Entries are opaque bytes written by the worker; they hold no
 * credentials or client tokens. A journal serves one worker at a time; the worker closes it.
 */
public interface OutcomeJournal extends Closeable {

    /** Stores {@code entry} for {@code jobId}, replacing any earlier one; durable (as the journal promises) when this returns. */
    void write(String jobId, byte[] entry) throws IOException;

    /** Forgets {@code jobId}; no error if it is unknown. */
    void delete(String jobId) throws IOException;

    /** Every stored entry by job id. */
    Map<String, byte[]> readAll() throws IOException;

    /** Releases what the journal holds (locks, files). Default: nothing. */
    @Override
    default void close() throws IOException {
    }

    /**
     * A journal keeping an fsync'd append-only log under {@code directory}, created if needed: the
     * same as {@code inDirectory(directory, Durability.SYSTEM_CRASH)}. Each live worker locks a slot
     * of its own there ({@code slot-0}, {@code slot-1}, ...), so several workers on one host can
     * share the directory; a restarted worker takes over a slot left by a dead one and reports what
     * that one could not.
     */
    static OutcomeJournal inDirectory(Path directory) {
        return inDirectory(directory, Durability.SYSTEM_CRASH);
    }

    /**
     * A journal keeping an append-only log under {@code directory}, as {@link #inDirectory(Path)},
     * with the given durability. Every record carries a checksum, so an entry torn by a crash is
     * ignored rather than misread; the log is cut back whenever no job is pending.
     */
    static OutcomeJournal inDirectory(Path directory, Durability durability) {
        return new FileOutcomeJournal(directory, durability == Durability.SYSTEM_CRASH);
    }

    /** What a journal entry survives once {@link #write} returned. */
    enum Durability {
        /**
         * The worker process dying (a crash, {@code kill -9}, an out-of-memory kill): the entry is in
         * the operating system's page cache, not yet on disk. Costs a few microseconds a write. The
         * default for the worker's own journal under {@code java.io.tmpdir}, which does not survive a
         * reboot on most systems (tmpfs, or cleared at boot) and so gains nothing from an fsync.
         */
        PROCESS_CRASH,
        /**
         * Also an operating-system crash or power loss: the log is fsync'd before {@link #write}
         * returns, about a millisecond a write on an SSD, twice per job. For a journal on a
         * persistent volume.
         */
        SYSTEM_CRASH
    }

    /** No journal: a crash loses the outcomes not yet reported. */
    static OutcomeJournal disabled() {
        return DisabledOutcomeJournal.INSTANCE;
    }
}

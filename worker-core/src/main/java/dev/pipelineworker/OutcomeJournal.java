package dev.pipelineworker;

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

    /** Stores {@code entry} for {@code jobId}, replacing any earlier one; durable when this returns. */
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
     * A journal keeping one fsync'd file per job under {@code directory}, created if needed. Each
     * live worker locks a slot of its own there ({@code slot-0}, {@code slot-1}, ...), so several
     * workers on one host can share the directory; a restarted worker takes over a slot left by a
     * dead one and reports what that one could not.
     */
    static OutcomeJournal inDirectory(Path directory) {
        return new FileOutcomeJournal(directory);
    }

    /** No journal: a crash loses the outcomes not yet reported. */
    static OutcomeJournal disabled() {
        return Disabled.INSTANCE;
    }

    /** The journal that keeps nothing. */
    enum Disabled implements OutcomeJournal {
        INSTANCE;

        @Override
        public void write(String jobId, byte[] entry) {
        }

        @Override
        public void delete(String jobId) {
        }

        @Override
        public Map<String, byte[]> readAll() {
            return Map.of();
        }
    }
}

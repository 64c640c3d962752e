package dev.pipelineworker.internal.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipelineworker.OutcomeJournal;
import dev.pipelineworker.PreflightReport.Check;
import dev.pipelineworker.PreflightReport.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal check: a disabled journal warns (a crash loses outcomes), a custom one is not checked, and a
 * directory journal's directory must be creatable and writable with fsync, leaving nothing behind, on a volume with
 * at least 1 MiB free (a failure) and 100 MiB (else a warning).
 */
class JournalCheckTest {

    private static final long MIB = 1024L * 1024;

    @TempDir
    Path temp;

    private static Check check(OutcomeJournal journal, long freeBytes) {
        return new JournalCheck(journal, directory -> freeBytes).run();
    }

    @Test
    void aDisabledJournalWarnsThatACrashLosesUnreportedOutcomes() {
        Check check = new JournalCheck(OutcomeJournal.disabled()).run();

        assertThat(check.name()).isEqualTo("journal");
        assertThat(check.queue()).as("a check of the worker, not of a queue").isNull();
        assertThat(check.status()).isEqualTo(Status.WARN);
        assertThat(check.message()).isEqualTo("the outcome journal is disabled: a crash loses the outcomes not yet "
                + "reported");
        assertThat(check.fix()).isEqualTo("give the worker OutcomeJournal.inDirectory(dir) (--journal-dir) on a "
                + "persistent volume");
    }

    @Test
    void aCustomJournalPassesUnchecked() {
        Check check = new JournalCheck(new EncryptingJournal(OutcomeJournal.inDirectory(temp.resolve("x")))).run();

        assertThat(check.status()).isEqualTo(Status.PASS);
        assertThat(check.message()).isEqualTo("a custom journal (EncryptingJournal), not checked");
        assertThat(temp.resolve("x")).as("not probed").doesNotExist();
    }

    @Test
    void aMissingDirectoryIsCreatedWrittenAndLeftEmpty() throws IOException {
        Path directory = temp.resolve("var/lib/worker/journal");

        Check check = check(OutcomeJournal.inDirectory(directory), 2048 * MIB);

        assertThat(check.status()).isEqualTo(Status.PASS);
        assertThat(check.message()).isEqualTo(directory + " is writable and fsync works; 2048 MiB free");
        assertThat(check.fix()).isEmpty();
        try (var left = Files.list(directory)) {
            assertThat(left).as("the probe file is removed").isEmpty();
        }
    }

    @Test
    void aProbeLeftByAnEarlierRunIsOverwrittenAndRemoved() throws IOException {
        Path directory = Files.createDirectories(temp.resolve("journal"));
        Path stale = directory.resolve(".preflight-" + ProcessHandle.current().pid());
        Files.writeString(stale, "left by a preflight killed halfway");

        assertThat(check(OutcomeJournal.inDirectory(directory), 2048 * MIB).status()).isEqualTo(Status.PASS);
        assertThat(stale).doesNotExist();
    }

    @Test
    void theVolumesRealFreeSpaceIsReported() {
        Check check = new JournalCheck(OutcomeJournal.inDirectory(temp)).run();

        assertThat(check.message()).matches(Pattern.quote(temp.toString())
                + " is writable and fsync works; [1-9][0-9]* MiB free");
        assertThat(check.status()).as("the build's temporary directory has more than 1 MiB").isNotEqualTo(Status.FAIL);
    }

    @Test
    void aDirectoryThatCannotBeCreatedFailsNamingItAndTheError() throws IOException {
        Path file = Files.writeString(temp.resolve("mounted-file"), "not a directory");
        Path directory = file.resolve("journal");

        Check check = check(OutcomeJournal.inDirectory(directory), 2048 * MIB);

        assertThat(check.status()).isEqualTo(Status.FAIL);
        assertThat(check.message()).isEqualTo(directory + " is not writable: FileSystemException");
        assertThat(check.fix()).isEqualTo("make the directory writable by the worker's user, or point --journal-dir "
                + "at a writable persistent volume");
    }

    @Test
    void aFileWhereTheDirectoryShouldBeFails() throws IOException {
        Path file = Files.writeString(temp.resolve("journal"), "not a directory");

        Check check = check(OutcomeJournal.inDirectory(file), 2048 * MIB);

        assertThat(check.status()).isEqualTo(Status.FAIL);
        assertThat(check.message()).isEqualTo(file + " is not writable: FileAlreadyExistsException");
        assertThat(file).hasContent("not a directory");
    }

    @Test
    void lessThanOneMibFreeFails() {
        Path directory = temp.resolve("journal");

        Check check = check(OutcomeJournal.inDirectory(directory), MIB - 1);

        assertThat(check.status()).isEqualTo(Status.FAIL);
        assertThat(check.message()).isEqualTo(directory + " is writable and fsync works; 0 MiB free");
        assertThat(check.fix()).isEqualTo("free space on the journal's volume");
    }

    @Test
    void fromOneMibToUnderAHundredMibFreeWarns() {
        Path directory = temp.resolve("journal");

        Check low = check(OutcomeJournal.inDirectory(directory), MIB);
        assertThat(low.status()).isEqualTo(Status.WARN);
        assertThat(low.message()).endsWith("; 1 MiB free");
        assertThat(low.fix()).isEqualTo("free space on the journal's volume");

        Check almost = check(OutcomeJournal.inDirectory(directory), 100 * MIB - 1);
        assertThat(almost.status()).isEqualTo(Status.WARN);
        assertThat(almost.message()).endsWith("; 99 MiB free");
    }

    @Test
    void aHundredMibFreePasses() {
        Check check = check(OutcomeJournal.inDirectory(temp.resolve("journal")), 100 * MIB);

        assertThat(check.status()).isEqualTo(Status.PASS);
        assertThat(check.message()).endsWith("; 100 MiB free");
    }

    @Test
    void freeSpaceThatCannotBeReadWarns() {
        Path directory = temp.resolve("journal");

        Check check = new JournalCheck(OutcomeJournal.inDirectory(directory), d -> {
            throw new IOException("statfs failed");
        }).run();

        assertThat(check.status()).isEqualTo(Status.WARN);
        assertThat(check.message()).isEqualTo(directory + ": free space unknown (IOException)");
        assertThat(check.fix()).isEqualTo("check the volume's free space");
    }

    /** A journal of the user's own, here one that encrypts what it hands to another: not looked into. */
    private record EncryptingJournal(OutcomeJournal inner) implements OutcomeJournal {
        @Override
        public void write(String jobId, byte[] entry) throws IOException {
            inner.write(jobId, entry);
        }

        @Override
        public void delete(String jobId) throws IOException {
            inner.delete(jobId);
        }

        @Override
        public Map<String, byte[]> readAll() throws IOException {
            return inner.readAll();
        }
    }
}

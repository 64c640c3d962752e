package dev.pipelineworker.internal.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipelineworker.OutcomeJournal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileOutcomeJournalTest {

    @TempDir
    Path base;

    @Test
    void entriesAreStoredReplacedAndDeleted() throws Exception {
        try (OutcomeJournal journal = OutcomeJournal.inDirectory(base)) {
            journal.write("job/with:odd chars", bytes("claimed"));
            journal.write("job/with:odd chars", bytes("finished"));
            journal.write("other", bytes("claimed"));
            journal.delete("other");
            journal.delete("never-written");

            assertThat(strings(journal.readAll())).containsExactly(Map.entry("job/with:odd chars", "finished"));
        }
        try (var files = Files.list(base.resolve("slot-0"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(".lock", "journal.log");
        }
    }

    @Test
    void aRecordTornByACrashIsIgnoredWithEverythingAfterIt() throws Exception {
        try (OutcomeJournal journal = OutcomeJournal.inDirectory(base)) {
            journal.write("a", bytes("finished a"));
            journal.write("b", bytes("claimed b"));
        }
        Path log = base.resolve("slot-0").resolve("journal.log");
        byte[] whole = Files.readAllBytes(log);
        try (OutcomeJournal journal = OutcomeJournal.inDirectory(base)) {
            journal.write("c", bytes("finished c"));
        }
        byte[] withC = Files.readAllBytes(log);
        Files.write(log, java.util.Arrays.copyOf(withC, withC.length - 3));

        try (OutcomeJournal restarted = OutcomeJournal.inDirectory(base)) {
            assertThat(strings(restarted.readAll())).containsOnly(
                    Map.entry("a", "finished a"), Map.entry("b", "claimed b"));
        }
        assertThat(withC.length).isGreaterThan(whole.length);
    }

    @Test
    void theLogIsCutBackToEmptyWhenNoJobIsPending() throws Exception {
        try (OutcomeJournal journal = OutcomeJournal.inDirectory(base, OutcomeJournal.Durability.PROCESS_CRASH)) {
            for (int i = 0; i < 100; i++) {
                journal.write("job-" + i, bytes("claimed"));
                journal.write("job-" + i, bytes("finished"));
                journal.delete("job-" + i);
            }

            assertThat(Files.size(base.resolve("slot-0").resolve("journal.log"))).isZero();
            assertThat(journal.readAll()).isEmpty();
        }
    }

    @Test
    void withoutFsyncEntriesAreStoredReplacedDeletedAndReadBackByTheNextJournal() throws Exception {
        try (OutcomeJournal journal = OutcomeJournal.inDirectory(base, OutcomeJournal.Durability.PROCESS_CRASH)) {
            journal.write("a", bytes("claimed"));
            journal.write("a", bytes("finished"));
            journal.write("b", bytes("claimed"));
            journal.delete("b");

            assertThat(strings(journal.readAll())).containsExactly(Map.entry("a", "finished"));
            assertThat(journal.toString()).contains("no fsync");
        }
        try (OutcomeJournal restarted = OutcomeJournal.inDirectory(base)) {
            assertThat(strings(restarted.readAll())).containsExactly(Map.entry("a", "finished"));
        }
    }

    @Test
    void liveJournalsTakeSeparateSlotsAndADeadOnesSlotIsTakenOver() throws Exception {
        OutcomeJournal first = OutcomeJournal.inDirectory(base);
        first.write("a", bytes("from first"));
        try (OutcomeJournal second = OutcomeJournal.inDirectory(base)) {
            second.write("b", bytes("from second"));

            assertThat(strings(second.readAll())).containsOnlyKeys("b");
            assertThat(Files.exists(base.resolve("slot-1"))).isTrue();
        }
        first.close();

        try (OutcomeJournal restarted = OutcomeJournal.inDirectory(base)) {
            assertThat(strings(restarted.readAll())).containsExactly(Map.entry("a", "from first"));
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, String> strings(Map<String, byte[]> entries) {
        return entries.entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey,
                e -> new String(e.getValue(), StandardCharsets.UTF_8)));
    }
}

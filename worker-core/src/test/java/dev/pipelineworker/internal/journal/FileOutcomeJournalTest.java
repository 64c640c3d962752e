package dev.pipelineworker.internal.journal;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.pipelineworker.OutcomeJournal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class FileOutcomeJournalTest {

    static final byte PUT = 1;
    static final byte DELETE = 2;
    static final int HEADER = 8;

    @TempDir
    Path base;

    private final Logger logger = (Logger) LoggerFactory.getLogger(FileOutcomeJournal.class);
    private final ListAppender<ILoggingEvent> warnings = new ListAppender<>();

    @BeforeEach
    void captureWarnings() {
        warnings.start();
        logger.addAppender(warnings);
    }

    @AfterEach
    void releaseWarnings() {
        logger.detachAppender(warnings);
    }

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

    /** A job that keeps continuing keeps the log from being cut back to empty, so it is rewritten once it is large. */
    @Test
    void aLogThatGrowsPast64MiBWhileAJobStaysPendingIsRewrittenWithOnlyThePendingEntries() throws Exception {
        Path log = base.resolve("slot-0").resolve("journal.log");
        byte[] mebibyte = new byte[1 << 20];
        try (OutcomeJournal journal = OutcomeJournal.inDirectory(base, OutcomeJournal.Durability.PROCESS_CRASH)) {
            journal.write("continuing", bytes("claimed"));
            long largest = 0;
            for (int i = 0; i < 70; i++) {
                journal.write("job-" + i, mebibyte);
                largest = Math.max(largest, Files.size(log));
                journal.delete("job-" + i);
            }

            assertThat(largest).as("the log grew past 64 MiB").isGreaterThan(64L << 20);
            assertThat(Files.size(log)).as("and was rewritten").isLessThan(8L << 20);
            assertThat(strings(journal.readAll())).containsExactly(Map.entry("continuing", "claimed"));
        }
        try (OutcomeJournal restarted = OutcomeJournal.inDirectory(base)) {
            assertThat(strings(restarted.readAll())).containsExactly(Map.entry("continuing", "claimed"));
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

    @Test
    void aRecordWithAFlippedBitIsDroppedWithEverythingAfterItAndTheLogIsCutBackToWhatWasRead() throws Exception {
        try (OutcomeJournal journal = OutcomeJournal.inDirectory(base)) {
            journal.write("a", bytes("finished a"));
        }
        int aEnds = (int) Files.size(log());
        try (OutcomeJournal journal = OutcomeJournal.inDirectory(base)) {
            journal.write("b", bytes("claimed b"));
            journal.write("c", bytes("claimed c"));
        }
        byte[] all = Files.readAllBytes(log());
        all[aEnds + HEADER + 5] ^= 0x10;
        Files.write(log(), all);

        try (OutcomeJournal restarted = OutcomeJournal.inDirectory(base)) {
            assertThat(strings(restarted.readAll())).containsExactly(Map.entry("a", "finished a"));
            assertThat(Files.size(log())).isEqualTo(aEnds);
        }
        assertThat(warnings.list).singleElement().satisfies(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.WARN);
            assertThat(e.getFormattedMessage()).contains("byte " + aEnds).contains("torn or corrupt")
                    .contains("the " + (all.length - aEnds) + " bytes after it");
        });
    }

    @Test
    void aZeroFilledTailIsDroppedAndTheJournalKeepsWorking() throws Exception {
        try (OutcomeJournal journal = OutcomeJournal.inDirectory(base)) {
            journal.write("a", bytes("finished a"));
        }
        Files.write(log(), new byte[4096], StandardOpenOption.APPEND);

        try (OutcomeJournal restarted = OutcomeJournal.inDirectory(base)) {
            assertThat(strings(restarted.readAll())).containsExactly(Map.entry("a", "finished a"));
            restarted.write("b", bytes("claimed b"));
        }
        try (OutcomeJournal again = OutcomeJournal.inDirectory(base)) {
            assertThat(strings(again.readAll())).containsOnly(
                    Map.entry("a", "finished a"), Map.entry("b", "claimed b"));
        }
        assertThat(warnings.list).hasSize(1);
    }

    @Test
    void aTailShorterThanAHeaderIsDroppedWithAWarning() throws Exception {
        try (OutcomeJournal journal = OutcomeJournal.inDirectory(base)) {
            journal.write("a", bytes("finished a"));
        }
        Files.write(log(), new byte[] {0, 0, 0}, StandardOpenOption.APPEND);

        assertThat(strings(FileOutcomeJournal.peek(base))).containsExactly(Map.entry("a", "finished a"));
        assertThat(warnings.list).hasSize(1);
    }

    @Test
    void theShortestRecordAnEmptyIdWithAnEmptyEntryIsReplayed() throws Exception {
        try (OutcomeJournal journal = OutcomeJournal.inDirectory(base)) {
            journal.write("", new byte[0]);
        }

        try (OutcomeJournal restarted = OutcomeJournal.inDirectory(base)) {
            assertThat(strings(restarted.readAll())).containsExactly(Map.entry("", ""));
        }
        assertThat(warnings.list).isEmpty();
    }

    @Test
    void deletionRecordsAreReplayed() throws Exception {
        Files.createDirectories(log().getParent());
        Files.write(log(), concat(record(PUT, "a", "claimed a"), record(PUT, "b", "claimed b"),
                record(DELETE, "a", "")));

        assertThat(strings(FileOutcomeJournal.peek(base))).containsExactly(Map.entry("b", "claimed b"));
        assertThat(warnings.list).isEmpty();
    }

    @Test
    void recordsWithAValidChecksumButNoValidBodyAreDropped() throws Exception {
        byte[] good = record(PUT, "a", "claimed a");
        byte[] unknownType = record((byte) 7, "b", "claimed b");
        byte[] idOverrunsBody = withChecksum(ByteBuffer.allocate(5).put(PUT).putShort((short) 40).put((byte) 'x')
                .put((byte) 'y').array());
        byte[] tooShort = withChecksum(new byte[] {PUT, 0});
        for (byte[] bad : List.of(unknownType, idOverrunsBody, tooShort)) {
            warnings.list.clear();
            Files.createDirectories(log().getParent());
            Files.write(log(), concat(good, bad, record(PUT, "c", "claimed c")));

            assertThat(strings(FileOutcomeJournal.peek(base))).containsExactly(Map.entry("a", "claimed a"));
            assertThat(warnings.list).as("warning").hasSize(1);
        }
    }

    @Test
    void aRecordLongerThanTheRestOfTheFileIsDropped() throws Exception {
        byte[] truncatedLength = record(PUT, "b", "claimed b");
        ByteBuffer.wrap(truncatedLength).putInt(0, truncatedLength.length);
        Files.createDirectories(log().getParent());
        Files.write(log(), concat(record(PUT, "a", "claimed a"), truncatedLength));

        assertThat(strings(FileOutcomeJournal.peek(base))).containsExactly(Map.entry("a", "claimed a"));
        assertThat(warnings.list).hasSize(1);
    }

    @Test
    void aJobIdLongerThanARecordCanHoldIsRefusedAndTheLongestFits() throws Exception {
        String longest = "j".repeat(0xFFFF);
        try (OutcomeJournal journal = OutcomeJournal.inDirectory(base)) {
            journal.write(longest, bytes("claimed"));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> journal.write(longest + "j", bytes("claimed")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("65536 bytes");
        }
        assertThat(FileOutcomeJournal.peek(base)).containsOnlyKeys(longest);
    }

    @Test
    void aDeletionBeforeAnyReadStillRemovesAnEntryAnEarlierRunLeft() throws Exception {
        try (OutcomeJournal journal = OutcomeJournal.inDirectory(base)) {
            journal.write("a", bytes("finished a"));
            journal.write("b", bytes("finished b"));
        }
        try (OutcomeJournal restarted = OutcomeJournal.inDirectory(base)) {
            restarted.delete("a");
        }

        assertThat(strings(FileOutcomeJournal.peek(base))).containsExactly(Map.entry("b", "finished b"));
    }

    @Test
    void aJournalClosedBeforeItsFirstUseClosesQuietly() throws Exception {
        new FileOutcomeJournal(base, true).close();

        try (var files = Files.list(base)) {
            assertThat(files).as("no slot was taken").isEmpty();
        }
    }

    /** A worker's journal is closed at shutdown and opened again if the worker starts again in the same JVM. */
    @Test
    void aClosedJournalReleasesItsSlotAndWhenUsedAgainReadsTheSlotAsItIsNow() throws Exception {
        FileOutcomeJournal journal = new FileOutcomeJournal(base, true);
        journal.write("a", bytes("finished a"));
        journal.write("b", bytes("finished b"));
        journal.close();
        try (OutcomeJournal next = OutcomeJournal.inDirectory(base)) {
            next.delete("a");
            next.delete("b");
            next.write("c", bytes("claimed c"));
            assertThat(Files.exists(base.resolve("slot-1"))).as("the closed journal's slot was free").isFalse();
        }

        assertThat(strings(journal.readAll())).containsExactly(Map.entry("c", "claimed c"));
        journal.close();
    }

    @Test
    void deletingAJobTheJournalDoesNotHoldAppendsNothing() throws Exception {
        try (OutcomeJournal journal = OutcomeJournal.inDirectory(base)) {
            journal.write("a", bytes("claimed a"));
            long size = Files.size(log());

            journal.delete("never-written");

            assertThat(Files.size(log())).isEqualTo(size);
        }
    }

    @Test
    void peekReadsNothingFromAMissingDirectoryAndSkipsSlotsWithoutALog() throws Exception {
        assertThat(FileOutcomeJournal.peek(base.resolve("missing"))).isEmpty();
        Files.createDirectories(base.resolve("slot-7"));
        try (OutcomeJournal journal = OutcomeJournal.inDirectory(base)) {
            journal.write("a", bytes("claimed a"));
        }

        assertThat(strings(FileOutcomeJournal.peek(base))).containsExactly(Map.entry("a", "claimed a"));
    }

    private Path log() {
        return base.resolve("slot-0").resolve("journal.log");
    }

    /** A record as the journal writes it: body length, CRC32C of the body, then type, id length, id, entry. */
    static byte[] record(byte type, String jobId, String entry) {
        byte[] id = bytes(jobId);
        byte[] value = bytes(entry);
        return withChecksum(ByteBuffer.allocate(3 + id.length + value.length).put(type).putShort((short) id.length)
                .put(id).put(value).array());
    }

    static byte[] withChecksum(byte[] body) {
        CRC32C crc = new CRC32C();
        crc.update(body);
        return ByteBuffer.allocate(HEADER + body.length).putInt(body.length).putInt((int) crc.getValue()).put(body)
                .array();
    }

    static byte[] concat(byte[]... parts) {
        ByteBuffer all = ByteBuffer.allocate(java.util.Arrays.stream(parts).mapToInt(p -> p.length).sum());
        for (byte[] part : parts) {
            all.put(part);
        }
        return all.array();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, String> strings(Map<String, byte[]> entries) {
        return entries.entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey,
                e -> new String(e.getValue(), StandardCharsets.UTF_8)));
    }
}

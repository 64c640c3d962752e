package dev.pipelineworker.internal.journal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.pipelineworker.OutcomeJournal;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Whatever a crash, a full disk or a stray write left in the journal file, the next worker starts: it reads the
 * records up to the damage, and what it then writes and deletes is what the one after it reads. For one input in
 * two, the fuzzed records get correct checksums, so that what lies behind the checksum is fuzzed too.
 */
class FileOutcomeJournalFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void anyLogIsReadUpToItsDamageAndTheJournalKeepsWorking(FuzzedDataProvider data) throws IOException {
        Path base = Files.createTempDirectory("journal-fuzz");
        try {
            Path log = Files.createDirectories(base.resolve("slot-0")).resolve("journal.log");
            Files.write(log, data.consumeBoolean() ? checksummedRecords(data) : data.consumeRemainingAsBytes());
            Map<String, byte[]> peeked = FileOutcomeJournal.peek(base);

            Map<String, byte[]> read;
            try (OutcomeJournal journal = OutcomeJournal.inDirectory(base, OutcomeJournal.Durability.PROCESS_CRASH)) {
                read = journal.readAll();
                journal.write("after-restart", new byte[] {1, 2, 3});
                read.keySet().stream().findFirst().ifPresent(first -> delete(journal, first));
            }

            assertThat(read.keySet()).isEqualTo(peeked.keySet());
            try (OutcomeJournal next = OutcomeJournal.inDirectory(base, OutcomeJournal.Durability.PROCESS_CRASH)) {
                java.util.Set<String> expected = new java.util.HashSet<>(read.keySet());
                expected.add("after-restart");
                read.keySet().stream().findFirst().ifPresent(expected::remove);
                assertThat(next.readAll().keySet()).isEqualTo(expected);
            }
        } finally {
            try (Stream<Path> all = Files.walk(base)) {
                for (Path path : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    private static void delete(OutcomeJournal journal, String jobId) {
        try {
            journal.delete(jobId);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Records of fuzzed type, id length and body, each with the checksum its body needs. */
    private static byte[] checksummedRecords(FuzzedDataProvider data) {
        ByteBuffer all = ByteBuffer.allocate(64 * 1024);
        while (data.remainingBytes() > 4 && all.remaining() > 1024) {
            byte type = data.consumeBoolean() ? (byte) data.consumeInt(1, 2) : data.consumeByte();
            short idLength = data.consumeBoolean() ? (short) data.consumeInt(0, 16) : data.consumeShort();
            byte[] rest = data.consumeBytes(data.consumeInt(0, 64));
            byte[] body = ByteBuffer.allocate(3 + rest.length).put(type).putShort(idLength).put(rest).array();
            all.put(FileOutcomeJournalTest.withChecksum(body));
        }
        return java.util.Arrays.copyOf(all.array(), all.position());
    }
}

package dev.pipelineworker.internal.archive;

import static dev.pipelineworker.internal.archive.ZipArchivesFuzzTest.assertLinksStayInside;
import static dev.pipelineworker.internal.archive.ZipArchivesFuzzTest.bytesBelow;
import static dev.pipelineworker.internal.archive.ZipArchivesFuzzTest.deleteAll;
import static dev.pipelineworker.internal.archive.ZipArchivesFuzzTest.writeEntries;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobFailureException;
import dev.pipelineworker.ZipLimits;
import dev.pipelineworker.internal.archive.ZipCentralDirectory.Found;
import dev.pipelineworker.internal.archive.ZipCentralDirectory.Lookup;
import dev.pipelineworker.internal.archive.ZipCentralDirectory.NeedsBytesFrom;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;

/**
 * The central directory read from a tail and the one-pass extraction on archives no honest tool would write,
 * including ones whose directory and local headers disagree: a lookup asks only for bytes before those it was
 * given, and whatever the archive, nothing lands outside the target, nothing passes the limits, and the only
 * failures are the documented JobFailed refusal and {@link OnePassAbandonedException}, after which nothing the
 * pass wrote is left. Each input is built like {@link ZipArchivesFuzzTest}'s (so its corpus seeds this one),
 * then has a few bytes overwritten and is read from a fuzzed tail length.
 */
class OnePassExtractionFuzzTest {

    private static final ZipLimits LIMITS = ZipLimits.defaults().withMaxEntries(16).withMaxTotalUncompressedBytes(4096);
    private static final int MAX_READS = 3;

    @FuzzTest(maxDuration = "10s")
    void onePassStaysInsideTheTargetAndTheLimits(FuzzedDataProvider data) throws IOException {
        Path base = Files.createTempDirectory("one-pass-fuzz");
        try {
            Path archive = base.resolve("in.zip");
            Path target = base.resolve("work/target");
            boolean raw = data.consumeInt(0, 3) == 0;
            if (raw) {
                Files.write(archive, data.consumeBytes(data.remainingBytes() / 2));
            } else {
                writeEntries(data, archive);
            }
            byte[] zip = Files.readAllBytes(archive);
            Files.delete(archive);
            int overwrites = zip.length == 0 ? 0 : data.consumeInt(0, 4);
            for (int i = 0; i < overwrites; i++) {
                zip[data.consumeInt(0, zip.length - 1)] = data.consumeByte();
            }
            Lookup lookup = readFromTail(zip, data.consumeInt(0, zip.length));
            if (lookup instanceof Found found) {
                assertThat(found.directory().entriesEnd()).isBetween(0L, (long) zip.length);
                extract(found.directory(), zip, target);
            }
            try (Stream<Path> outside = Files.list(base)) {
                assertThat(outside).allMatch(p -> p.equals(base.resolve("work")));
            }
            if (Files.exists(base.resolve("work"))) {
                try (Stream<Path> outside = Files.list(base.resolve("work"))) {
                    assertThat(outside).containsExactly(target);
                }
            }
            assertThat(bytesBelow(target)).isLessThanOrEqualTo(LIMITS.maxTotalUncompressedBytes());
            assertLinksStayInside(target);
        } finally {
            deleteAll(base);
        }
    }

    /** Reads as the store does: the tail, then the bytes before it for as long as the lookup asks (a few times). */
    private static Lookup readFromTail(byte[] zip, int tailLength) {
        int firstByte = zip.length - tailLength;
        Lookup lookup = ZipCentralDirectory.read(zip.length, firstByte, Arrays.copyOfRange(zip, firstByte, zip.length),
                LIMITS);
        for (int reads = 1; lookup instanceof NeedsBytesFrom more && reads < MAX_READS; reads++) {
            assertThat(more.position()).isBetween(0L, firstByte - 1L);
            firstByte = (int) more.position();
            lookup = ZipCentralDirectory.read(zip.length, firstByte, Arrays.copyOfRange(zip, firstByte, zip.length),
                    LIMITS);
        }
        return lookup;
    }

    private static void extract(ZipCentralDirectory directory, byte[] zip, Path target) throws IOException {
        try {
            ZipArchives.extract(directory, new ByteArrayInputStream(zip), target, LIMITS, "src");
        } catch (JobFailureException refused) {
            assertThat(refused.type()).isEqualTo(FailureType.JOB_FAILED);
            assertThat(refused.getMessage()).startsWith("input artifact 'src' ");
        } catch (OnePassAbandonedException abandoned) {
            try (Stream<Path> left = Files.list(target)) {
                assertThat(left).as("left after an abandoned pass").isEmpty();
            }
        }
    }
}

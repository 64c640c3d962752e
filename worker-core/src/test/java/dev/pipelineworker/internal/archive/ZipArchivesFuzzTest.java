package dev.pipelineworker.internal.archive;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobFailureException;
import dev.pipelineworker.ZipLimits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;

/**
 * Zip extraction on archives no honest tool would write: whatever the archive, nothing lands outside the target,
 * nothing passes the limits, and the only failure is the documented JobFailed refusal. Each input is built into a
 * zip of fuzzed entries (names, kinds, modes, contents, symlink targets) or, for one in four, taken as raw bytes.
 */
class ZipArchivesFuzzTest {

    private static final ZipLimits LIMITS = ZipLimits.defaults().withMaxEntries(16).withMaxTotalUncompressedBytes(4096);

    @FuzzTest(maxDuration = "10s")
    void extractionStaysInsideTheTargetAndTheLimits(FuzzedDataProvider data) throws IOException {
        Path base = Files.createTempDirectory("zip-fuzz");
        try {
            Path archive = base.resolve("in.zip");
            Path target = base.resolve("work/target");
            if (data.consumeInt(0, 3) == 0) {
                Files.write(archive, data.consumeRemainingAsBytes());
            } else {
                writeEntries(data, archive);
            }
            try {
                ZipArchives.extract(archive, target, LIMITS, "src");
            } catch (JobFailureException refused) {
                assertThat(refused.type()).isEqualTo(FailureType.JOB_FAILED);
                assertThat(refused.getMessage()).startsWith("input artifact 'src' ");
            }
            try (Stream<Path> outside = Files.list(base.resolve("work"))) {
                assertThat(outside).containsExactly(target);
            }
            try (Stream<Path> outside = Files.list(base)) {
                assertThat(outside).containsExactlyInAnyOrder(archive, base.resolve("work"));
            }
            assertThat(bytesBelow(target)).isLessThanOrEqualTo(LIMITS.maxTotalUncompressedBytes());
            assertLinksStayInside(target);
        } finally {
            deleteAll(base);
        }
    }

    static void writeEntries(FuzzedDataProvider data, Path archive) throws IOException {
        try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(archive)) {
            int count = data.consumeInt(1, 6);
            for (int i = 0; i < count && data.remainingBytes() > 0; i++) {
                String name = data.consumeString(24);
                if (name.isEmpty()) {
                    continue;
                }
                ZipArchiveEntry entry = new ZipArchiveEntry(name);
                int kind = data.consumeInt(0, 2);
                int permissions = data.consumeInt(0, 07777);
                byte[] content;
                if (kind == 0) {
                    entry.setUnixMode(0100000 | permissions);
                    content = data.consumeBytes(data.consumeInt(0, 3000));
                } else if (kind == 1) {
                    entry.setUnixMode(0120000 | permissions);
                    content = data.consumeString(24).getBytes(StandardCharsets.UTF_8);
                } else {
                    entry = new ZipArchiveEntry(name.endsWith("/") ? name : name + "/");
                    entry.setUnixMode(040000 | permissions);
                    content = new byte[0];
                }
                out.putArchiveEntry(entry);
                out.write(content);
                out.closeArchiveEntry();
            }
        }
    }

    static long bytesBelow(Path target) throws IOException {
        if (!Files.exists(target)) {
            return 0;
        }
        AtomicLong bytes = new AtomicLong();
        Files.walkFileTree(target, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile()) {
                    bytes.addAndGet(attrs.size());
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return bytes.get();
    }

    /** Every symlink extracted resolves, lexically and for real, to a place inside the target. */
    static void assertLinksStayInside(Path target) throws IOException {
        if (!Files.exists(target)) {
            return;
        }
        Path root = target.toRealPath();
        try (Stream<Path> all = Files.walk(target)) {
            all.filter(Files::isSymbolicLink).forEach(link -> {
                try {
                    // Path.startsWith, not AssertJ's: that one resolves the path, and a dangling link is allowed.
                    Path pointed = link.getParent().resolve(Files.readSymbolicLink(link)).normalize();
                    assertThat(pointed.startsWith(target)).as("symlink %s points to %s", link, pointed).isTrue();
                    if (Files.exists(link)) {
                        assertThat(link.toRealPath().startsWith(root)).as("symlink %s resolves inside", link).isTrue();
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    static void deleteAll(Path base) throws IOException {
        try (Stream<Path> all = Files.walk(base)) {
            for (Path path : all.sorted(Comparator.reverseOrder()).toList()) {
                if (!Files.isSymbolicLink(path) && Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                    path.toFile().setWritable(true);
                    path.toFile().setExecutable(true);
                }
            }
        }
        try (Stream<Path> all = Files.walk(base)) {
            for (Path path : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}

package dev.pipelineworker.s3;

import static dev.pipelineworker.s3.S3MockServer.BUCKET;
import static dev.pipelineworker.s3.S3MockServer.KEY_ID;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pipelineworker.ArtifactStore;
import dev.pipelineworker.EncryptionKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 1 GiB directory of incompressible data zipped, uploaded, downloaded and extracted with a small
 * heap. Excluded from the default build; run it with {@code mvn -pl worker-s3 -am verify -Pbig-artifacts},
 * which forks the tests with {@code -Xmx256m}. The heap measured includes S3Mock's, which runs in the
 * same JVM, so the store's own share is smaller than what is printed.
 */
@Tag("big-artifacts")
class BigArtifactRoundTripTest {

    private static final int FILES = 4;
    private static final int FILE_SIZE = 256 << 20;
    private static final int CHUNK = 1 << 20;

    @TempDir
    Path temp;

    @Test
    void oneGibibyteRoundTripWithBoundedHeap() throws IOException {
        Path source = Files.createDirectories(temp.resolve("source"));
        long[] checksums = new long[FILES];
        for (int i = 0; i < FILES; i++) {
            checksums[i] = writeRandom(source.resolve("part-" + i + ".bin"), i);
        }
        long maxHeap = Runtime.getRuntime().maxMemory();
        assertThat(maxHeap).as("run with -Pbig-artifacts, which sets -Xmx256m").isLessThanOrEqualTo(256L << 20);
        HeapSampler heap = HeapSampler.start();

        S3ArtifactStoreFactory factory = S3MockServer.storeFactory().build();
        String key = "big/" + System.nanoTime() + ".zip";
        long start = System.nanoTime();
        try (factory; ArtifactStore store = factory.open(Jobs.access(BUCKET, key, key, EncryptionKey.kms(KEY_ID),
                Jobs.credentials("AKIDBIG"), Jobs.NO_REFRESH))) {
            store.writeOutputZip("out", source);
            long uploaded = System.nanoTime();
            Path target = temp.resolve("extracted");
            try (ExtractionLog log = new ExtractionLog()) {
                store.extractInput("src", target);
                assertThat(log.messages()).singleElement().asString().contains(ExtractionLog.ONE_PASS);
            }
            long done = System.nanoTime();

            for (int i = 0; i < FILES; i++) {
                Path file = target.resolve("part-" + i + ".bin");
                assertThat(Files.size(file)).isEqualTo(FILE_SIZE);
                assertThat(crc(file)).isEqualTo(checksums[i]);
            }
            System.out.printf("big-artifacts: 1 GiB zip+upload %.1f s, download+extract %.1f s, peak heap used "
                            + "(sampled every 20 ms, includes S3Mock) %d MiB of max %d MiB%n",
                    (uploaded - start) / 1e9, (done - uploaded) / 1e9, heap.stop() >> 20, maxHeap >> 20);
        }
    }

    /** Samples the heap in use from a daemon thread; the MXBean's per-pool peaks do not add up to one. */
    private static final class HeapSampler implements Runnable {
        private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        private final Thread thread = new Thread(this, "heap-sampler");
        private volatile boolean running = true;
        private volatile long peak;

        static HeapSampler start() {
            HeapSampler sampler = new HeapSampler();
            sampler.thread.setDaemon(true);
            sampler.thread.start();
            return sampler;
        }

        @Override
        public void run() {
            while (running) {
                peak = Math.max(peak, memory.getHeapMemoryUsage().getUsed());
                LockSupport.parkNanos(20_000_000L);
            }
        }

        long stop() {
            running = false;
            return peak;
        }
    }

    private static long writeRandom(Path file, int seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        CRC32 crc = new CRC32();
        byte[] chunk = new byte[CHUNK];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int written = 0; written < FILE_SIZE; written += CHUNK) {
                for (int i = 0; i < CHUNK; i += 8) {
                    long value = random.nextLong();
                    for (int b = 0; b < 8; b++) {
                        chunk[i + b] = (byte) (value >>> (8 * b));
                    }
                }
                crc.update(chunk);
                out.write(chunk);
            }
        }
        return crc.getValue();
    }

    private static long crc(Path file) throws IOException {
        CRC32 crc = new CRC32();
        byte[] buffer = new byte[CHUNK];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                crc.update(buffer, 0, n);
            }
        }
        return crc.getValue();
    }
}

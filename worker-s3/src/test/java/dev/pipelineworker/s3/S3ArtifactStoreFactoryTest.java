package dev.pipelineworker.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.pipelineworker.ArtifactStore;
import dev.pipelineworker.ArtifactStoreFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.regions.Region;

class S3ArtifactStoreFactoryTest {

    @TempDir
    Path temp;

    @Test
    void isFoundByServiceLoader() {
        assertThat(ServiceLoader.load(ArtifactStoreFactory.class))
                .anySatisfy(f -> assertThat(f).isInstanceOf(S3ArtifactStoreFactory.class));
    }

    @Test
    void theBuilderIsImmutable() {
        S3ArtifactStoreFactory.Builder base = S3ArtifactStoreFactory.builder().region(Region.EU_WEST_1);
        base.endpointOverride(URI.create("http://localhost:1")).forcePathStyle(true);

        assertThat(base.build()).hasToString("S3ArtifactStoreFactory[region=eu-west-1, endpoint=default, "
                + "pathStyle=false, multipartThreshold=8388608, partSize=8388608, partsInFlight=3]");
    }

    @Test
    void eachSetterSetsItsOwnValue() {
        S3ArtifactStoreFactory.Builder builder = S3ArtifactStoreFactory.builder()
                .region(Region.AP_SOUTH_1)
                .endpointOverride(URI.create("http://localhost:9"))
                .forcePathStyle(true)
                .multipartThreshold(1)
                .partSize(6L << 20)
                .partsInFlight(5);

        assertThat(builder.build()).hasToString("S3ArtifactStoreFactory[region=ap-south-1, "
                + "endpoint=http://localhost:9, pathStyle=true, multipartThreshold=1, partSize=6291456, "
                + "partsInFlight=5]");
        assertThat(builder.forcePathStyle(false).build().toString()).contains("pathStyle=false");
    }

    @Test
    void refusesNullsNamingTheSetting() {
        S3ArtifactStoreFactory.Builder builder = S3ArtifactStoreFactory.builder();

        assertThatNullPointerException().isThrownBy(() -> builder.region(null)).withMessage("region");
        assertThatNullPointerException().isThrownBy(() -> builder.endpointOverride(null)).withMessage("endpoint");
        assertThatNullPointerException().isThrownBy(() -> builder.deflateExecutor(null, 1)).withMessage("executor");
        assertThatNullPointerException().isThrownBy(() -> builder.zipLimits(null)).withMessage("limits");
        assertThatNullPointerException().isThrownBy(() -> builder.httpClient(null)).withMessage("httpClient");
        assertThatNullPointerException().isThrownBy(() -> builder.retryStrategy(null)).withMessage("retryStrategy");
    }

    @Test
    void refusesNoPartsOrThreadsInFlight() {
        assertThatThrownBy(() -> S3ArtifactStoreFactory.builder().partsInFlight(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("partsInFlight");
        assertThatThrownBy(() -> S3ArtifactStoreFactory.builder().deflateExecutor(Runnable::run, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("deflateParallelism");
    }

    @Test
    void refusesPartsBelowTheS3Minimum() {
        assertThatThrownBy(() -> S3ArtifactStoreFactory.builder().partSize((5L << 20) - 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 5 MiB");
        assertThatThrownBy(() -> S3ArtifactStoreFactory.builder().multipartThreshold(0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aClosedFactoryOpensNoMoreStores() {
        S3ArtifactStoreFactory factory = S3ArtifactStoreFactory.builder().region(Region.EU_WEST_1).build();
        factory.close();

        assertThatThrownBy(() -> factory.open(Jobs.access("b", "i", "o", null, Jobs.credentials("AKIDX"),
                Jobs.NO_REFRESH))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void closingEndsTheEventLoopWithoutWaitingOutNettysQuietPeriodAndEndsTheDeflateThreads() throws IOException {
        long threadsBefore = eventLoopThreads();
        List<Thread> deflateBefore = threads("pipeline-worker-deflate-");
        Path tree = Files.createDirectories(temp.resolve("tree"));
        Files.writeString(tree.resolve("Main.java"), "class Main { int value = 42; }\n".repeat(40_000));
        S3ArtifactStoreFactory factory = S3ArtifactStoreFactory.builder()
                .region(Region.US_EAST_1)
                .endpointOverride(S3MockServer.endpoint())
                .forcePathStyle(true)
                .build();
        try (ArtifactStore store = factory.open(Jobs.access(S3MockServer.BUCKET, "close-test/in", "close-test/out",
                null, Jobs.credentials("AKIDCLOSE"), Jobs.NO_REFRESH))) {
            store.writeOutput("out", new ByteArrayInputStream(new byte[] {1}), 1);
            store.writeOutputZip("out", tree);
        }
        assertThat(eventLoopThreads()).as("event loop threads while open").isGreaterThan(threadsBefore);
        List<Thread> deflate = threads("pipeline-worker-deflate-").stream().filter(t -> !deflateBefore.contains(t))
                .toList();
        assertThat(deflate).as("the factory's own deflate threads").isNotEmpty();

        long started = System.nanoTime();
        factory.close();
        Duration closing = Duration.ofNanos(System.nanoTime() - started);

        // The SDK's own shutdown of a Netty client's event loop waits a quiet period of 2 s.
        assertThat(closing).isLessThan(Duration.ofSeconds(2));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(eventLoopThreads()).as("event loop threads after close").isEqualTo(threadsBefore));
        await().atMost(Duration.ofSeconds(10)).until(() -> deflate.stream().noneMatch(Thread::isAlive));
    }

    private static List<Thread> threads(String namePrefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.isAlive() && thread.getName().startsWith(namePrefix)).toList();
    }

    private static long eventLoopThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.isAlive() && thread.getName().startsWith("pipeline-worker-s3-")).count();
    }
}

package dev.pipelineworker.s3.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.pipelineworker.internal.archive.DirectoryZipper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The deflate threads of a factory: the user's executor or its own daemon pool, made once, ended by close. */
class DeflatePoolTest {

    @TempDir
    Path temp;

    @Test
    void ownThreadsAreMadeOnTheFirstZipAsDaemonsAtMostOnePerConfiguredCoreAndEndOnClose() throws IOException {
        List<Thread> before = deflateThreads();
        DeflatePool pool = new DeflatePool(S3StoreSettings.defaults().withDeflate(null, 2));
        assertThat(newThreads(before)).as("no threads before the first zip").isEmpty();

        DirectoryZipper zipper = pool.zipper();
        zipper.zip(tree(), OutputStream.nullOutputStream());

        assertThat(pool.zipper()).isSameAs(zipper);
        List<Thread> own = newThreads(before);
        assertThat(own).hasSizeBetween(1, 2).allSatisfy(t -> assertThat(t.isDaemon()).isTrue());
        pool.close();
        await("the deflate threads ended").atMost(Duration.ofSeconds(10))
                .until(() -> own.stream().noneMatch(Thread::isAlive));
        assertThatThrownBy(pool::zipper).isInstanceOf(IllegalStateException.class)
                .hasMessage("the S3 artifact store factory is closed");
    }

    @Test
    void aUsersExecutorDeflatesTheChunksAndIsLeftRunning() throws IOException {
        List<Thread> before = deflateThreads();
        ExecutorService executor = Executors.newSingleThreadExecutor();
        List<Runnable> ran = new ArrayList<>();
        Executor counting = task -> {
            ran.add(task);
            executor.execute(task);
        };
        try {
            DeflatePool pool = new DeflatePool(S3StoreSettings.defaults().withDeflate(counting, 1));
            pool.zipper().zip(tree(), new ByteArrayOutputStream());
            pool.close();

            assertThat(ran).isNotEmpty();
            assertThat(executor.isShutdown()).isFalse();
            assertThat(newThreads(before)).as("no threads of the pool's own").isEmpty();
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void twiceAsManyChunksAsThreadsAreInFlightBesideTheOneJustRead() throws Exception {
        HoldingExecutor holding = new HoldingExecutor();
        DeflatePool pool = new DeflatePool(S3StoreSettings.defaults().withDeflate(holding, 3));
        Path tree = tree();
        Thread zipping = new Thread(() -> {
            try {
                pool.zipper().zip(tree, OutputStream.nullOutputStream());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        zipping.start();
        try {
            await("the zipper waits for its oldest chunk").atMost(Duration.ofSeconds(10))
                    .until(() -> zipping.getState() == Thread.State.WAITING && holding.held() > 0);

            assertThat(holding.held()).isEqualTo(2 * 3 + 1);
        } finally {
            holding.release();
            zipping.join(TimeUnit.SECONDS.toMillis(10));
        }
        assertThat(zipping.isAlive()).isFalse();
        pool.close();
    }

    /** A compressible file of 20 chunks, so the deflation needs the executor many times. */
    private Path tree() throws IOException {
        Path tree = Files.createDirectories(temp.resolve("tree-" + System.nanoTime()));
        Files.writeString(tree.resolve("Main.java"), "class Main { int value = 42; }\n".repeat(170_000),
                StandardCharsets.US_ASCII);
        return tree;
    }

    private static List<Thread> newThreads(List<Thread> before) {
        return deflateThreads().stream().filter(t -> !before.contains(t)).toList();
    }

    private static List<Thread> deflateThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("pipeline-worker-deflate-")).toList();
    }

    /** Holds every task until released, then runs the held ones and any later one at once. */
    private static final class HoldingExecutor implements Executor {
        private final List<Runnable> tasks = new ArrayList<>();
        private boolean released;

        @Override
        public void execute(Runnable task) {
            synchronized (this) {
                if (!released) {
                    tasks.add(task);
                    return;
                }
            }
            task.run();
        }

        synchronized int held() {
            return tasks.size();
        }

        void release() {
            List<Runnable> held;
            synchronized (this) {
                released = true;
                held = List.copyOf(tasks);
            }
            held.forEach(Runnable::run);
        }
    }
}

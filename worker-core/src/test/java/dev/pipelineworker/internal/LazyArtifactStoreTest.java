package dev.pipelineworker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipelineworker.ArtifactStore;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A job's store is opened on first use only, once, and closed once if it was opened. */
class LazyArtifactStoreTest {

    private final AtomicInteger opened = new AtomicInteger();
    private final AtomicInteger closed = new AtomicInteger();

    @Test
    void aStoreNeverUsedIsNeverOpenedNorClosed() {
        LazyArtifactStore lazy = new LazyArtifactStore(() -> store(null));

        assertThat(lazy.close()).isEmpty();

        assertThat(opened).hasValue(0);
        assertThat(closed).hasValue(0);
    }

    @Test
    void theStoreIsOpenedOnceHowEverOftenItIsAskedForAndClosedWhenTheJobEnds() {
        ArtifactStore theStore = store(null);
        opened.set(0);
        LazyArtifactStore lazy = new LazyArtifactStore(() -> {
            opened.incrementAndGet();
            return theStore;
        });

        ArtifactStore first = lazy.get();
        ArtifactStore second = lazy.get();

        assertThat(first).isSameAs(theStore);
        assertThat(second).isSameAs(theStore);
        assertThat(opened).hasValue(1);
        assertThat(lazy.close()).isEmpty();
        assertThat(closed).hasValue(1);
    }

    @Test
    void whatClosingThrowsIsHandedBackNotThrown() {
        IOException ioFailure = new IOException("flush failed");
        LazyArtifactStore failsWithIo = new LazyArtifactStore(() -> store(ioFailure));
        failsWithIo.get();
        IllegalStateException runtimeFailure = new IllegalStateException("pool gone");
        LazyArtifactStore failsAtRuntime = new LazyArtifactStore(() -> store(runtimeFailure));
        failsAtRuntime.get();

        assertThat(failsWithIo.close()).containsSame(ioFailure);
        assertThat(failsAtRuntime.close()).containsSame(runtimeFailure);
    }

    private ArtifactStore store(Exception closeFailure) {
        opened.incrementAndGet();
        return new UnusedArtifactStore() {
            @Override
            public void close() throws IOException {
                closed.incrementAndGet();
                if (closeFailure instanceof IOException io) {
                    throw io;
                }
                if (closeFailure instanceof RuntimeException runtime) {
                    throw runtime;
                }
            }
        };
    }
}

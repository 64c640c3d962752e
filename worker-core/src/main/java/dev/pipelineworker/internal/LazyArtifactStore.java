package dev.pipelineworker.internal;

import dev.pipelineworker.ArtifactStore;
import java.io.IOException;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A job's artifact store, opened on first use only, so that a handler that never touches
 * artifacts builds no S3 client, and closed once when the job ends.
 */
@SharedInternal
public final class LazyArtifactStore implements Supplier<ArtifactStore> {

    private final Supplier<ArtifactStore> opener;
    private ArtifactStore store;

    public LazyArtifactStore(Supplier<ArtifactStore> opener) {
        this.opener = opener;
    }

    @Override
    public synchronized ArtifactStore get() {
        if (store == null) {
            store = opener.get();
        }
        return store;
    }

    /** Closes the store if it was opened; what closing threw, if anything, for the caller to log. */
    public synchronized Optional<Exception> close() {
        if (store == null) {
            return Optional.empty();
        }
        try {
            store.close();
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.of(e);
        }
    }
}

package dev.pipelineworker.internal;

import dev.pipelineworker.ArtifactStore;
import java.io.InputStream;

/**
 * A store for tests that only open, count or close stores: reading or writing an artifact throws. Subclass it to
 * override {@code close}; its defaults (limits, close) are the interface's.
 */
public class UnusedArtifactStore implements ArtifactStore {

    @Override
    public InputStream openInput(String artifactName) {
        throw new UnsupportedOperationException("no artifacts in this test");
    }

    @Override
    public void writeOutput(String artifactName, InputStream content, long contentLength) {
        throw new UnsupportedOperationException("no artifacts in this test");
    }
}

package dev.pipelineworker.testkit;

import dev.pipelineworker.ArtifactStore;
import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobFailureException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An {@link ArtifactStore} holding one job's artifacts in memory, by artifact name. It fails where
 * the S3 store fails: a name the job does not declare, input or output, is ConfigurationError (the
 * pipeline is wired wrongly), and a stream shorter or longer than its announced length is an
 * IOException. Every input it serves is one the job declares, so it has no missing objects: those
 * are RevisionUnavailable in the S3 store.
 */
public final class InMemoryArtifactStore implements ArtifactStore {

    private final Map<String, byte[]> inputs = new LinkedHashMap<>();
    private final List<String> outputNames;
    private final Map<String, byte[]> outputs = new LinkedHashMap<>();

    /** A store serving {@code inputs} (copied) and accepting writes to the outputs named. */
    public InMemoryArtifactStore(Map<String, byte[]> inputs, Collection<String> outputNames) {
        inputs.forEach((name, content) -> this.inputs.put(name, content.clone()));
        this.outputNames = List.copyOf(outputNames);
    }

    @Override
    public synchronized InputStream openInput(String artifactName) {
        byte[] content = inputs.get(artifactName);
        if (content == null) {
            throw new JobFailureException(FailureType.CONFIGURATION_ERROR,
                    "the job has no input artifact named '" + artifactName + "'; it has " + inputs.keySet());
        }
        return new ByteArrayInputStream(content);
    }

    @Override
    public void writeOutput(String artifactName, InputStream content, long contentLength) throws IOException {
        if (!outputNames.contains(artifactName)) {
            throw new JobFailureException(FailureType.CONFIGURATION_ERROR,
                    "the job has no output artifact named '" + artifactName + "'; it has " + outputNames);
        }
        byte[] bytes = content.readAllBytes();
        if (contentLength >= 0 && bytes.length != contentLength) {
            throw new IOException("output artifact '" + artifactName + "' was announced as " + contentLength
                    + " bytes but the stream held " + bytes.length);
        }
        synchronized (this) {
            outputs.put(artifactName, bytes);
        }
    }

    /** The bytes last written to the named output, if any. */
    public synchronized Optional<byte[]> output(String artifactName) {
        return Optional.ofNullable(outputs.get(artifactName)).map(byte[]::clone);
    }

    /** Every output written, by name, in the order first written. */
    public synchronized Map<String, byte[]> outputs() {
        Map<String, byte[]> copy = new LinkedHashMap<>();
        outputs.forEach((name, bytes) -> copy.put(name, bytes.clone()));
        return copy;
    }
}

package dev.pipelineworker;

import dev.pipelineworker.internal.archive.ZipArchives;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * One job's artifacts, by name: read inputs as streams, files or extracted zips, and write outputs
 * from streams, files or zipped directories. {@code worker-s3} implements it against the pipeline's
 * artifact bucket; the testkit keeps artifacts in memory. A store is closed when its job ends.
 *
 * <p>Failures throw {@link JobFailureException} with the failure type CodePipeline should see (for
 * example {@link FailureType#REVISION_UNAVAILABLE} for a missing object), naming the artifact.
 */
public interface ArtifactStore extends Closeable {

    /** Opens the named input artifact's raw bytes. The caller closes the stream. */
    InputStream openInput(String artifactName) throws IOException;

    /** Copies the named input artifact's raw bytes to {@code target}, replacing it, and returns it. */
    default Path downloadInput(String artifactName, Path target) throws IOException {
        try (InputStream in = openInput(artifactName)) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }

    /**
     * Extracts the named input artifact, a zip archive, into {@code directory} (created if needed)
     * and returns it. Entries that would escape the directory are refused, {@link #zipLimits()} guard
     * against archive bombs, and Unix permission bits are kept when the archive has them. By default
     * the archive is downloaded to a temporary file first; {@code worker-s3} instead reads the zip's
     * central directory from a ranged read of the object's end and streams the entries into the
     * directory in one pass, with the same limits, rules and refusals.
     */
    default Path extractInput(String artifactName, Path directory) throws IOException {
        Path archive = Files.createTempFile("pipeline-worker-in-", ".zip");
        try {
            downloadInput(artifactName, archive);
            ZipArchives.extract(archive, directory, zipLimits(), artifactName);
            return directory;
        } finally {
            Files.deleteIfExists(archive);
        }
    }

    /** Writes the named output artifact from a stream of {@code contentLength} bytes, or -1 when unknown. */
    void writeOutput(String artifactName, InputStream content, long contentLength) throws IOException;

    /** Writes the named output artifact from a file. */
    default void writeOutput(String artifactName, Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            writeOutput(artifactName, in, Files.size(file));
        }
    }

    /**
     * Zips {@code directory} (recursively, keeping Unix permission bits, with paths relative to it)
     * and writes the archive as the named output artifact. Memory stays bounded whatever the size:
     * the archive is streamed to a temporary file first.
     */
    default void writeOutputZip(String artifactName, Path directory) throws IOException {
        Path archive = Files.createTempFile("pipeline-worker-out-", ".zip");
        try {
            ZipArchives.zipDirectory(directory, archive);
            writeOutput(artifactName, archive);
        } finally {
            Files.deleteIfExists(archive);
        }
    }

    /** The limits {@link #extractInput} enforces. Default: {@link ZipLimits#defaults()}. */
    default ZipLimits zipLimits() {
        return ZipLimits.defaults();
    }

    /** Releases what the store holds (clients, temporary files). Default: nothing to release. */
    @Override
    default void close() throws IOException {
    }
}

package dev.pipelineworker.internal.archive;

import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobFailureException;
import dev.pipelineworker.ZipLimits;
import dev.pipelineworker.internal.SharedInternal;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Set;
import java.util.zip.Deflater;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * Safe zip extraction and bounded-memory zip creation for artifacts. Commons Compress is used
 * because java.util.zip exposes neither Unix permission bits nor symlink entries.
 */
@SharedInternal
public final class ZipArchives {

    private static final int SAMPLE = 64 * 1024;
    private static final int MIN_SAMPLE = 4 * 1024;
    private static final PosixFilePermission[] PERMISSION_BITS = {
        PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
        PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
        PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ,
    };

    private ZipArchives() {
    }

    /**
     * Extracts {@code archive} into {@code directory}. Refuses entries that would land outside it
     * (parent segments, absolute paths, symlinks pointing out), and stops at the first limit passed.
     * Every refusal is a JobFailed {@link JobFailureException} naming the artifact and the entry.
     */
    public static void extract(Path archive, Path directory, ZipLimits limits, String artifactName) throws IOException {
        Files.createDirectories(directory);
        Path root = directory.toRealPath();
        ZipFile zip;
        try {
            zip = ZipFile.builder().setPath(archive).get();
        } catch (IOException e) {
            throw new JobFailureException(FailureType.JOB_FAILED,
                    "input artifact '" + artifactName + "' is not a zip archive (" + e.getMessage() + ")", e);
        }
        try (zip) {
            ZipExtraction extraction = new ZipExtraction(root, limits, artifactName, Files.size(archive));
            extraction.checkDirectory(Collections.list(zip.getEntries()));
            Enumeration<ZipArchiveEntry> all = zip.getEntries();
            extraction.run(new ZipExtraction.EntrySource() {
                @Override
                public ZipArchiveEntry next() {
                    return all.hasMoreElements() ? all.nextElement() : null;
                }

                @Override
                public InputStream open(ZipArchiveEntry entry) throws IOException {
                    return zip.getInputStream(entry);
                }
            });
        }
    }

    /**
     * Extracts, in one pass over {@code body}, the archive whose central directory is {@code zip}: the
     * object's bytes from its first, up to (at least) where the directory starts. The directory is checked
     * against the limits and path rules first, with the same checks as {@link #extract(Path, Path, ZipLimits,
     * String)}, and a refusal is the same JobFailed {@link JobFailureException}.
     *
     * <p>Every local header must match its directory entry (name, offset, method, and sizes and CRC when
     * the header has them) and every entry's data must inflate to the directory's size and CRC. When they do
     * not, or the body cannot be read to its end, everything this pass created is removed and {@link
     * OnePassAbandonedException} tells the caller to take the file-based path; see that exception for what
     * the removal guarantees.
     */
    public static void extract(ZipCentralDirectory zip, InputStream body, Path directory, ZipLimits limits,
                               String artifactName) throws IOException {
        Files.createDirectories(directory);
        Path root = directory.toRealPath();
        ZipExtraction extraction = new ZipExtraction(root, limits, artifactName, zip.objectSize());
        extraction.checkDirectory(zip.entries());
        try {
            extraction.run(new StreamedEntries(zip.entries(), body));
        } catch (JobFailureException refused) {
            throw refused;
        } catch (InterruptedIOException interrupted) {
            extraction.removeCreated();
            throw interrupted;
        } catch (IOException | RuntimeException abandoned) {
            extraction.removeCreated();
            throw abandoned instanceof OnePassAbandonedException known ? known
                    : new OnePassAbandonedException("the body could not be read to its end: "
                    + abandoned.getClass().getSimpleName(), abandoned);
        }
    }

    /**
     * Zips the tree under {@code directory} into {@code archive}, with entry names relative to the
     * directory, Unix permission bits, and symlinks kept as symlinks. Streams file by file.
     */
    public static void zipDirectory(Path directory, Path archive) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(archive))) {
            DirectoryZipper.onCallingThread().zip(directory, out);
        }
    }

    /**
     * Whether deflating the file is worth its CPU. Build outputs are often compressed already (jars,
     * archives, images); deflating them again costs most of an upload's time and saves nothing, so a
     * sample of the file's start decides. The output stays seekable, so stored entries need no
     * precomputed CRC.
     */
    static boolean compressesWell(Path file) throws IOException {
        byte[] sample = new byte[SAMPLE];
        int read;
        try (InputStream in = Files.newInputStream(file)) {
            read = in.readNBytes(sample, 0, SAMPLE);
        }
        if (read < MIN_SAMPLE) {
            return true;
        }
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        try {
            deflater.setInput(sample, 0, read);
            deflater.finish();
            byte[] sink = new byte[SAMPLE];
            long compressed = 0;
            while (!deflater.finished()) {
                compressed += deflater.deflate(sink);
            }
            return compressed < read * 0.95;
        } finally {
            deflater.end();
        }
    }

    private static String entryName(Path root, Path path) {
        return root.relativize(path).toString().replace('\\', '/');
    }

    static int mode(Path path, int fallback) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        if (view == null) {
            return fallback;
        }
        Set<PosixFilePermission> permissions = view.readAttributes().permissions();
        int mode = 0;
        for (int bit = 0; bit < PERMISSION_BITS.length; bit++) {
            if (permissions.contains(PERMISSION_BITS[bit])) {
                mode |= 1 << bit;
            }
        }
        return mode;
    }
}

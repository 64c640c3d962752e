package dev.pipelineworker.internal.archive;

import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobFailureException;
import dev.pipelineworker.ZipLimits;
import dev.pipelineworker.internal.SharedInternal;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.zip.Deflater;
import java.util.zip.ZipException;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * Safe zip extraction and bounded-memory zip creation for artifacts. Commons Compress is used
 * because java.util.zip exposes neither Unix permission bits nor symlink entries.
 */
@SharedInternal
public final class ZipArchives {

    private static final int BUFFER = 64 * 1024;
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
            new Extraction(zip, root, limits, artifactName, Files.size(archive)).run();
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

    private static JobFailureException refuse(String artifactName, String why) {
        return new JobFailureException(FailureType.JOB_FAILED, "input artifact '" + artifactName + "' " + why);
    }

    /**
     * One extraction: the running totals that the limits are checked against, and the directories
     * whose modes are applied last (a read-only directory must stay writable until its entries are in).
     */
    private static final class Extraction {
        private final ZipFile zip;
        private final Path root;
        private final ZipLimits limits;
        private final String artifactName;
        private final long archiveSize;
        private final Map<Path, Integer> directoryModes = new LinkedHashMap<>();
        private long totalBytes;
        private int entries;

        Extraction(ZipFile zip, Path root, ZipLimits limits, String artifactName, long archiveSize) {
            this.zip = zip;
            this.root = root;
            this.limits = limits;
            this.artifactName = artifactName;
            this.archiveSize = archiveSize;
        }

        void run() throws IOException {
            Enumeration<ZipArchiveEntry> all = zip.getEntries();
            while (all.hasMoreElements()) {
                ZipArchiveEntry entry = all.nextElement();
                if (++entries > limits.maxEntries()) {
                    throw refuse(artifactName, "has more than " + limits.maxEntries() + " entries (ZipLimits.maxEntries)");
                }
                List<String> segments = segments(entry.getName());
                if (segments.isEmpty()) {
                    continue;
                }
                try {
                    if (entry.isDirectory()) {
                        Path directory = directory(segments, segments.size(), entry);
                        unixMode(entry).ifPresent(mode -> directoryModes.put(directory, mode));
                    } else {
                        Path parent = directory(segments, segments.size() - 1, entry);
                        Path target = parent.resolve(segments.get(segments.size() - 1));
                        if (entry.isUnixSymlink()) {
                            writeSymlink(entry, parent, target);
                        } else {
                            writeFile(entry, target);
                        }
                    }
                } catch (ZipException e) {
                    throw new JobFailureException(FailureType.JOB_FAILED, "input artifact '" + artifactName
                            + "' has an entry that cannot be read: '" + entry.getName() + "': " + e.getMessage(), e);
                }
            }
            applyDirectoryModes();
        }

        /**
         * The entry's path segments below the target. Leading {@code ./} segments are harmless and
         * dropped; absolute paths and any {@code ..} that climbs above the target are refused.
         */
        private List<String> segments(String rawName) {
            String name = rawName.replace('\\', '/');
            if (name.startsWith("/") || name.matches("^[A-Za-z]:.*")) {
                throw refuse(artifactName, "has an entry with an absolute path: '" + rawName + "'");
            }
            if (name.indexOf('\0') >= 0) {
                throw refuse(artifactName, "has an entry with a NUL character in its name");
            }
            List<String> segments = new ArrayList<>();
            for (String segment : name.split("/")) {
                if (segment.isEmpty() || segment.equals(".")) {
                    continue;
                }
                if (segment.equals("..")) {
                    if (segments.isEmpty()) {
                        throw refuse(artifactName, "has an entry that escapes the target directory: '" + rawName + "'");
                    }
                    segments.remove(segments.size() - 1);
                } else {
                    segments.add(segment);
                }
            }
            return segments;
        }

        /** Where the symlink {@code link} leads; an entry below a link that leads nowhere is refused. */
        private Path realTargetOf(Path link, ZipArchiveEntry entry) throws IOException {
            try {
                return link.toRealPath();
            } catch (NoSuchFileException e) {
                throw refuse(artifactName, "has an entry below a symlink that leads nowhere: '" + entry.getName() + "'");
            }
        }

        /**
         * Creates (or finds) the directory made of the first {@code count} segments, one level at a
         * time, following a symlink met on the way only when its real target lies inside the target
         * directory. Nothing is created before the path up to it has been checked.
         */
        private Path directory(List<String> segments, int count, ZipArchiveEntry entry) throws IOException {
            Path current = root;
            for (int i = 0; i < count; i++) {
                Path next = current.resolve(segments.get(i));
                if (Files.isSymbolicLink(next)) {
                    next = realTargetOf(next, entry);
                    if (!next.startsWith(root)) {
                        throw refuse(artifactName, "has an entry that escapes the target directory through a symlink: '"
                                + entry.getName() + "'");
                    }
                }
                if (!Files.exists(next, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectory(next);
                } else if (!Files.isDirectory(next, LinkOption.NOFOLLOW_LINKS)) {
                    throw refuse(artifactName, "has an entry below something that is not a directory: '"
                            + entry.getName() + "'");
                }
                current = next;
            }
            return current;
        }

        /**
         * Writes a symlink whose target stays inside the target directory. {@code ..} is allowed only as
         * leading segments: after a name, {@code x/..} would be resolved by the file system through
         * whatever {@code x} is at the time (possibly a symlink made by a later entry), not lexically.
         */
        private void writeSymlink(ZipArchiveEntry entry, Path parent, Path target) throws IOException {
            String link = zip.getUnixSymlink(entry);
            if (link.isEmpty() || link.indexOf('\0') >= 0 || link.startsWith("/") || link.contains("\\")) {
                throw refuse(artifactName, "has a symlink pointing outside the target directory: '"
                        + entry.getName() + "'");
            }
            boolean namesSeen = false;
            for (String segment : link.split("/")) {
                if (segment.equals("..") && namesSeen) {
                    throw refuse(artifactName, "has a symlink with '..' after a name, which is refused: '"
                            + entry.getName() + "'");
                }
                namesSeen |= !segment.isEmpty() && !segment.equals(".") && !segment.equals("..");
            }
            Path linkPath = Path.of(link);
            if (!parent.resolve(linkPath).normalize().startsWith(root)) {
                throw refuse(artifactName, "has a symlink pointing outside the target directory: '"
                        + entry.getName() + "'");
            }
            deleteExisting(target, entry);
            Files.createSymbolicLink(target, linkPath);
        }

        private void writeFile(ZipArchiveEntry entry, Path target) throws IOException {
            deleteExisting(target, entry);
            long written = 0;
            try (InputStream in = zip.getInputStream(entry);
                 OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW,
                         StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                byte[] buffer = new byte[BUFFER];
                int n;
                while ((n = in.read(buffer)) > 0) {
                    written += n;
                    totalBytes += n;
                    checkSizes(entry, written);
                    out.write(buffer, 0, n);
                }
            }
            Optional<Integer> mode = unixMode(entry);
            if (mode.isPresent()) {
                setMode(target, mode.get());
            }
        }

        /** A later entry replaces an earlier file or symlink of the same name, never a directory. */
        private void deleteExisting(Path target, ZipArchiveEntry entry) throws IOException {
            if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                throw refuse(artifactName, "has an entry that would replace a directory: '" + entry.getName() + "'");
            }
            Files.deleteIfExists(target);
        }

        private void checkSizes(ZipArchiveEntry entry, long written) {
            if (totalBytes > limits.maxTotalUncompressedBytes()) {
                throw refuse(artifactName, "expands to more than " + limits.maxTotalUncompressedBytes()
                        + " bytes (ZipLimits.maxTotalUncompressedBytes)");
            }
            long compressed = entry.getCompressedSize();
            boolean entryBomb = written > ZipLimits.RATIO_CHECK_THRESHOLD_BYTES
                    && compressed > 0 && written / compressed > limits.maxCompressionRatio();
            boolean archiveBomb = totalBytes > ZipLimits.RATIO_CHECK_THRESHOLD_BYTES
                    && totalBytes / Math.max(1, archiveSize) > limits.maxCompressionRatio();
            if (entryBomb || archiveBomb) {
                throw refuse(artifactName, "entry '" + entry.getName() + "' expands more than "
                        + limits.maxCompressionRatio() + ":1 (ZipLimits.maxCompressionRatio)");
            }
        }

        private void applyDirectoryModes() throws IOException {
            List<Map.Entry<Path, Integer>> deepestFirst = new ArrayList<>(directoryModes.entrySet());
            deepestFirst.sort((a, b) -> b.getKey().getNameCount() - a.getKey().getNameCount());
            for (Map.Entry<Path, Integer> directory : deepestFirst) {
                setMode(directory.getKey(), directory.getValue());
            }
        }

        /** The entry's permission bits, when it was written on Unix; setuid, setgid and sticky are dropped. */
        private static Optional<Integer> unixMode(ZipArchiveEntry entry) {
            int mode = entry.getUnixMode() & 0777;
            if (entry.getPlatform() != ZipArchiveEntry.PLATFORM_UNIX || mode == 0) {
                return Optional.empty();
            }
            return Optional.of(mode);
        }

        private static void setMode(Path target, int mode) throws IOException {
            PosixFileAttributeView view = Files.getFileAttributeView(target, PosixFileAttributeView.class,
                    LinkOption.NOFOLLOW_LINKS);
            if (view == null) {
                return;
            }
            Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
            for (int bit = 0; bit < PERMISSION_BITS.length; bit++) {
                if ((mode & (1 << bit)) != 0) {
                    permissions.add(PERMISSION_BITS[bit]);
                }
            }
            view.setPermissions(permissions);
        }
    }
}

package dev.pipelineworker.internal.archive;

import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobFailureException;
import dev.pipelineworker.ZipLimits;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipException;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * Safe zip extraction and bounded-memory zip creation for artifacts. Commons Compress is used
 * because java.util.zip exposes neither Unix permission bits nor symlink entries.
 */
public final class ZipArchives {

    private static final int TYPE_FILE = 0100000;
    private static final int TYPE_SYMLINK = 0120000;
    private static final int BUFFER = 64 * 1024;
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
        } catch (ZipException | java.io.EOFException e) {
            throw refuse(artifactName, "is not a zip archive");
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
        if (!Files.isDirectory(directory)) {
            throw new IOException("not a directory: " + directory.getFileName());
        }
        try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(archive)) {
            Files.walkFileTree(directory, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    if (!dir.equals(directory)) {
                        ZipArchiveEntry entry = new ZipArchiveEntry(entryName(directory, dir) + "/");
                        entry.setUnixMode(040000 | mode(dir, 0755));
                        entry.setLastModifiedTime(attrs.lastModifiedTime());
                        out.putArchiveEntry(entry);
                        out.closeArchiveEntry();
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    ZipArchiveEntry entry = new ZipArchiveEntry(entryName(directory, file));
                    entry.setLastModifiedTime(attrs.lastModifiedTime());
                    if (attrs.isSymbolicLink()) {
                        entry.setUnixMode(TYPE_SYMLINK | 0777);
                        out.putArchiveEntry(entry);
                        out.write(Files.readSymbolicLink(file).toString().getBytes(StandardCharsets.UTF_8));
                    } else {
                        entry.setUnixMode(TYPE_FILE | mode(file, 0644));
                        out.putArchiveEntry(entry);
                        try (InputStream in = Files.newInputStream(file)) {
                            in.transferTo(out);
                        }
                    }
                    out.closeArchiveEntry();
                    return FileVisitResult.CONTINUE;
                }
            });
        }
    }

    private static String entryName(Path root, Path path) {
        return root.relativize(path).toString().replace('\\', '/');
    }

    private static int mode(Path path, int fallback) throws IOException {
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

    /** One extraction: the running totals that the limits are checked against. */
    private static final class Extraction {
        private final ZipFile zip;
        private final Path root;
        private final ZipLimits limits;
        private final String artifactName;
        private final long archiveSize;
        private final List<Path> writtenParents = new ArrayList<>();
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
            for (ZipArchiveEntry entry : Collections.list(all)) {
                if (++entries > limits.maxEntries()) {
                    throw refuse(artifactName, "has more than " + limits.maxEntries() + " entries (ZipLimits.maxEntries)");
                }
                Path target = resolve(entry.getName());
                if (target == null) {
                    continue;
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                    checkRealParent(target, entry);
                    applyMode(target, entry);
                } else if (entry.isUnixSymlink()) {
                    writeSymlink(entry, target);
                } else {
                    writeFile(entry, target);
                }
            }
        }

        private Path resolve(String rawName) {
            String name = rawName.replace('\\', '/');
            if (name.startsWith("/") || name.matches("^[A-Za-z]:.*")) {
                throw refuse(artifactName, "has an entry with an absolute path: '" + rawName + "'");
            }
            while (name.startsWith("./")) {
                name = name.substring(2);
            }
            if (name.isEmpty() || name.equals(".")) {
                return null;
            }
            Path target = root.resolve(name).normalize();
            if (!target.startsWith(root) || target.equals(root)) {
                throw refuse(artifactName, "has an entry that escapes the target directory: '" + rawName + "'");
            }
            return target;
        }

        private void checkRealParent(Path target, ZipArchiveEntry entry) throws IOException {
            Path parent = target.getParent();
            if (!writtenParents.contains(parent)) {
                if (!parent.toRealPath().startsWith(root)) {
                    throw refuse(artifactName, "has an entry that escapes the target directory through a symlink: '"
                            + entry.getName() + "'");
                }
                writtenParents.add(parent);
            }
        }

        private void writeSymlink(ZipArchiveEntry entry, Path target) throws IOException {
            String link = zip.getUnixSymlink(entry);
            Path linkPath = Path.of(link);
            Files.createDirectories(target.getParent());
            checkRealParent(target, entry);
            if (linkPath.isAbsolute()
                    || !target.getParent().toRealPath().resolve(linkPath).normalize().startsWith(root)) {
                throw refuse(artifactName, "has a symlink pointing outside the target directory: '"
                        + entry.getName() + "'");
            }
            Files.deleteIfExists(target);
            Files.createSymbolicLink(target, linkPath);
        }

        private void writeFile(ZipArchiveEntry entry, Path target) throws IOException {
            Files.createDirectories(target.getParent());
            checkRealParent(target, entry);
            Files.deleteIfExists(target);
            long written = 0;
            try (InputStream in = zip.getInputStream(entry);
                 OutputStream out = Files.newOutputStream(target)) {
                byte[] buffer = new byte[BUFFER];
                int n;
                while ((n = in.read(buffer)) > 0) {
                    written += n;
                    totalBytes += n;
                    checkSizes(entry, written);
                    out.write(buffer, 0, n);
                }
            }
            applyMode(target, entry);
        }

        private void checkSizes(ZipArchiveEntry entry, long written) {
            if (totalBytes > limits.maxTotalUncompressedBytes()) {
                throw refuse(artifactName, "expands to more than " + limits.maxTotalUncompressedBytes()
                        + " bytes (ZipLimits.maxTotalUncompressedBytes)");
            }
            if (written > ZipLimits.RATIO_CHECK_THRESHOLD_BYTES) {
                long compressed = entry.getCompressedSize();
                boolean entryBomb = compressed > 0 && written / compressed > limits.maxCompressionRatio();
                boolean archiveBomb = totalBytes / Math.max(1, archiveSize) > limits.maxCompressionRatio();
                if (entryBomb || archiveBomb) {
                    throw refuse(artifactName, "entry '" + entry.getName() + "' expands more than "
                            + limits.maxCompressionRatio() + ":1 (ZipLimits.maxCompressionRatio)");
                }
            }
        }

        private static void applyMode(Path target, ZipArchiveEntry entry) throws IOException {
            int mode = entry.getUnixMode() & 0777;
            if (entry.getPlatform() != ZipArchiveEntry.PLATFORM_UNIX || mode == 0) {
                return;
            }
            PosixFileAttributeView view = Files.getFileAttributeView(target, PosixFileAttributeView.class);
            if (view == null) {
                return;
            }
            Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
            for (int bit = 0; bit < PERMISSION_BITS.length; bit++) {
                if ((mode & (1 << bit)) != 0) {
                    permissions.add(PERMISSION_BITS[bit]);
                }
            }
            permissions.add(PosixFilePermission.OWNER_READ);
            permissions.add(PosixFilePermission.OWNER_WRITE);
            if (entry.isDirectory()) {
                permissions.add(PosixFilePermission.OWNER_EXECUTE);
            }
            view.setPermissions(permissions);
        }
    }
}

package dev.pipelineworker.internal.archive;

import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobFailureException;
import dev.pipelineworker.ZipLimits;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipException;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;

/**
 * One extraction, and every rule an archive must keep to be extracted: the limits, the path rules and
 * the symlink rules, whether the entries come from a file ({@link ZipArchives#extract(Path, Path,
 * ZipLimits, String)}) or stream past once ({@link ZipArchives#extract(ZipCentralDirectory,
 * java.io.InputStream, Path, ZipLimits, String)}). It keeps the running totals that the limits are
 * checked against, the directories whose modes are applied last (a read-only directory must stay
 * writable until its entries are in), and what it created, so that an abandoned one-pass extraction
 * can take it away again.
 */
final class ZipExtraction {

    /** Where the entries come from: in the directory's order, with their data. */
    interface EntrySource {
        /** The next entry, or {@code null} after the last. */
        ZipArchiveEntry next() throws IOException;

        /** The data of the entry {@link #next()} returned last. */
        InputStream open(ZipArchiveEntry entry) throws IOException;
    }

    /** Linux refuses longer symlink targets (PATH_MAX), so a longer one is refused before it is held. */
    static final int MAX_LINK_BYTES = 4096;
    private static final int BUFFER = 64 * 1024;
    private static final String PERMISSION_LETTERS = "rwxrwxrwx";

    private final Path root;
    private final ZipLimits limits;
    private final String artifactName;
    private final long archiveSize;
    private final Map<Path, Integer> directoryModes = new LinkedHashMap<>();
    private final Deque<Path> created = new ArrayDeque<>();
    private long totalBytes;
    private int entries;

    ZipExtraction(Path root, ZipLimits limits, String artifactName, long archiveSize) {
        this.root = root;
        this.limits = limits;
        this.artifactName = artifactName;
        this.archiveSize = archiveSize;
    }

    /**
     * Applies to the directory alone what can be known before any data is read: the entry count, every
     * name, and the sizes the directory declares (the data is checked again as it is written, since a
     * directory may understate them).
     */
    void checkDirectory(List<ZipArchiveEntry> directory) {
        for (ZipArchiveEntry entry : directory) {
            countEntry();
            segments(entry.getName());
            long declared = Math.max(0, entry.getSize());
            totalBytes += declared;
            checkSizes(entry, declared);
        }
        totalBytes = 0;
        entries = 0;
    }

    /** Extracts the entries of the directory {@link #checkDirectory} was given; their count is checked there. */
    void run(EntrySource source) throws IOException {
        for (ZipArchiveEntry entry = source.next(); entry != null; entry = source.next()) {
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
                        writeSymlink(entry, source, parent, target);
                    } else {
                        writeFile(entry, source, target);
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
     * Deletes what this extraction created, newest first, so that a directory goes after its entries.
     * What it replaced (a file of the same name already in the target) is not brought back.
     */
    void removeCreated() throws IOException {
        while (!created.isEmpty()) {
            Files.deleteIfExists(created.pop());
        }
    }

    private void countEntry() {
        if (++entries > limits.maxEntries()) {
            throw refuse("has more than " + limits.maxEntries() + " entries (ZipLimits.maxEntries)");
        }
    }

    /**
     * The entry's path segments below the target. Leading {@code ./} segments are harmless and
     * dropped; absolute paths and any {@code ..} that climbs above the target are refused.
     */
    private List<String> segments(String rawName) {
        String name = rawName.replace('\\', '/');
        if (name.startsWith("/") || name.matches("^[A-Za-z]:.*")) {
            throw refuse("has an entry with an absolute path: '" + rawName + "'");
        }
        if (name.indexOf('\0') >= 0) {
            throw refuse("has an entry with a NUL character in its name");
        }
        List<String> segments = new ArrayList<>();
        for (String segment : name.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                if (segments.isEmpty()) {
                    throw refuse("has an entry that escapes the target directory: '" + rawName + "'");
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
            throw refuse("has an entry below a symlink that leads nowhere: '" + entry.getName() + "'");
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
                    throw refuse("has an entry that escapes the target directory through a symlink: '"
                            + entry.getName() + "'");
                }
            }
            if (!Files.exists(next, LinkOption.NOFOLLOW_LINKS)) {
                created.push(Files.createDirectory(next));
            } else if (!Files.isDirectory(next, LinkOption.NOFOLLOW_LINKS)) {
                throw refuse("has an entry below something that is not a directory: '" + entry.getName() + "'");
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
    private void writeSymlink(ZipArchiveEntry entry, EntrySource source, Path parent, Path target)
            throws IOException {
        String link = linkTarget(entry, source);
        if (link.isEmpty() || link.indexOf('\0') >= 0 || link.startsWith("/") || link.contains("\\")) {
            throw refuse("has a symlink pointing outside the target directory: '" + entry.getName() + "'");
        }
        boolean namesSeen = false;
        for (String segment : link.split("/")) {
            if (segment.equals("..") && namesSeen) {
                throw refuse("has a symlink with '..' after a name, which is refused: '" + entry.getName() + "'");
            }
            namesSeen |= !segment.isEmpty() && !segment.equals(".") && !segment.equals("..");
        }
        Path linkPath = Path.of(link);
        if (!parent.resolve(linkPath).normalize().startsWith(root)) {
            throw refuse("has a symlink pointing outside the target directory: '" + entry.getName() + "'");
        }
        deleteExisting(target, entry);
        created.push(Files.createSymbolicLink(target, linkPath));
    }

    /** The symlink's target, read to the entry's end so that a streamed entry is verified before it is used. */
    private String linkTarget(ZipArchiveEntry entry, EntrySource source) throws IOException {
        try (InputStream in = source.open(entry)) {
            byte[] link = in.readNBytes(MAX_LINK_BYTES + 1);
            if (link.length > MAX_LINK_BYTES) {
                throw refuse("has a symlink whose target is longer than " + MAX_LINK_BYTES + " bytes: '"
                        + entry.getName() + "'");
            }
            in.transferTo(OutputStream.nullOutputStream());
            return new String(link, StandardCharsets.UTF_8);
        }
    }

    private void writeFile(ZipArchiveEntry entry, EntrySource source, Path target) throws IOException {
        deleteExisting(target, entry);
        long written = 0;
        try (InputStream in = source.open(entry);
             OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW,
                     StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            created.push(target);
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
            throw refuse("has an entry that would replace a directory: '" + entry.getName() + "'");
        }
        Files.deleteIfExists(target);
    }

    private void checkSizes(ZipArchiveEntry entry, long written) {
        if (totalBytes > limits.maxTotalUncompressedBytes()) {
            throw refuse("expands to more than " + limits.maxTotalUncompressedBytes()
                    + " bytes (ZipLimits.maxTotalUncompressedBytes)");
        }
        long compressed = entry.getCompressedSize();
        boolean entryBomb = written > ZipLimits.RATIO_CHECK_THRESHOLD_BYTES
                && compressed > 0 && written / compressed > limits.maxCompressionRatio();
        boolean archiveBomb = totalBytes > ZipLimits.RATIO_CHECK_THRESHOLD_BYTES
                && totalBytes / Math.max(1, archiveSize) > limits.maxCompressionRatio();
        if (entryBomb || archiveBomb) {
            throw refuse("entry '" + entry.getName() + "' expands more than "
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

    private JobFailureException refuse(String why) {
        return new JobFailureException(FailureType.JOB_FAILED, "input artifact '" + artifactName + "' " + why);
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
        StringBuilder letters = new StringBuilder(PERMISSION_LETTERS.length());
        for (int i = 0; i < PERMISSION_LETTERS.length(); i++) {
            boolean set = (mode & (1 << (PERMISSION_LETTERS.length() - 1 - i))) != 0;
            letters.append(set ? PERMISSION_LETTERS.charAt(i) : '-');
        }
        view.setPermissions(PosixFilePermissions.fromString(letters.toString()));
    }
}

package dev.pipelineworker.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.DosFileAttributeView;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The scratch directories of jobs, one per job id under one root. A job id maps to the same
 * directory name on every run, so a restarted worker finds what a crashed one left; names are
 * safe on any file system whatever the id holds (up to 512 characters of anything). Directories
 * are created owner-only where the file system has POSIX permissions, and deleted without
 * following symbolic links and despite permissions a handler took away from its own files.
 * Stateless apart from the root, so safe to share between threads.
 */
public final class ScratchSpace {

    /** The start of the root's name under {@code java.io.tmpdir} for {@link #inTemporaryDirectory()}. */
    public static final String TEMPORARY_ROOT_PREFIX = "pipeline-worker-scratch-";

    // An id of these characters is its own directory name. No upper case (case-insensitive file
    // systems would merge ids differing in case only) and no dot (".", "..", and the separator below).
    private static final Pattern PLAIN_NAME = Pattern.compile("[a-z0-9_-]{1,64}");
    // Windows opens a device for these names, with any extension.
    private static final Pattern DEVICE_NAME = Pattern.compile("con|prn|aux|nul|com[0-9]|lpt[0-9]");
    private static final int READABLE_PREFIX = 40;
    private static final int HASH_HEX_DIGITS = 32;
    private static final int MAX_REPORTED_FAILURES = 10;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_ALL = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);

    private final Path root;

    /** Scratch directories under {@code root}, which is created (owner-only) when the first one is. */
    public ScratchSpace(Path root) {
        this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
    }

    /**
     * Scratch directories under {@code java.io.tmpdir}, in {@value #TEMPORARY_ROOT_PREFIX} and the
     * user's name: the same root on every start, so a restarted worker finds what it left, and one
     * per user, so workers of two users on one host do not lock each other out of an owner-only root.
     * Right under the temporary directory, whose sticky bit (on the usual systems) keeps other users
     * from swapping it.
     */
    public static ScratchSpace inTemporaryDirectory() {
        String user = System.getProperty("user.name", "").replaceAll("[^A-Za-z0-9_-]", "_");
        return new ScratchSpace(Path.of(System.getProperty("java.io.tmpdir"),
                TEMPORARY_ROOT_PREFIX + (user.isEmpty() ? "_" : user)));
    }

    /** The root, absolute. */
    public Path root() {
        return root;
    }

    /** Where the job's scratch directory is, whether or not it exists. */
    public Path directoryFor(String jobId) {
        return root.resolve(directoryName(jobId));
    }

    /**
     * Creates the job's scratch directory, empty: whatever an earlier run left under its name is
     * deleted first. Creates the root too if needed, and refuses a root that is not a directory or
     * that other users may write to (where anyone could plant or swap a job's directory).
     */
    public Path create(String jobId) throws IOException {
        Path directory = directoryFor(jobId);
        prepareRoot();
        deleteTree(directory);
        return isPosix(root) ? Files.createDirectory(directory, ownerOnly()) : Files.createDirectory(directory);
    }

    /**
     * Deletes the job's scratch directory and everything in it; true if there was one. Symbolic
     * links are deleted, never followed. Throws after trying every entry when some could not be
     * deleted (a handler still writing, a file the process may not remove).
     */
    public boolean delete(String jobId) throws IOException {
        return deleteTree(directoryFor(jobId));
    }

    /** Deletes the root if it exists and is empty; leaves it, and says nothing, when it is not. */
    public void deleteRootIfEmpty() throws IOException {
        try {
            Files.deleteIfExists(root);
        } catch (DirectoryNotEmptyException e) {
            // Another job's directory is still there: the root stays for it.
        }
    }

    @Override
    public String toString() {
        return "ScratchSpace[" + root + "]";
    }

    /**
     * The directory name for {@code jobId}: the id itself when it is 1-64 characters of
     * {@code [a-z0-9_-]} and no Windows device name; otherwise its first 40 characters with every other character replaced
     * by {@code _} (for people reading a listing), a dot, and 32 hex digits of its SHA-256 (for
     * uniqueness). The two forms never collide: only the second holds a dot.
     */
    static String directoryName(String jobId) {
        Objects.requireNonNull(jobId, "jobId");
        if (PLAIN_NAME.matcher(jobId).matches() && !DEVICE_NAME.matcher(jobId).matches()) {
            return jobId;
        }
        StringBuilder name = new StringBuilder();
        for (int i = 0; i < jobId.length() && name.length() < READABLE_PREFIX; i++) {
            char c = Character.toLowerCase(jobId.charAt(i));
            name.append(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-' ? c : '_');
        }
        if (name.isEmpty()) {
            name.append("job");
        } else if (DEVICE_NAME.matcher(name).matches()) {
            name.append('_');
        }
        return name.append('.').append(sha256Hex(jobId), 0, HASH_HEX_DIGITS).toString();
    }

    private void prepareRoot() throws IOException {
        if (!Files.exists(root)) {
            if (isPosix(root)) {
                Files.createDirectories(root, ownerOnly());
            } else {
                Files.createDirectories(root);
            }
        }
        if (!Files.isDirectory(root)) {
            throw new IOException("the scratch root " + root + " is not a directory");
        }
        if (isPosix(root) && Files.getPosixFilePermissions(root).contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new IOException("the scratch root " + root + " may be written by other users; make it private "
                    + "to this worker's user or choose another");
        }
    }

    /** Deletes {@code path} and, for a directory (not a link to one), everything in it; false if it was absent. */
    private static boolean deleteTree(Path path) throws IOException {
        BasicFileAttributes attributes;
        try {
            attributes = isPosix(path)
                    ? Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                    : Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return false;
        }
        List<IOException> failures = new ArrayList<>();
        allowRemoval(path, attributes);
        if (attributes.isDirectory()) {
            // Listed first and closed, so a deep tree holds one open directory at a time, not one per level.
            List<Path> entries = new ArrayList<>();
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(path)) {
                stream.forEach(entries::add);
            }
            for (Path entry : entries) {
                try {
                    deleteTree(entry);
                } catch (IOException e) {
                    failures.add(e);
                }
            }
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            failures.add(e);
        }
        if (!failures.isEmpty()) {
            IOException first = failures.get(0);
            failures.stream().skip(1).limit(MAX_REPORTED_FAILURES).forEach(first::addSuppressed);
            throw first;
        }
        return true;
    }

    /**
     * Gives back what deleting needs and a handler may have taken away: on POSIX, the owner's
     * read, write and search permission on a directory (to list and unlink its entries); elsewhere
     * the read-only attribute, which makes Windows refuse the delete. Links are left alone.
     */
    private static void allowRemoval(Path path, BasicFileAttributes attributes) {
        if (attributes.isSymbolicLink()) {
            return;
        }
        try {
            if (attributes instanceof PosixFileAttributes posix) {
                if (posix.isDirectory() && !posix.permissions().containsAll(OWNER_ALL)) {
                    Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
                    permissions.addAll(posix.permissions());
                    permissions.addAll(OWNER_ALL);
                    // By path: the JDK's no-follow variant opens the directory first, which its mode forbids.
                    // It was a directory, not a link, when read just above.
                    Files.setPosixFilePermissions(path, permissions);
                }
            } else {
                DosFileAttributeView dos = Files.getFileAttributeView(path, DosFileAttributeView.class,
                        LinkOption.NOFOLLOW_LINKS);
                if (dos != null) {
                    dos.setReadOnly(false);
                }
            }
        } catch (IOException | UnsupportedOperationException e) {
            // Not ours to change (another owner): the delete that follows reports what matters.
        }
    }

    private static boolean isPosix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private static FileAttribute<Set<PosixFilePermission>> ownerOnly() {
        return PosixFilePermissions.asFileAttribute(OWNER_ONLY);
    }

    private static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }
}

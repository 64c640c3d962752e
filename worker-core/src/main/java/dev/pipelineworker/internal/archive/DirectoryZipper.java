package dev.pipelineworker.internal.archive;

import dev.pipelineworker.internal.SharedInternal;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.stream.Stream;

/**
 * Zips a directory tree into a stream: entry names relative to it, Unix permission bits, symlinks
 * kept as symlinks, files that compress well deflated on the executor and the others stored.
 * Directory entries are listed in name order, so the same tree always gives the same bytes.
 */
@SharedInternal
public final class DirectoryZipper {

    /** Per entry, more than headers, descriptor and central record take beside the name (twice). */
    private static final long ENTRY_OVERHEAD = 256;

    private final Executor executor;
    private final int maxChunksInFlight;

    /**
     * A zipper deflating on {@code executor}, at most {@code maxChunksInFlight} chunks of
     * {@value ZipStreamWriter#CHUNK} bytes at a time (about twice the executor's threads keeps them busy).
     */
    public DirectoryZipper(Executor executor, int maxChunksInFlight) {
        this.executor = executor;
        this.maxChunksInFlight = maxChunksInFlight;
    }

    /** Deflates on the calling thread, one chunk at a time. */
    public static DirectoryZipper onCallingThread() {
        return new DirectoryZipper(Runnable::run, 1);
    }

    /** Writes the zip of the tree under {@code directory} to {@code out}, which stays open. */
    public void zip(Path directory, OutputStream out) throws IOException {
        requireDirectory(directory);
        ZipStreamWriter writer = new ZipStreamWriter(out, executor, maxChunksInFlight);
        for (Path child : children(directory)) {
            add(writer, directory, child);
        }
        writer.finish();
    }

    /**
     * An upper bound of the archive's size if the tree does not change: what a multipart upload
     * needs to choose parts large enough for S3's 10,000 before the first byte is written.
     */
    public static long sizeBound(Path directory) throws IOException {
        requireDirectory(directory);
        long bound = ENTRY_OVERHEAD;
        try (Stream<Path> tree = Files.walk(directory)) {
            for (Path path : (Iterable<Path>) tree::iterator) {
                BasicFileAttributes attrs = Files.readAttributes(path, BasicFileAttributes.class,
                        LinkOption.NOFOLLOW_LINKS);
                long size = attrs.isRegularFile() ? attrs.size() : 0;
                // deflate's worst case adds 5 bytes per 16 KiB stored block, and a sync flush per chunk
                bound += size + size / 1024 + ENTRY_OVERHEAD
                        + 2L * path.toString().getBytes(StandardCharsets.UTF_8).length;
            }
        }
        return bound;
    }

    private void add(ZipStreamWriter writer, Path root, Path path) throws IOException {
        BasicFileAttributes attrs = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        String name = root.relativize(path).toString().replace('\\', '/');
        if (attrs.isSymbolicLink()) {
            writer.symlink(name, Files.readSymbolicLink(path).toString(), attrs.lastModifiedTime());
        } else if (attrs.isDirectory()) {
            writer.directory(name, ZipArchives.mode(path, 0755), attrs.lastModifiedTime());
            for (Path child : children(path)) {
                add(writer, root, child);
            }
        } else if (ZipArchives.compressesWell(path)) {
            writer.deflatedFile(name, ZipArchives.mode(path, 0644), attrs.lastModifiedTime(), path);
        } else {
            writer.storedFile(name, ZipArchives.mode(path, 0644), attrs.lastModifiedTime(), path);
        }
    }

    private static List<Path> children(Path directory) throws IOException {
        try (Stream<Path> children = Files.list(directory)) {
            return children.sorted().toList();
        }
    }

    private static void requireDirectory(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            throw new IOException("not a directory: " + directory.getFileName());
        }
    }
}

package dev.pipelineworker.testkit;

import dev.pipelineworker.internal.archive.ZipArchives;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * In-memory zip helpers for test inputs and outputs (test artifacts are small, so bytes are fine):
 * build an input artifact from path-to-text pairs, and read an output artifact back.
 */
public final class Zips {

    private Zips() {
    }

    /** A zip holding each path with its UTF-8 content, in the map's order. */
    public static byte[] zipTexts(Map<String, String> files) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, String> file : files.entrySet()) {
                zip.putNextEntry(new ZipEntry(file.getKey()));
                zip.write(file.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The directory zipped the way the worker zips output directories. */
    public static byte[] zipDirectory(Path directory) {
        try {
            Path archive = Files.createTempFile("pipeline-worker-test-", ".zip");
            try {
                ZipArchives.zipDirectory(directory, archive);
                return Files.readAllBytes(archive);
            } finally {
                Files.deleteIfExists(archive);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The files in {@code zip}, path to content, sorted by path; directory entries are left out. */
    public static Map<String, byte[]> unzip(byte[] zip, String artifactName) {
        // ZipInputStream reads anything that is not a zip as an empty archive; say so instead.
        if (zip.length < 4 || zip[0] != 'P' || zip[1] != 'K') {
            throw new AssertionError("output artifact '" + artifactName + "' is not a zip archive");
        }
        Map<String, byte[]> files = new TreeMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                if (!entry.isDirectory()) {
                    files.put(entry.getName(), in.readAllBytes());
                }
            }
        } catch (IOException e) {
            throw new AssertionError("output artifact '" + artifactName + "' is not a readable zip archive: "
                    + e.getMessage(), e);
        }
        return files;
    }

    /** {@link #unzip} with every content read as UTF-8. */
    public static Map<String, String> unzipTexts(byte[] zip, String artifactName) {
        Map<String, String> texts = new LinkedHashMap<>();
        unzip(zip, artifactName).forEach((path, content) ->
                texts.put(path, new String(content, StandardCharsets.UTF_8)));
        return texts;
    }
}

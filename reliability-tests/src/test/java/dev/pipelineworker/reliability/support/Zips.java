package dev.pipelineworker.reliability.support;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;

/** Zips as tests need them, including the hostile ones no honest tool writes. */
public final class Zips {

    private Zips() {
    }

    /** One archive entry: a file, or a symlink whose content is its target. */
    public record Entry(String name, byte[] content, int unixMode) {
        public static Entry file(String name, String content) {
            return new Entry(name, content.getBytes(StandardCharsets.UTF_8), 0100644);
        }

        public static Entry file(String name, byte[] content) {
            return new Entry(name, content, 0100644);
        }

        public static Entry symlink(String name, String target) {
            return new Entry(name, target.getBytes(StandardCharsets.UTF_8), 0120777);
        }
    }

    public static byte[] zip(Entry... entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(bytes)) {
            for (Entry entry : entries) {
                ZipArchiveEntry zipEntry = new ZipArchiveEntry(entry.name());
                zipEntry.setUnixMode(entry.unixMode());
                out.putArchiveEntry(zipEntry);
                out.write(entry.content());
                out.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static byte[] zipText(String name, String content) {
        return zip(Entry.file(name, content));
    }

    /** The files of a zip, name to UTF-8 text. */
    public static Map<String, String> unzipTexts(byte[] zip) {
        Map<String, String> files = new TreeMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                if (!e.isDirectory()) {
                    files.put(e.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }
}

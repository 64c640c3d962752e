package dev.pipelineworker.s3.internal;

import dev.pipelineworker.Artifact;
import dev.pipelineworker.JobFailureException;
import dev.pipelineworker.ZipLimits;
import dev.pipelineworker.internal.archive.OnePassAbandonedException;
import dev.pipelineworker.internal.archive.ZipArchives;
import dev.pipelineworker.internal.archive.ZipCentralDirectory;
import dev.pipelineworker.internal.archive.ZipCentralDirectory.Found;
import dev.pipelineworker.internal.archive.ZipCentralDirectory.Lookup;
import dev.pipelineworker.internal.archive.ZipCentralDirectory.NeedsBytesFrom;
import dev.pipelineworker.internal.archive.ZipCentralDirectory.Unusable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * Extracts a zip input in one pass: a ranged GET of the object's tail (and, when the central directory
 * is longer than the tail, of the directory), then one ranged GET of the entries streamed straight into
 * the target. Every GET after the first carries the first one's ETag, so all bytes come from one version
 * of the object.
 *
 * <p>{@link #extractInto} answers {@code false} when the caller must take the file-based path instead: the
 * server ignores ranges (200, or no Content-Range), the object is empty or has no directory its tail can
 * show, the directory is too large to hold or lists entries the stream reader cannot verify (encrypted,
 * other methods, out of order), the object changed between reads, or the stream disagreed with the
 * directory (see {@link OnePassAbandonedException} for what is removed then). A refusal by the limits or
 * the path rules is thrown, as from the file-based path.
 */
final class RangedZipExtraction {

    private static final Logger LOG = LoggerFactory.getLogger(RangedZipExtraction.class);
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+)");
    private static final int HTTP_PARTIAL_CONTENT = 206;
    private static final int HTTP_PRECONDITION_FAILED = 412;
    private static final int HTTP_RANGE_NOT_SATISFIABLE = 416;
    private static final int MAX_DIRECTORY_READS = 3;

    /** A GET of {@code range} of the artifact (and only of the version {@code ifMatch}, when not null). */
    @FunctionalInterface
    interface RangedGet {
        ResponseInputStream<GetObjectResponse> get(String range, String ifMatch) throws IOException;
    }

    private final Artifact artifact;
    private final ZipLimits limits;
    private final RangedGet get;

    RangedZipExtraction(Artifact artifact, ZipLimits limits, RangedGet get) {
        this.artifact = artifact;
        this.limits = limits;
        this.get = get;
    }

    /** Extracts the artifact into {@code directory} in one pass, or answers {@code false} for the file-based path. */
    boolean extractInto(Path directory) throws IOException {
        try {
            Optional<Tail> tail = readTail();
            if (tail.isEmpty()) {
                return false;
            }
            Lookup lookup = ZipCentralDirectory.read(tail.get().objectSize, tail.get().firstByte, tail.get().bytes,
                    limits);
            for (int reads = 1; lookup instanceof NeedsBytesFrom more && reads < MAX_DIRECTORY_READS; reads++) {
                tail = readBefore(tail.get(), more.position());
                if (tail.isEmpty()) {
                    return false;
                }
                lookup = ZipCentralDirectory.read(tail.get().objectSize, tail.get().firstByte, tail.get().bytes,
                        limits);
            }
            if (!(lookup instanceof Found found)) {
                fallBack(lookup instanceof Unusable unusable ? unusable.reason()
                        : "its central directory was not found in " + MAX_DIRECTORY_READS + " reads");
                return false;
            }
            extract(found.directory(), tail.get().eTag, directory);
            LOG.debug("Extracted input artifact '{}' in one pass ({} entries)", artifact.name(),
                    found.directory().size());
            return true;
        } catch (OnePassAbandonedException e) {
            fallBack(e.getMessage());
        } catch (JobFailureException e) {
            if (status(e) == HTTP_RANGE_NOT_SATISFIABLE) {
                fallBack("it is empty");
            } else if (status(e) == HTTP_PRECONDITION_FAILED) {
                fallBack("it changed between reads");
            } else {
                throw e;
            }
        }
        return false;
    }

    private void extract(ZipCentralDirectory zip, String eTag, Path directory) throws IOException {
        if (zip.size() == 0) {
            ZipArchives.extract(zip, InputStream.nullInputStream(), directory, limits, artifact.name());
            return;
        }
        try (ResponseInputStream<GetObjectResponse> body = get.get("bytes=0-" + (zip.entriesEnd() - 1), eTag)) {
            try {
                ZipArchives.extract(zip, body, directory, limits, artifact.name());
            } catch (IOException | RuntimeException e) {
                body.abort();
                throw e;
            }
            body.transferTo(OutputStream.nullOutputStream());
        }
    }

    private Optional<Tail> readTail() throws IOException {
        try (ResponseInputStream<GetObjectResponse> in = get.get("bytes=-" + ZipCentralDirectory.TAIL_BYTES, null)) {
            Optional<long[]> range = range(in);
            if (range.isEmpty()) {
                in.abort();
                fallBack("the server does not honour ranges");
                return Optional.empty();
            }
            return bytes(in, range.get()).map(bytes -> new Tail(range.get()[0], range.get()[2], bytes,
                    in.response().eTag()));
        }
    }

    /** The tail extended down to {@code position}. */
    private Optional<Tail> readBefore(Tail tail, long position) throws IOException {
        try (ResponseInputStream<GetObjectResponse> in =
                     get.get("bytes=" + position + "-" + (tail.firstByte - 1), tail.eTag)) {
            Optional<long[]> range = range(in);
            if (range.isEmpty() || range.get()[0] != position || range.get()[1] != tail.firstByte - 1) {
                in.abort();
                fallBack("the server answered a range of its central directory with other bytes");
                return Optional.empty();
            }
            Optional<byte[]> before = bytes(in, range.get());
            if (before.isEmpty()) {
                return Optional.empty();
            }
            byte[] joined = new byte[before.get().length + tail.bytes.length];
            System.arraycopy(before.get(), 0, joined, 0, before.get().length);
            System.arraycopy(tail.bytes, 0, joined, before.get().length, tail.bytes.length);
            return Optional.of(new Tail(position, tail.objectSize, joined, tail.eTag));
        }
    }

    /** The first and last byte and the object's size of a 206 answer; empty for any other answer. */
    private static Optional<long[]> range(ResponseInputStream<GetObjectResponse> in) {
        String contentRange = in.response().contentRange();
        Matcher matcher = contentRange == null ? null : CONTENT_RANGE.matcher(contentRange);
        if (in.response().sdkHttpResponse().statusCode() != HTTP_PARTIAL_CONTENT || matcher == null
                || !matcher.matches()) {
            return Optional.empty();
        }
        return Optional.of(new long[] {Long.parseLong(matcher.group(1)), Long.parseLong(matcher.group(2)),
                Long.parseLong(matcher.group(3))});
    }

    /** The body of a ranged answer, when it is as long as its Content-Range says (it is at most a directory). */
    private Optional<byte[]> bytes(InputStream in, long[] range) throws IOException {
        long length = range[1] - range[0] + 1;
        if (length > ZipCentralDirectory.maxDirectoryBytes(limits)) {
            fallBack("the server answered a range with other bytes");
            return Optional.empty();
        }
        byte[] bytes = in.readNBytes((int) length + 1);
        if (bytes.length != length) {
            fallBack("a ranged answer's body is not as long as its Content-Range");
            return Optional.empty();
        }
        return Optional.of(bytes);
    }

    private void fallBack(String reason) {
        LOG.info("Input artifact '{}' is extracted from a downloaded file, not in one pass: {}", artifact.name(),
                reason);
    }

    private static int status(JobFailureException failure) {
        return failure.getCause() instanceof AwsServiceException service ? service.statusCode() : 0;
    }

    /** The object's bytes from {@code firstByte} to its end, and the version they belong to. */
    private record Tail(long firstByte, long objectSize, byte[] bytes, String eTag) {
    }
}

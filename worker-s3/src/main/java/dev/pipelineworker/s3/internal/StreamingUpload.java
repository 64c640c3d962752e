package dev.pipelineworker.s3.internal;

import dev.pipelineworker.Artifact;
import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobFailureException;
import dev.pipelineworker.s3.internal.S3Failures.Operation;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * An output artifact written as a stream straight into S3: bytes fill a part buffer, each full
 * buffer is sent as an UploadPart while the next fills, and {@link #complete()} sends the last part
 * and CompleteMultipartUpload with every part's ETag and CRC-32 in order. An artifact that ends
 * within the first buffer and the multipart threshold is one PutObject instead. Closing without
 * {@link #complete()} (any failure, an interrupt) cancels the parts in flight and sends
 * AbortMultipartUpload, so no failed upload leaves an object or parts behind.
 *
 * <p>Memory is bounded by the part buffers: at most {@code partsInFlight + 1} parts' worth of
 * {@value #BLOCK}-byte blocks, one part filling and the others being sent; a write blocks until the
 * oldest part in flight is done when all blocks are taken. Blocks are made as needed, so a small
 * artifact costs only its own size. Each part stays in its buffer until S3 has it, so the SDK's
 * retries and the resend after a credential refresh send the same bytes again. Not thread-safe.
 */
final class StreamingUpload extends OutputStream {

    /** S3's most parts in one upload. */
    static final int MAX_PARTS = 10_000;
    /** S3's largest part. */
    static final long MAX_PART_SIZE = 5L << 30;
    /** S3's largest object. */
    static final long MAX_OBJECT_SIZE = 5L << 40;
    /** Part buffers are made of blocks this big: G1 allocates them as ordinary objects, not humongous ones. */
    static final int BLOCK = 256 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(StreamingUpload.class);

    private final S3AsyncClient s3;
    private final S3Calls calls;
    private final Artifact artifact;
    private final UploadRequests requests;
    private final int partSize;
    private final long threshold;
    private final ArrayDeque<byte[]> freeBlocks = new ArrayDeque<>();
    private final ArrayDeque<Part> inFlight = new ArrayDeque<>();
    private final List<CompletedPart> completed = new ArrayList<>();
    private final int partsInFlight;
    private List<byte[]> blocks = new ArrayList<>();
    private int lastBlockFilled = BLOCK;
    private int filled;
    private long total;
    private String uploadId;
    private boolean done;

    /**
     * An upload of at most {@code sizeBound} bytes (-1 when unknown), in parts of {@link #partSize}
     * of the configured size and that bound. Nothing is sent before the first buffer fills or the
     * upload completes.
     */
    StreamingUpload(S3AsyncClient s3, S3Calls calls, Artifact artifact, UploadRequests requests,
                    long configuredPartSize, long threshold, int partsInFlight, long sizeBound) {
        if (partsInFlight < 1) {
            throw new IllegalArgumentException("partsInFlight must be positive, got " + partsInFlight);
        }
        this.s3 = s3;
        this.calls = calls;
        this.artifact = artifact;
        this.requests = requests;
        this.partSize = partSize(artifact, configuredPartSize, sizeBound);
        this.threshold = threshold;
        this.partsInFlight = partsInFlight;
    }

    /**
     * The configured part size, raised (in whole MiB) when an artifact of {@code sizeBound} bytes
     * would otherwise need more than {@value #MAX_PARTS} parts. Fails naming the limit when even
     * 5 GiB parts would not do, which is past S3's largest object (5 TiB).
     */
    static int partSize(Artifact artifact, long configured, long sizeBound) {
        if (sizeBound > MAX_OBJECT_SIZE) {
            throw tooBig(artifact, "is up to " + sizeBound + " bytes, more than S3's largest object (5 TiB)");
        }
        long needed = sizeBound < 0 ? 0 : ((sizeBound + MAX_PARTS - 1) / MAX_PARTS + (1 << 20) - 1) >> 20 << 20;
        return Math.toIntExact(Math.min(Math.max(configured, needed), MAX_PART_SIZE - 1));
    }

    int partSize() {
        return partSize;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        requireOpen();
        while (length > 0) {
            if (filled == partSize) {
                sendPart();
            }
            if (lastBlockFilled == BLOCK) {
                blocks.add(nextBlock());
                lastBlockFilled = 0;
            }
            int n = Math.min(length, Math.min(BLOCK - lastBlockFilled, partSize - filled));
            System.arraycopy(bytes, offset, blocks.get(blocks.size() - 1), lastBlockFilled, n);
            lastBlockFilled += n;
            filled += n;
            total += n;
            offset += n;
            length -= n;
        }
    }

    /** Sends what is left and completes the upload; the object exists once this returns. */
    void complete() throws IOException {
        requireOpen();
        if (uploadId == null && total <= threshold) {
            List<byte[]> body = blocks;
            int size = filled;
            int lastSize = lastBlockFilled;
            calls.call(Operation.WRITE, artifact,
                    () -> s3.putObject(requests.put(size), body(body, lastSize)));
        } else {
            if (filled > 0) {
                sendPart();
            }
            while (!inFlight.isEmpty()) {
                awaitOldest();
            }
            calls.call(Operation.WRITE, artifact,
                    () -> s3.completeMultipartUpload(requests.complete(uploadId, completed)));
        }
        done = true;
        LOG.debug("Wrote output artifact '{}' to {} ({} bytes, {} parts)", artifact.name(), artifact.location(),
                total, Math.max(1, completed.size()));
    }

    /** After {@link #complete()}: nothing. Otherwise the upload is abandoned and aborted. */
    @Override
    public void close() throws IOException {
        if (done) {
            return;
        }
        done = true;
        for (Part part : inFlight) {
            part.response.cancel();
        }
        inFlight.clear();
        if (uploadId == null) {
            return;
        }
        boolean interrupted = Thread.interrupted();
        try {
            calls.call(Operation.WRITE, artifact, () -> s3.abortMultipartUpload(requests.abort(uploadId)));
        } catch (RuntimeException | IOException e) {
            LOG.warn("Could not abort the failed upload of output artifact '{}' to {}; S3 removes its parts only "
                    + "by the bucket's lifecycle rule for incomplete uploads", artifact.name(), artifact.location(), e);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void sendPart() throws IOException {
        if (uploadId == null) {
            uploadId = calls.call(Operation.WRITE, artifact,
                    () -> s3.createMultipartUpload(requests.create())).uploadId();
        }
        while (inFlight.size() >= partsInFlight) {
            awaitOldest();
        }
        int number = completed.size() + inFlight.size() + 1;
        if (number > MAX_PARTS) {
            throw tooBig(artifact, "needs more than S3's " + MAX_PARTS + " parts at " + partSize
                    + "-byte parts; announce its size or raise S3ArtifactStoreFactory.builder().partSize(...)");
        }
        List<byte[]> body = blocks;
        int size = filled;
        int lastSize = lastBlockFilled;
        S3Calls.InFlight<UploadPartResponse> response = calls.start(() -> s3.uploadPart(
                requests.part(uploadId, number, size), body(body, lastSize)));
        inFlight.add(new Part(number, body, response));
        blocks = new ArrayList<>();
        lastBlockFilled = BLOCK;
        filled = 0;
    }

    /** The part's blocks as one body; each call wraps them anew, so a resend starts from the first byte. */
    private static AsyncRequestBody body(List<byte[]> blocks, int lastBlockSize) {
        ByteBuffer[] buffers = new ByteBuffer[blocks.size()];
        for (int i = 0; i < buffers.length; i++) {
            buffers[i] = ByteBuffer.wrap(blocks.get(i), 0, i == buffers.length - 1 ? lastBlockSize : BLOCK);
        }
        return AsyncRequestBody.fromByteBuffersUnsafe(buffers);
    }

    /**
     * A free block, or a new one when none is free. That keeps the bound without a count of its own: a block is
     * made only while every block belongs to the part filling or to a part in flight, and {@link #sendPart()}
     * waits for the oldest before more than {@code partsInFlight} are.
     */
    private byte[] nextBlock() {
        byte[] free = freeBlocks.poll();
        return free != null ? free : new byte[BLOCK];
    }

    private void awaitOldest() throws IOException {
        Part part = inFlight.peek();
        UploadPartResponse response = part.response.await(Operation.WRITE, artifact);
        inFlight.poll();
        completed.add(CompletedPart.builder().partNumber(part.number).eTag(response.eTag())
                .checksumCRC32(response.checksumCRC32()).build());
        freeBlocks.addAll(part.blocks);
    }

    private void requireOpen() throws IOException {
        if (done) {
            throw new IOException("the upload of output artifact '" + artifact.name() + "' is closed");
        }
    }

    private static JobFailureException tooBig(Artifact artifact, String why) {
        return new JobFailureException(FailureType.JOB_FAILED, "output artifact '" + artifact.name() + "' " + why);
    }

    /** A part sent and not yet confirmed; its blocks are free again once it is. */
    private record Part(int number, List<byte[]> blocks, S3Calls.InFlight<UploadPartResponse> response) {
    }
}

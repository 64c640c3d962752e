package dev.pipelineworker.s3.internal;

import dev.pipelineworker.Artifact;
import dev.pipelineworker.ArtifactAccess;
import dev.pipelineworker.ArtifactStore;
import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobFailureException;
import dev.pipelineworker.ZipLimits;
import dev.pipelineworker.internal.archive.DirectoryZipper;
import dev.pipelineworker.s3.internal.S3Failures.Operation;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.FileTransformerConfiguration;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * One job's artifacts in the pipeline's artifact bucket, read and written through a client that
 * only ever signs with this job's credentials. Uploads are SSE-KMS with the job's key (or the AWS
 * managed key when the job names none) and go multipart above the configured threshold; a failed
 * multipart upload is aborted (by the SDK for files, by {@link StreamingUpload} for streams and
 * zips). Every failure throws, so no upload failure can end in a success result.
 */
public final class S3ArtifactStore implements ArtifactStore {

    private static final Logger LOG = LoggerFactory.getLogger(S3ArtifactStore.class);

    private final ArtifactAccess access;
    private final JobClients s3;
    private final S3StoreSettings settings;
    private final DeflatePool deflate;
    private final S3Calls calls;

    public S3ArtifactStore(ArtifactAccess access, JobCredentialsProvider credentials, JobClients s3,
                           S3StoreSettings settings, DeflatePool deflate) {
        this.access = access;
        this.s3 = s3;
        this.settings = settings;
        this.deflate = deflate;
        this.calls = new S3Calls(access.jobId(), credentials);
    }

    @Override
    public InputStream openInput(String artifactName) throws IOException {
        Artifact artifact = input(artifactName);
        return call(Operation.READ, artifact,
                () -> s3.reads().getObject(get(artifact), AsyncResponseTransformer.toBlockingInputStream()));
    }

    @Override
    public Path downloadInput(String artifactName, Path target) throws IOException {
        Artifact artifact = input(artifactName);
        call(Operation.READ, artifact, () -> s3.reads().getObject(get(artifact),
                AsyncResponseTransformer.toFile(target, FileTransformerConfiguration.defaultCreateOrReplaceExisting())));
        return target;
    }

    /**
     * In one pass when the bucket serves ranges ({@link RangedZipExtraction}): the central directory
     * from the object's tail, then the entries streamed into {@code directory}, with no temporary file.
     * Otherwise, or when the stream disagrees with the directory, from a downloaded file as by default.
     */
    @Override
    public Path extractInput(String artifactName, Path directory) throws IOException {
        Artifact artifact = input(artifactName);
        RangedZipExtraction onePass = new RangedZipExtraction(artifact, settings.zipLimits(), (range, ifMatch) ->
                call(Operation.READ, artifact, () -> s3.reads().getObject(
                        get(artifact).toBuilder().range(range).ifMatch(ifMatch).build(),
                        AsyncResponseTransformer.toBlockingInputStream())));
        return onePass.extractInto(directory) ? directory : ArtifactStore.super.extractInput(artifactName, directory);
    }

    /** Streams into S3 (see {@link StreamingUpload}); fails without a trace when the length is not as announced. */
    @Override
    public void writeOutput(String artifactName, InputStream content, long contentLength) throws IOException {
        Artifact artifact = output(artifactName);
        try (StreamingUpload upload = upload(artifact, contentLength)) {
            long copied = content.transferTo(upload);
            if (contentLength >= 0 && copied != contentLength) {
                throw new IOException("output artifact '" + artifact.name() + "': the stream held " + copied
                        + " bytes, but " + contentLength + " were announced");
            }
            upload.complete();
        }
    }

    /**
     * Zips the directory straight into the upload's part buffers, deflating on the factory's
     * threads: no temporary file, memory bounded by the part buffers and the chunks being deflated.
     */
    @Override
    public void writeOutputZip(String artifactName, Path directory) throws IOException {
        Artifact artifact = output(artifactName);
        long sizeBound = DirectoryZipper.sizeBound(directory);
        try (StreamingUpload upload = upload(artifact, sizeBound)) {
            deflate.zipper().zip(directory, upload);
            upload.complete();
        }
    }

    @Override
    public void writeOutput(String artifactName, Path file) throws IOException {
        upload(output(artifactName), file);
    }

    @Override
    public ZipLimits zipLimits() {
        return settings.zipLimits();
    }

    @Override
    public void close() {
        s3.close();
    }

    private void upload(Artifact artifact, Path file) throws IOException {
        PutObjectRequest request = put(artifact, Files.size(file));
        call(Operation.WRITE, artifact, () -> s3.writes().putObject(request, AsyncRequestBody.fromFile(file)));
        LOG.debug("Wrote output artifact '{}' to {} ({} bytes)", artifact.name(), artifact.location(),
                request.contentLength());
    }

    private PutObjectRequest put(Artifact artifact, long size) {
        return UploadRequests.of(artifact, access.encryptionKey()).put(size);
    }

    private StreamingUpload upload(Artifact artifact, long sizeBound) {
        return new StreamingUpload(s3.writes(), calls, artifact, UploadRequests.of(artifact, access.encryptionKey()),
                settings.partSize(), settings.multipartThreshold(), settings.partsInFlight(), sizeBound);
    }

    private static GetObjectRequest get(Artifact artifact) {
        return GetObjectRequest.builder()
                .bucket(artifact.location().bucketName())
                .key(artifact.location().objectKey())
                .build();
    }

    /** Runs a request; on expired credentials, refreshes them once and runs it again. */
    private <T> T call(Operation operation, Artifact artifact, Supplier<CompletableFuture<T>> request)
            throws IOException {
        return calls.call(operation, artifact, request);
    }

    private Artifact input(String name) {
        return find(access.inputArtifacts(), name, "input");
    }

    private Artifact output(String name) {
        return find(access.outputArtifacts(), name, "output");
    }

    private Artifact find(List<Artifact> artifacts, String name, String kind) {
        for (Artifact artifact : artifacts) {
            if (artifact.name().equals(name)) {
                return artifact;
            }
        }
        String known = artifacts.stream().map(a -> "'" + a.name() + "'").collect(Collectors.joining(", "));
        throw new JobFailureException(FailureType.CONFIGURATION_ERROR, "Job " + access.jobId() + " has no " + kind
                + " artifact named '" + name + "' (its " + kind + " artifacts: "
                + (known.isEmpty() ? "none" : known) + ")");
    }
}

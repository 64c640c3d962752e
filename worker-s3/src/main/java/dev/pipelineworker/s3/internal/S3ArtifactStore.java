package dev.pipelineworker.s3.internal;

import dev.pipelineworker.Artifact;
import dev.pipelineworker.ArtifactAccess;
import dev.pipelineworker.ArtifactStore;
import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobFailureException;
import dev.pipelineworker.ZipLimits;
import dev.pipelineworker.s3.internal.S3Failures.Operation;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.FileTransformerConfiguration;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * One job's artifacts in the pipeline's artifact bucket, read and written through a client that
 * only ever signs with this job's credentials. Uploads are SSE-KMS with the job's key (or the AWS
 * managed key when the job names none) and go multipart above the configured threshold; the SDK
 * aborts a multipart upload that fails. Every failure throws, so no upload failure can end in a
 * success result.
 */
public final class S3ArtifactStore implements ArtifactStore {

    private static final Logger LOG = LoggerFactory.getLogger(S3ArtifactStore.class);

    private final ArtifactAccess access;
    private final JobCredentialsProvider credentials;
    private final JobClients s3;
    private final ZipLimits zipLimits;

    public S3ArtifactStore(ArtifactAccess access, JobCredentialsProvider credentials, JobClients s3,
                           ZipLimits zipLimits) {
        this.access = access;
        this.credentials = credentials;
        this.s3 = s3;
        this.zipLimits = zipLimits;
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
        RangedZipExtraction onePass = new RangedZipExtraction(artifact, zipLimits, (range, ifMatch) ->
                call(Operation.READ, artifact, () -> s3.reads().getObject(
                        get(artifact).toBuilder().range(range).ifMatch(ifMatch).build(),
                        AsyncResponseTransformer.toBlockingInputStream())));
        return onePass.extractInto(directory) ? directory : ArtifactStore.super.extractInput(artifactName, directory);
    }

    /**
     * Spools the stream to a temporary file first: a file can be sent again by the SDK's retries and
     * after a credential refresh, and split into parts without holding them in memory.
     */
    @Override
    public void writeOutput(String artifactName, InputStream content, long contentLength) throws IOException {
        Artifact artifact = output(artifactName);
        Path spool = Files.createTempFile("pipeline-worker-upload-", ".bin");
        try {
            long copied = Files.copy(content, spool, StandardCopyOption.REPLACE_EXISTING);
            if (contentLength >= 0 && copied != contentLength) {
                throw new IOException("output artifact '" + artifact.name() + "': the stream held " + copied
                        + " bytes, but " + contentLength + " were announced");
            }
            upload(artifact, spool);
        } finally {
            Files.deleteIfExists(spool);
        }
    }

    @Override
    public void writeOutput(String artifactName, Path file) throws IOException {
        upload(output(artifactName), file);
    }

    @Override
    public ZipLimits zipLimits() {
        return zipLimits;
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
        PutObjectRequest.Builder request = PutObjectRequest.builder()
                .bucket(artifact.location().bucketName())
                .key(artifact.location().objectKey())
                .contentLength(size)
                .serverSideEncryption(ServerSideEncryption.AWS_KMS);
        if (access.encryptionKey() != null) {
            request.ssekmsKeyId(KmsKeyIds.requireValid(access.encryptionKey()));
        }
        return request.build();
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
        AwsCredentials signedWith = credentials.resolveCredentials();
        try {
            return await(request.get());
        } catch (ExecutionException e) {
            if (!S3Failures.isExpiredCredentials(e.getCause())) {
                throw S3Failures.toJobFailure(operation, artifact, e.getCause());
            }
        }
        LOG.info("Artifact credentials of job {} expired while accessing artifact '{}'; refreshing them",
                access.jobId(), artifact.name());
        credentials.refresh(signedWith);
        try {
            return await(request.get());
        } catch (ExecutionException e) {
            throw S3Failures.toJobFailure(operation, artifact, e.getCause());
        }
    }

    private static <T> T await(CompletableFuture<T> future) throws ExecutionException, InterruptedIOException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for S3");
        }
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

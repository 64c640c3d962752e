package dev.pipelineworker.s3.internal;

import dev.pipelineworker.Artifact;
import dev.pipelineworker.EncryptionKey;
import java.util.List;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/**
 * The requests that write one output artifact, single or multipart, all with the same SSE-KMS
 * headers: the job's key when the pipeline names one (checked by {@link KmsKeyIds}), else the AWS
 * managed key. Parts carry a CRC-32, which the completion repeats part by part.
 */
record UploadRequests(String bucket, String key, String kmsKeyId) {

    static UploadRequests of(Artifact artifact, EncryptionKey encryptionKey) {
        return new UploadRequests(artifact.location().bucketName(), artifact.location().objectKey(),
                encryptionKey == null ? null : KmsKeyIds.requireValid(encryptionKey));
    }

    PutObjectRequest put(long size) {
        return PutObjectRequest.builder().bucket(bucket).key(key).contentLength(size)
                .serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(kmsKeyId).build();
    }

    CreateMultipartUploadRequest create() {
        return CreateMultipartUploadRequest.builder().bucket(bucket).key(key)
                .serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(kmsKeyId)
                .checksumAlgorithm(ChecksumAlgorithm.CRC32).build();
    }

    UploadPartRequest part(String uploadId, int number, long size) {
        return UploadPartRequest.builder().bucket(bucket).key(key).uploadId(uploadId).partNumber(number)
                .contentLength(size).checksumAlgorithm(ChecksumAlgorithm.CRC32).build();
    }

    CompleteMultipartUploadRequest complete(String uploadId, List<CompletedPart> parts) {
        return CompleteMultipartUploadRequest.builder().bucket(bucket).key(key).uploadId(uploadId)
                .multipartUpload(m -> m.parts(parts)).build();
    }

    AbortMultipartUploadRequest abort(String uploadId) {
        return AbortMultipartUploadRequest.builder().bucket(bucket).key(key).uploadId(uploadId).build();
    }
}

package dev.pipelineworker.s3.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipelineworker.Artifact;
import dev.pipelineworker.EncryptionKey;
import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobFailureException;
import dev.pipelineworker.S3Location;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/** The requests of one output artifact: its bucket and key, SSE-KMS where S3 takes it, CRC-32 on the parts. */
class UploadRequestsTest {

    private static final String KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/6b4f1d8e-2c3a-4e5f-9a7b-1c2d3e4f5a6b";
    private static final Artifact OUT = Artifact.of("out", S3Location.of("artifacts", "pipeline/out.zip"));

    @Test
    void theArtifactsLocationAndTheJobsKeyAreTakenChecked() {
        assertThat(UploadRequests.of(OUT, EncryptionKey.kms(KEY_ARN)))
                .isEqualTo(new UploadRequests("artifacts", "pipeline/out.zip", KEY_ARN));
        assertThat(UploadRequests.of(OUT, null)).isEqualTo(new UploadRequests("artifacts", "pipeline/out.zip", null));
        assertThatThrownBy(() -> UploadRequests.of(OUT, EncryptionKey.kms("not a key")))
                .isInstanceOf(JobFailureException.class)
                .satisfies(e -> assertThat(((JobFailureException) e).type())
                        .isEqualTo(FailureType.CONFIGURATION_ERROR));
    }

    @Test
    void aSingleUploadIsSseKmsWithTheKeyAndItsLength() {
        PutObjectRequest put = requests(KEY_ARN).put(42);

        assertThat(put.bucket()).isEqualTo("artifacts");
        assertThat(put.key()).isEqualTo("pipeline/out.zip");
        assertThat(put.contentLength()).isEqualTo(42);
        assertThat(put.serverSideEncryption()).isEqualTo(ServerSideEncryption.AWS_KMS);
        assertThat(put.ssekmsKeyId()).isEqualTo(KEY_ARN);
        assertThat(requests(null).put(0).ssekmsKeyId()).isNull();
        assertThat(requests(null).put(0).serverSideEncryption()).isEqualTo(ServerSideEncryption.AWS_KMS);
    }

    @Test
    void aMultipartUploadIsCreatedSseKmsWithCrc32Checksums() {
        CreateMultipartUploadRequest create = requests(KEY_ARN).create();

        assertThat(create.bucket()).isEqualTo("artifacts");
        assertThat(create.key()).isEqualTo("pipeline/out.zip");
        assertThat(create.serverSideEncryption()).isEqualTo(ServerSideEncryption.AWS_KMS);
        assertThat(create.ssekmsKeyId()).isEqualTo(KEY_ARN);
        assertThat(create.checksumAlgorithm()).isEqualTo(ChecksumAlgorithm.CRC32);
    }

    @Test
    void eachPartNamesItsUploadNumberAndLengthWithACrc32AndNoSseHeaders() {
        UploadPartRequest part = requests(KEY_ARN).part("upload-1", 3, 5L << 20);

        assertThat(part.bucket()).isEqualTo("artifacts");
        assertThat(part.key()).isEqualTo("pipeline/out.zip");
        assertThat(part.uploadId()).isEqualTo("upload-1");
        assertThat(part.partNumber()).isEqualTo(3);
        assertThat(part.contentLength()).isEqualTo(5L << 20);
        assertThat(part.checksumAlgorithm()).isEqualTo(ChecksumAlgorithm.CRC32);
        assertThat(part.sseCustomerKey()).isNull();
    }

    @Test
    void theCompletionListsThePartsInTheirOrderAndTheAbortNamesTheUpload() {
        List<CompletedPart> parts = List.of(CompletedPart.builder().partNumber(1).eTag("\"a\"").build(),
                CompletedPart.builder().partNumber(2).eTag("\"b\"").build());

        CompleteMultipartUploadRequest complete = requests(null).complete("upload-1", parts);
        AbortMultipartUploadRequest abort = requests(null).abort("upload-1");

        assertThat(complete.bucket()).isEqualTo("artifacts");
        assertThat(complete.key()).isEqualTo("pipeline/out.zip");
        assertThat(complete.uploadId()).isEqualTo("upload-1");
        assertThat(complete.multipartUpload().parts()).isEqualTo(parts);
        assertThat(abort.bucket()).isEqualTo("artifacts");
        assertThat(abort.key()).isEqualTo("pipeline/out.zip");
        assertThat(abort.uploadId()).isEqualTo("upload-1");
    }

    private static UploadRequests requests(String kmsKeyId) {
        return new UploadRequests("artifacts", "pipeline/out.zip", kmsKeyId);
    }
}

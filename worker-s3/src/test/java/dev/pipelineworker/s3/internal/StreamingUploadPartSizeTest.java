package dev.pipelineworker.s3.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipelineworker.Artifact;
import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobFailureException;
import dev.pipelineworker.S3Location;
import org.junit.jupiter.api.Test;

/** The part size of a streamed upload: the configured one, raised only as far as S3's 10,000 parts need. */
class StreamingUploadPartSizeTest {

    private static final long MIB = 1 << 20;
    private static final Artifact OUT = Artifact.of("out", S3Location.of("bucket", "key"));

    @Test
    void theConfiguredSizeServesUnknownAndModestSizes() {
        assertThat(StreamingUpload.partSize(OUT, 8 * MIB, -1)).isEqualTo(8 * MIB);
        assertThat(StreamingUpload.partSize(OUT, 8 * MIB, 0)).isEqualTo(8 * MIB);
        assertThat(StreamingUpload.partSize(OUT, 8 * MIB, 10_000 * 8 * MIB)).isEqualTo(8 * MIB);
    }

    @Test
    void aLargerArtifactGetsWholeMebibytePartsThatFitInTenThousand() {
        long bound = 10_000 * 8 * MIB + 1;
        int size = StreamingUpload.partSize(OUT, 8 * MIB, bound);

        assertThat(size).isEqualTo(9 * MIB);
        assertThat((bound + size - 1) / size).isLessThanOrEqualTo(StreamingUpload.MAX_PARTS);
        long fiveTiB = StreamingUpload.MAX_OBJECT_SIZE;
        int largest = StreamingUpload.partSize(OUT, 8 * MIB, fiveTiB);
        assertThat(largest).isEqualTo(525 * MIB);
        assertThat((fiveTiB + largest - 1) / largest).isLessThanOrEqualTo(StreamingUpload.MAX_PARTS);
    }

    @Test
    void anArtifactBeyondS3sLargestObjectFailsNamingTheLimit() {
        assertThatThrownBy(() -> StreamingUpload.partSize(OUT, 8 * MIB, StreamingUpload.MAX_OBJECT_SIZE + 1))
                .isInstanceOf(JobFailureException.class)
                .hasMessageContaining("output artifact 'out'")
                .hasMessageContaining("largest object (5 TiB)")
                .satisfies(e -> assertThat(((JobFailureException) e).type()).isEqualTo(FailureType.JOB_FAILED));
    }
}

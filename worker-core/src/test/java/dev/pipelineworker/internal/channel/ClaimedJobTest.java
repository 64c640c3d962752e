package dev.pipelineworker.internal.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobFailureException;
import dev.pipelineworker.internal.TestJobData;
import org.junit.jupiter.api.Test;

/** A claimed job is either runnable (its data) or to be failed at once (why its data is malformed), never both. */
class ClaimedJobTest {

    private static final JobFailureException MALFORMED =
            new JobFailureException(FailureType.JOB_FAILED, "malformed job data: no nonce");

    @Test
    void aJobWithDataAndAReasonItIsMalformedIsRefused() {
        assertThatThrownBy(() -> new ClaimedJob("j1", "client-a", "token", TestJobData.of("j1"), MALFORMED))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a claimed job has data or a reason it is malformed, not both");
    }

    @Test
    void aJobHasDataOrAReasonOrNeitherWhenRestoredToBeReported() {
        assertThat(new ClaimedJob("j1", null, null, TestJobData.of("j1"), null).data()).isNotNull();
        assertThat(new ClaimedJob("j1", null, null, null, MALFORMED).malformed()).isSameAs(MALFORMED);
        assertThat(new ClaimedJob("j1", null, null, null, null).data()).isNull();
    }

    @Test
    void aJobWithoutIdIsRefused() {
        assertThatThrownBy(() -> new ClaimedJob(null, null, null, null, null)).isInstanceOf(NullPointerException.class)
                .hasMessage("jobId");
    }
}

package dev.pipelineworker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobFailureException;
import dev.pipelineworker.JobOutcome;
import java.io.IOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class OutcomeMapperTest {

    @Test
    void jobFailureExceptionKeepsItsTypeAndMessage() {
        JobOutcome outcome = OutcomeMapper.fromThrowable(
                new JobFailureException(FailureType.PERMISSION_ERROR, "no access to bucket"));

        assertThat(outcome).isEqualTo(JobOutcome.fail(FailureType.PERMISSION_ERROR, "no access to bucket"));
    }

    @Test
    void otherExceptionsBecomeJobFailedNamingTheExceptionButNotItsCause() {
        JobOutcome outcome = OutcomeMapper.fromThrowable(
                new IOException("disk full", new IllegalStateException("inner detail")));

        assertThat(outcome).isEqualTo(JobOutcome.fail(FailureType.JOB_FAILED, "handler failed: IOException: disk full"));
    }

    @Test
    void anExceptionWithoutMessageIsNamedAlone() {
        assertThat(OutcomeMapper.fromThrowable(new IllegalStateException()).summary())
                .isEqualTo("handler failed: IllegalStateException");
        assertThat(OutcomeMapper.fromThrowable(new IllegalStateException("  ")).summary())
                .isEqualTo("handler failed: IllegalStateException");
    }

    @Test
    void aWrapperWithoutACauseIsNamedItself() {
        assertThat(OutcomeMapper.fromThrowable(new ExecutionException("lost", null)).summary())
                .isEqualTo("handler failed: ExecutionException: lost");
    }

    @Test
    void executorWrappersAreUnwrapped() {
        JobOutcome outcome = OutcomeMapper.fromThrowable(new ExecutionException(new CompletionException(
                new JobFailureException(FailureType.SYSTEM_UNAVAILABLE, "backend down"))));

        assertThat(outcome).isEqualTo(JobOutcome.fail(FailureType.SYSTEM_UNAVAILABLE, "backend down"));
    }

    @Test
    void aNullOutcomeBecomesJobFailed() {
        assertThat(OutcomeMapper.orFailure(null))
                .isEqualTo(JobOutcome.fail(FailureType.JOB_FAILED, "handler returned no outcome"));
        JobOutcome success = JobOutcome.success("done");
        assertThat(OutcomeMapper.orFailure(success)).isSameAs(success);
    }
}

package dev.pipelineworker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipelineworker.ActionOwner;
import dev.pipelineworker.CurrentRevision;
import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.internal.channel.Report;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutcomeValidatorTest {

    private final OutcomeValidator thirdParty = new OutcomeValidator(ActionOwner.THIRD_PARTY, ContinuationCodec.defaults());
    private final OutcomeValidator custom = new OutcomeValidator(ActionOwner.CUSTOM, ContinuationCodec.defaults());

    @Test
    void longTextsAreTruncatedWithAMarkerToTheModelLimits() {
        Report.Success report = (Report.Success) thirdParty.validate(JobOutcome.success("s".repeat(10_000))
                .withExternalExecutionId("e".repeat(2_000)));

        assertThat(report.summary()).hasSize(2048).endsWith(OutcomeValidator.TRUNCATION_MARKER);
        assertThat(report.externalExecutionId()).hasSize(1500).endsWith(OutcomeValidator.TRUNCATION_MARKER);
    }

    @Test
    void truncationNeverSplitsASurrogatePair() {
        String emoji = "\uD83D\uDE00";
        String text = "a".repeat(2048 - OutcomeValidator.TRUNCATION_MARKER.length() - 1) + emoji + "tail".repeat(100);

        String fitted = OutcomeValidator.text(text, 2048);

        assertThat(fitted).endsWith("a" + OutcomeValidator.TRUNCATION_MARKER);
        assertThat(fitted.length()).isLessThanOrEqualTo(2048);
    }

    @Test
    void blankTextsAreOmittedRatherThanSentEmpty() {
        Report.Success report = (Report.Success) thirdParty.validate(JobOutcome.success(" ").withExternalExecutionId(""));

        assertThat(report.summary()).isNull();
        assertThat(report.externalExecutionId()).isNull();
        assertThat(report.hasExecutionDetails()).isFalse();
    }

    @Test
    void percentCompleteIsClamped() {
        assertThat(((Report.Success) thirdParty.validate(JobOutcome.success().withPercentComplete(250)))
                .percentComplete()).isEqualTo(100);
        assertThat(((Report.Success) thirdParty.validate(JobOutcome.success().withPercentComplete(-3)))
                .percentComplete()).isZero();
    }

    @Test
    void failureMessagesAreTruncatedAndNeverEmpty() {
        Report.Failure longOne = (Report.Failure) thirdParty.validate(
                JobOutcome.fail(FailureType.PERMISSION_ERROR, "m".repeat(6_000)));
        Report.Failure empty = (Report.Failure) thirdParty.validate(JobOutcome.fail(FailureType.JOB_FAILED, ""));

        assertThat(longOne.message()).hasSize(5000);
        assertThat(longOne.type()).isEqualTo(FailureType.PERMISSION_ERROR);
        assertThat(empty.message()).isEqualTo("Job failed (JobFailed)");
    }

    @Test
    void anOverlongContinuationTokenBecomesAFailureThatSaysWhy() {
        Report report = thirdParty.validate(JobOutcome.continueWith("t".repeat(3_000)).withExternalExecutionId("x1"));

        assertThat(report).isInstanceOfSatisfying(Report.Failure.class, f -> {
            assertThat(f.type()).isEqualTo(FailureType.JOB_FAILED);
            assertThat(f.message()).contains("3000 characters").contains("1-2048");
            assertThat(f.externalExecutionId()).isEqualTo("x1");
        });
    }

    @Test
    void typedStateIsEncodedIntoTheToken() {
        Report.Success report = (Report.Success) thirdParty.validate(
                JobOutcome.continueWithState(new Progress("build-7", 3)).withSummary("waiting"));

        assertThat(report.isContinuation()).isTrue();
        assertThat(report.summary()).isEqualTo("waiting");
        assertThat(ContinuationCodec.defaults().decode(report.continuationToken(), Progress.class))
                .contains(new Progress("build-7", 3));
    }

    @Test
    void stateTooLargeForATokenBecomesAFailure() {
        Report report = thirdParty.validate(JobOutcome.continueWithState(new Progress("x".repeat(2_100), 1)));

        assertThat(report).isInstanceOfSatisfying(Report.Failure.class,
                f -> assertThat(f.message()).contains("continuation state is").contains("1-2048"));
    }

    @Test
    void outputVariablesAreRefusedOnThirdPartyJobs() {
        Report report = thirdParty.validate(JobOutcome.success().withOutputVariables(Map.of("url", "https://x")));

        assertThat(report).isInstanceOfSatisfying(Report.Failure.class,
                f -> assertThat(f.message()).contains("only allowed on custom actions"));
    }

    @Test
    void outputVariablesPassOnCustomJobsWhenWellFormed() {
        Report report = custom.validate(JobOutcome.success().withOutputVariables(Map.of("build@id_1-x", "42")));

        assertThat(report).isInstanceOfSatisfying(Report.Success.class,
                s -> assertThat(s.outputVariables()).containsEntry("build@id_1-x", "42"));
    }

    @Test
    void outputVariableKeysAndTotalSizeAreChecked() {
        Report badKey = custom.validate(JobOutcome.success().withOutputVariables(Map.of("no spaces", "1")));
        Report tooBig = custom.validate(JobOutcome.success().withOutputVariables(Map.of("big", "v".repeat(130_000))));

        assertThat(badKey).isInstanceOfSatisfying(Report.Failure.class,
                f -> assertThat(f.message()).contains("'no spaces'"));
        assertThat(tooBig).isInstanceOfSatisfying(Report.Failure.class,
                f -> assertThat(f.message()).contains("122880"));
    }

    @Test
    void currentRevisionMembersAreChecked() {
        Report empty = thirdParty.validate(JobOutcome.success().withCurrentRevision(CurrentRevision.of("", "c")));
        Report longChange = thirdParty.validate(
                JobOutcome.success().withCurrentRevision(CurrentRevision.of("r", "c".repeat(101))));
        Report fine = thirdParty.validate(JobOutcome.success().withCurrentRevision(
                CurrentRevision.of("abc123", "change-1").withRevisionSummary("s".repeat(3_000))));

        assertThat(empty).isInstanceOfSatisfying(Report.Failure.class,
                f -> assertThat(f.message()).contains("currentRevision.revision"));
        assertThat(longChange).isInstanceOfSatisfying(Report.Failure.class,
                f -> assertThat(f.message()).contains("currentRevision.changeIdentifier"));
        assertThat(fine).isInstanceOfSatisfying(Report.Success.class,
                s -> assertThat(s.currentRevision().revisionSummary()).hasSize(2048));
    }

    record Progress(String externalId, int step) {
    }
}

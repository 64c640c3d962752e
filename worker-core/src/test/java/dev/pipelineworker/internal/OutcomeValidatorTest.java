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

    /** A state Jackson cannot write (here a bean without properties) fails the job saying so, not the worker. */
    @Test
    void stateThatCannotBeSerialisedBecomesAFailureThatSaysWhy() {
        Report report = thirdParty.validate(JobOutcome.continueWithState(new Object()).withExternalExecutionId("ext"));

        assertThat(report).isInstanceOfSatisfying(Report.Failure.class, f -> {
            assertThat(f.type()).isEqualTo(FailureType.JOB_FAILED);
            assertThat(f.message()).startsWith("the handler's continuation cannot be reported: ")
                    .contains("java.lang.Object");
            assertThat(f.externalExecutionId()).isEqualTo("ext");
        });
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

    @Test
    void aCurrentRevisionIsSentUpTo1500CharactersAndRefusedBeyond() {
        Report longest = thirdParty.validate(JobOutcome.success().withCurrentRevision(
                CurrentRevision.of("r".repeat(1500), "c".repeat(100))));
        Report tooLong = thirdParty.validate(JobOutcome.success("built").withExternalExecutionId("run-7")
                .withCurrentRevision(CurrentRevision.of("r".repeat(1501), "c")));

        assertThat(longest).isInstanceOfSatisfying(Report.Success.class, s -> {
            assertThat(s.currentRevision().revision()).hasSize(1500);
            assertThat(s.currentRevision().changeIdentifier()).hasSize(100);
        });
        assertThat(tooLong).isInstanceOfSatisfying(Report.Failure.class, f -> {
            assertThat(f.type()).isEqualTo(FailureType.JOB_FAILED);
            assertThat(f.message()).contains("currentRevision.revision must be 1-1500 characters, got 1501");
            assertThat(f.externalExecutionId()).isEqualTo("run-7");
        });
    }

    @Test
    void aRevisionsOtherMembersAreKeptAndItsSummaryFittedOnlyWhenTooLong() {
        java.time.Instant created = java.time.Instant.parse("2026-01-02T03:04:05Z");
        CurrentRevision given = new CurrentRevision("abc", "change-1", created, "s".repeat(2048));

        Report.Success s = (Report.Success) thirdParty.validate(JobOutcome.success().withCurrentRevision(given));

        assertThat(s.currentRevision()).isEqualTo(given);
    }

    @Test
    void textsAtExactlyTheirLimitAreSentUnchanged() {
        Report.Success report = (Report.Success) thirdParty.validate(JobOutcome.success("s".repeat(2048))
                .withExternalExecutionId("e".repeat(1500)));
        Report.Failure failure = (Report.Failure) thirdParty.validate(
                JobOutcome.fail(FailureType.CONFIGURATION_ERROR, "m".repeat(5000)));
        Report.Failure longer = (Report.Failure) thirdParty.validate(
                JobOutcome.fail(FailureType.CONFIGURATION_ERROR, "m".repeat(5001)));

        assertThat(report.summary()).isEqualTo("s".repeat(2048));
        assertThat(report.externalExecutionId()).isEqualTo("e".repeat(1500));
        assertThat(failure.message()).isEqualTo("m".repeat(5000));
        assertThat(failure.type()).isEqualTo(FailureType.CONFIGURATION_ERROR);
        assertThat(longer.message()).hasSize(5000).endsWith(OutcomeValidator.TRUNCATION_MARKER);
    }

    @Test
    void percentCompleteKeepsItsBoundsAndAnAbsentPercentStaysAbsent() {
        assertThat(((Report.Success) thirdParty.validate(JobOutcome.success().withPercentComplete(0)))
                .percentComplete()).isZero();
        assertThat(((Report.Success) thirdParty.validate(JobOutcome.success().withPercentComplete(100)))
                .percentComplete()).isEqualTo(100);
        assertThat(((Report.Success) thirdParty.validate(JobOutcome.success())).percentComplete()).isNull();
    }

    @Test
    void outputVariablesMayTakeExactlyTheLimitInUtf8Bytes() {
        String key = "k";
        String atLimit = "\u00e9".repeat((122_880 - 1) / 2) + "x".repeat((122_880 - 1) % 2);
        Report fits = custom.validate(JobOutcome.success().withOutputVariables(Map.of(key, atLimit)));
        Report over = custom.validate(JobOutcome.success().withOutputVariables(Map.of(key, atLimit + "x")));

        assertThat(fits).isInstanceOfSatisfying(Report.Success.class,
                s -> assertThat(s.outputVariables()).containsEntry(key, atLimit));
        assertThat(over).isInstanceOfSatisfying(Report.Failure.class,
                f -> assertThat(f.message()).contains("122881 bytes"));
    }

    @Test
    void aContinuationTokenIsSentUpTo2048CharactersAndAnEmptyOneIsRefused() {
        Report longest = thirdParty.validate(JobOutcome.continueWith("t".repeat(2048)));
        Report empty = thirdParty.validate(JobOutcome.continueWith(""));

        assertThat(longest).isInstanceOfSatisfying(Report.Success.class,
                s -> assertThat(s.continuationToken()).hasSize(2048));
        assertThat(empty).isInstanceOfSatisfying(Report.Failure.class,
                f -> assertThat(f.message()).contains("token is 0 characters; CodePipeline accepts 1-2048"));
    }

    record Progress(String externalId, int step) {
    }
}

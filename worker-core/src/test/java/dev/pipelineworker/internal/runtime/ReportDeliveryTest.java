package dev.pipelineworker.internal.runtime;

import static dev.pipelineworker.internal.runtime.RuntimeFixture.WAIT;
import static dev.pipelineworker.internal.runtime.RuntimeFixture.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobObserver;
import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.OutcomeJournal;
import dev.pipelineworker.internal.channel.Report;
import dev.pipelineworker.internal.journal.JournalEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.codepipeline.model.InvalidJobStateException;
import software.amazon.awssdk.services.codepipeline.model.JobNotFoundException;
import software.amazon.awssdk.services.codepipeline.model.ValidationException;

/**
 * How a job's result reaches CodePipeline: transient errors (the one rule, {@code TransientErrors}) are retried up
 * to the configured attempts, any other answer ends the retries at once; what the journal keeps in each case, and
 * what the listener and the observer hear.
 */
class ReportDeliveryTest {

    @RegisterExtension
    final RuntimeFixture fixture = new RuntimeFixture();
    @TempDir
    Path journalDir;
    private Map<String, JobObserver.JobEnding> endings;

    @BeforeEach
    void setUp() throws Exception {
        fixture.journal = OutcomeJournal.inDirectory(journalDir);
        fixture.observer = fixture.recordEndings();
        endings = fixture.endings;
    }

    @Test
    void anOutageAndThrottlingAreRetriedUntilCodePipelineAcceptsTheResult() throws Exception {
        fixture.reportAttempts = 4;
        fixture.channel.reportErrors.add(() -> AwsServiceException.builder().statusCode(503).build());
        fixture.channel.reportErrors.add(() -> SdkClientException.create("connection reset"));
        fixture.channel.reportErrors.add(ReportDeliveryTest::throttling);

        Report report = runOne(JobOutcome.success("built"));

        assertThat(report).isEqualTo(new Report.Success("built", null, null, null, null, Map.of()));
        assertThat(reportCalls()).isEqualTo(4);
        // Each retry is announced as the attempt it is: the first retry is attempt 2.
        assertThat(fixture.events).containsSubsequence("reportRetried j1 2", "reportRetried j1 3",
                "reportRetried j1 4", "succeeded j1", "resultAccepted j1").doesNotContain("reportAbandoned j1");
        assertThat(fixture.journal.readAll()).as("the entry goes once the result is accepted").isEmpty();
        assertThat(endings.get("j1")).isEqualTo(JobObserver.JobEnding.of(JobObserver.JobEnding.Result.SUCCEEDED));
    }

    @Test
    void theRetriesEndAfterTheConfiguredAttemptsAndTheOutcomeStaysInTheJournal() throws Exception {
        for (int i = 0; i < 5; i++) {
            fixture.channel.reportErrors.add(() -> AwsServiceException.builder().statusCode(500).build());
        }

        runUnreported(JobOutcome.success("built"));

        assertThat(reportCalls()).as("three attempts").isEqualTo(3);
        assertThat(fixture.events).containsSubsequence("reportRetried j1 2", "reportRetried j1 3",
                "reportAbandoned j1").doesNotContain("reportRetried j1 4", "resultAccepted j1", "succeeded j1");
        assertThat(journaledReport()).as("kept for the next start to report")
                .isEqualTo(new Report.Success("built", null, null, null, null, Map.of()));
        assertThat(endings.get("j1")).isEqualTo(JobObserver.JobEnding.of(JobObserver.JobEnding.Result.UNREPORTED));
    }

    @Test
    void anErrorThatIsAnAnswerIsNotRetriedAndTheOutcomeStaysInTheJournal() throws Exception {
        fixture.channel.reportErrors.add(() -> ValidationException.builder().statusCode(400)
                .message("outputVariables too long").build());

        runUnreported(JobOutcome.fail(FailureType.CONFIGURATION_ERROR, "no Target"));

        assertThat(reportCalls()).isEqualTo(1);
        assertThat(fixture.events).contains("reportAbandoned j1").doesNotContain("reportRetried j1 2",
                "failed j1 ConfigurationError");
        assertThat(journaledReport()).isEqualTo(new Report.Failure(FailureType.CONFIGURATION_ERROR, "no Target", null));
        assertThat(endings.get("j1")).isEqualTo(JobObserver.JobEnding.of(JobObserver.JobEnding.Result.UNREPORTED));
    }

    @Test
    void aJobCodePipelineNoLongerKnowsOrWaitsForIsDroppedFromTheJournalWithoutRetries() throws Exception {
        List<Supplier<RuntimeException>> gone = List.of(
                () -> JobNotFoundException.builder().statusCode(400).message("no such job").build(),
                () -> InvalidJobStateException.builder().statusCode(400).message("job already failed").build());
        fixture.channel.reportErrors.addAll(gone);
        fixture.channel.enqueue("j1", "j2");
        fixture.start(ctx -> JobOutcome.success());

        awaitTrue("both reports abandoned", () -> fixture.events("reportAbandoned").size() == 2
                && fixture.runtime.inFlightJobs() == 0);

        assertThat(reportCalls()).isEqualTo(2);
        assertThat(fixture.events).doesNotContain("reportRetried j1 2", "reportRetried j2 2", "succeeded j1",
                "succeeded j2");
        assertThat(fixture.journal.readAll()).as("nothing left to report").isEmpty();
        assertThat(endings).containsOnlyKeys("j1", "j2").allSatisfy((id, ending) -> assertThat(ending)
                .isEqualTo(JobObserver.JobEnding.of(JobObserver.JobEnding.Result.UNREPORTED)));
    }

    @Test
    void eachKindOfAcceptedResultIsAnnouncedAsWhatItWas() throws Exception {
        fixture.channel.enqueue("done", "again", "broken");
        fixture.start(ctx -> switch (ctx.jobId()) {
            case "done" -> JobOutcome.success("built");
            case "again" -> JobOutcome.continueWith("page-2");
            default -> JobOutcome.fail(FailureType.PERMISSION_ERROR, "no access");
        });

        awaitTrue("three results accepted", () -> fixture.events("resultAccepted").size() == 3
                && endings.size() == 3);

        assertThat(fixture.events).contains("succeeded done", "continued again", "failed broken PermissionError",
                "resultAccepted done", "resultAccepted again", "resultAccepted broken");
        assertThat(fixture.events).doesNotContain("succeeded again", "continued done");
        assertThat(endings.get("done")).isEqualTo(JobObserver.JobEnding.of(JobObserver.JobEnding.Result.SUCCEEDED));
        assertThat(endings.get("again")).isEqualTo(JobObserver.JobEnding.of(JobObserver.JobEnding.Result.CONTINUED));
        assertThat(endings.get("broken")).isEqualTo(new JobObserver.JobEnding(JobObserver.JobEnding.Result.FAILED,
                FailureType.PERMISSION_ERROR));
    }

    @Test
    void theListenerIsToldHowLongTheReportTookAndHowLongSinceTheClaim() {
        fixture.channel.reportErrors.add(() -> SdkClientException.create("connection reset"));

        runOne(JobOutcome.success());

        List<Duration> after = fixture.acceptedAfter.get("j1");
        assertThat(after).hasSize(2);
        // Both are measured on the monotonic clock within this test; the claim came before the report began.
        assertThat(after.get(0)).isPositive().isLessThan(WAIT);
        assertThat(after.get(1)).isGreaterThan(after.get(0)).isLessThan(WAIT);
    }

    @Test
    void theJobsScratchDirectoryIsDeletedOnceItIsReportedEvenWhenTheReportFails() throws Exception {
        fixture.channel.reportErrors.add(() -> ValidationException.builder().statusCode(400).build());
        fixture.channel.enqueue("j1", "j2");
        Map<String, Path> scratch = new ConcurrentHashMap<>();
        fixture.start(ctx -> {
            Path dir = ctx.scratchDirectory();
            Files.writeString(dir.resolve("out.txt"), "left behind");
            scratch.put(ctx.jobId(), dir);
            return JobOutcome.success();
        });

        awaitTrue("both jobs ended", () -> endings.size() == 2);

        assertThat(scratch).hasSize(2).allSatisfy((id, dir) -> assertThat(dir).doesNotExist());
    }

    private Report runOne(JobOutcome outcome) {
        fixture.channel.enqueue("j1");
        fixture.start(ctx -> outcome);
        Report report = fixture.channel.awaitReport("j1", WAIT);
        awaitTrue("the job ended", () -> endings.containsKey("j1") && fixture.runtime.inFlightJobs() == 0);
        return report;
    }

    private void runUnreported(JobOutcome outcome) {
        fixture.channel.enqueue("j1");
        fixture.start(ctx -> outcome);
        awaitTrue("the report abandoned", () -> endings.containsKey("j1") && fixture.runtime.inFlightJobs() == 0);
        assertThat(fixture.channel.reports).doesNotContainKey("j1");
    }

    private long reportCalls() {
        return fixture.channel.calls.stream().filter(c -> c.startsWith("report ")).count();
    }

    private Report journaledReport() throws Exception {
        return JournalEntry.fromBytes(fixture.journal.readAll().get("j1")).report();
    }

    static AwsServiceException throttling() {
        return AwsServiceException.builder().statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ThrottlingException").build()).build();
    }
}

package dev.pipelineworker.integration;

import static dev.pipelineworker.integration.EmulatorTestbed.THIRD_PARTY_TYPE;
import static dev.pipelineworker.integration.EmulatorTestbed.WAIT;
import static dev.pipelineworker.integration.EmulatorTestbed.job;
import static dev.pipelineworker.testkit.emulator.Operation.POLL_FOR_THIRD_PARTY_JOBS;
import static dev.pipelineworker.testkit.emulator.Operation.PUT_THIRD_PARTY_JOB_SUCCESS_RESULT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipelineworker.CurrentRevision;
import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobHandler;
import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.testkit.emulator.JobInfo;
import dev.pipelineworker.testkit.emulator.RecordedResult;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * What a handler returns is fitted to the CodePipeline model before it goes on the wire; what cannot be sent
 * becomes a failure that says why. Handler exceptions and timeouts become failures. The emulator refuses any
 * result beyond the model's limits, which the base class checks after every test.
 */
class OutcomeComplianceTest extends EmulatorTest {

    private static final String MARKER = "... [truncated]";

    /** One job per case, all queued before the worker starts; each job's configuration names its case. */
    private Map<String, JobInfo> queueCases(String... cases) {
        Map<String, JobInfo> jobs = new LinkedHashMap<>();
        for (String c : cases) {
            jobs.put(c, cp.enqueue(job(THIRD_PARTY_TYPE, "exec-" + c).configuration("Case", c)));
        }
        return jobs;
    }

    private static JobOutcome outcomeFor(String c) {
        return switch (c) {
            case "long-summary" -> JobOutcome.success("s".repeat(10_000)).withExternalExecutionId("e".repeat(2_000));
            case "long-message" -> JobOutcome.fail(FailureType.JOB_FAILED, "m".repeat(6_000));
            case "percent-high" -> JobOutcome.success("done").withPercentComplete(250);
            case "percent-low" -> JobOutcome.success("done").withPercentComplete(-5);
            case "blank-summary" -> JobOutcome.success("   ");
            case "long-token" -> JobOutcome.continueWith("t".repeat(3_000));
            case "long-state" -> JobOutcome.continueWithState(Map.of("log", "x".repeat(3_000)));
            case "output-variables" -> JobOutcome.success().withOutputVariables(Map.of("Url", "https://x"));
            case "long-revision-summary" -> JobOutcome.success().withCurrentRevision(new CurrentRevision(
                    "rev-1", "change-1", Instant.ofEpochSecond(1_700_000_000L), "r".repeat(3_000)));
            case "null-outcome" -> null;
            default -> throw new AssertionError(c);
        };
    }

    @Test
    void fitsEveryOutcomeToTheModel() {
        String[] cases = {"long-summary", "long-message", "percent-high", "percent-low", "blank-summary", "long-token",
                "long-state", "output-variables", "long-revision-summary", "null-outcome"};
        Map<String, JobInfo> jobs = queueCases(cases);
        cp.start(cp.thirdPartyWorker(context -> outcomeFor(context.configuration().requireString("Case")))
                .maxConcurrentJobs(cases.length));
        await("a result call for every case").until(() -> cp.resultCalls().size() >= cases.length);

        RecordedResult.ExecutionDetails summary = success(jobs.get("long-summary")).executionDetails();
        assertThat(summary.summary()).hasSize(2048).startsWith("sss").endsWith(MARKER);
        assertThat(summary.externalExecutionId()).hasSize(1500).endsWith(MARKER);

        RecordedResult.Failure message = failure(jobs.get("long-message"));
        assertThat(message.type()).isEqualTo(FailureType.JOB_FAILED);
        assertThat(message.message()).hasSize(5000).startsWith("mmm").endsWith(MARKER);

        assertThat(success(jobs.get("percent-high")).executionDetails().percentComplete()).isEqualTo(100);
        assertThat(success(jobs.get("percent-low")).executionDetails().percentComplete()).isZero();
        // A blank summary is omitted, never sent empty.
        assertThat(success(jobs.get("blank-summary")).executionDetails()).isNull();

        assertThat(failure(jobs.get("long-token")).type()).isEqualTo(FailureType.JOB_FAILED);
        assertThat(failure(jobs.get("long-token")).message())
                .contains("continuation token is 3000 characters").contains("1-2048");
        assertThat(failure(jobs.get("long-state")).message()).contains("continuation state is").contains("1-2048");
        assertThat(failure(jobs.get("output-variables")).message())
                .contains("output variables are only allowed on custom actions");
        assertThat(failure(jobs.get("null-outcome")).message()).isEqualTo("handler returned no outcome");

        String revisionJob = jobs.get("long-revision-summary").jobId();
        RecordedResult.Revision revision = success(jobs.get("long-revision-summary")).currentRevision();
        assertThat(revision.revision()).isEqualTo("rev-1");
        assertThat(revision.changeIdentifier()).isEqualTo("change-1");
        assertThat(revision.created()).isEqualTo(Instant.ofEpochSecond(1_700_000_000L));
        assertThat(revision.revisionSummary()).hasSize(2048).endsWith(MARKER);
        JsonNode created = cp.bodies(PUT_THIRD_PARTY_JOB_SUCCESS_RESULT, revisionJob).get(0)
                .path("currentRevision").path("created");
        assertThat(created.isNumber()).as("created is sent as epoch seconds").isTrue();
        assertThat(created.asLong()).isEqualTo(1_700_000_000L);

        // Outcomes that cannot be sent are never attempted as successes.
        for (String c : List.of("long-token", "long-state", "output-variables", "null-outcome", "long-message")) {
            assertThat(cp.calls(PUT_THIRD_PARTY_JOB_SUCCESS_RESULT, jobs.get(c).jobId())).as(c).isEmpty();
        }
        // Exactly one result per job, each accepted at its first call.
        assertThat(cp.resultCalls()).hasSize(cases.length).allSatisfy(call -> assertThat(call.succeeded()).isTrue());
        assertThat(cp.emulator().results()).hasSize(cases.length);
    }

    private RecordedResult.Success success(JobInfo job) {
        return result(job, RecordedResult.Success.class);
    }

    private RecordedResult.Failure failure(JobInfo job) {
        return result(job, RecordedResult.Failure.class);
    }

    private <T extends RecordedResult> T result(JobInfo job, Class<T> kind) {
        List<RecordedResult> results = cp.emulator().resultsForJob(job.jobId());
        assertThat(results).as("results for %s", job.spec().configuration().get("Case")).singleElement()
                .isInstanceOf(kind);
        return kind.cast(results.get(0));
    }

    @Test
    void aHandlerExceptionFailsTheJob() {
        JobInfo job = queueCases("throws").get("throws");
        cp.start(cp.thirdPartyWorker(context -> {
            throw new IllegalStateException("database unreachable");
        }));

        assertThat(cp.emulator().awaitResult(job.jobId(), WAIT)).isInstanceOfSatisfying(RecordedResult.Failure.class,
                failure -> {
                    assertThat(failure.type()).isEqualTo(FailureType.JOB_FAILED);
                    assertThat(failure.message()).isEqualTo("handler failed: IllegalStateException: database unreachable");
                });
        await("failed").until(() -> cp.listener().has("failed:" + job.jobId() + ":JobFailed"));
        // The poll loop survives the handler's exception.
        int polls = cp.calls(POLL_FOR_THIRD_PARTY_JOBS).size();
        cp.awaitCalls(POLL_FOR_THIRD_PARTY_JOBS, polls + 2);
    }

    @Test
    void aHandlerPastItsDeadlineIsReportedAsTimedOutAndInterrupted() throws Exception {
        JobInfo job = queueCases("slow").get("slow");
        AtomicBoolean interrupted = new AtomicBoolean();
        JobHandler slow = context -> {
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException e) {
                interrupted.set(true);
                throw e;
            }
            return JobOutcome.success("too late");
        };
        ExecutorService jobThreads = Executors.newFixedThreadPool(2);
        try {
            cp.start(cp.thirdPartyWorker(slow).jobTimeout(Duration.ofMillis(300)).executor(jobThreads));

            assertThat(cp.emulator().awaitResult(job.jobId(), WAIT)).isInstanceOfSatisfying(
                    RecordedResult.Failure.class, failure -> {
                        assertThat(failure.type()).isEqualTo(FailureType.JOB_FAILED);
                        assertThat(failure.message()).contains("timed out").contains("PT0.3S");
                    });
            await("handler interrupted").untilTrue(interrupted);
            int polls = cp.calls(POLL_FOR_THIRD_PARTY_JOBS).size();
            cp.awaitCalls(POLL_FOR_THIRD_PARTY_JOBS, polls + 2);
            // Once the job's thread is done with the handler's late exception, it has produced no second result.
            jobThreads.shutdown();
            assertThat(jobThreads.awaitTermination(10, TimeUnit.SECONDS)).as("job threads finished").isTrue();
            assertThat(cp.resultCalls()).hasSize(1);
            assertThat(cp.listener().events()).contains("failed:" + job.jobId() + ":JobFailed");
        } finally {
            jobThreads.shutdownNow();
        }
    }
}

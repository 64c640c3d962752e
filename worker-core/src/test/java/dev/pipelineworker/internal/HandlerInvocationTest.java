package dev.pipelineworker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.pipelineworker.ActionOwner;
import dev.pipelineworker.ArtifactStore;
import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobFailureException;
import dev.pipelineworker.JobHandler;
import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.MdcKeys;
import dev.pipelineworker.internal.channel.Report;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.MDC;

class HandlerInvocationTest {

    private static final Instant NOW = Instant.parse("2025-06-01T10:00:00Z");
    private static final JobData JOB = TestJobData.of("job-1");

    @TempDir
    Path temp;

    private final CapturedLog log = new CapturedLog("test.HandlerInvocation");
    private final ContinuationCodec codec = ContinuationCodec.defaults();

    @AfterEach
    void releaseLogs() {
        log.close();
        MDC.clear();
    }

    private HandlerInvocation.Result run(JobHandler handler) {
        return run(handler, () -> {
            throw new AssertionError("no store expected");
        });
    }

    private HandlerInvocation.Result run(JobHandler handler, java.util.function.Supplier<ArtifactStore> store) {
        return invocation(handler, new ScratchSpace(temp.resolve("scratch"))).run(JOB, NOW.plusSeconds(60), store);
    }

    private HandlerInvocation invocation(JobHandler handler, ScratchSpace scratch) {
        return new HandlerInvocation(handler, new OutcomeValidator(ActionOwner.THIRD_PARTY, codec), codec,
                Clock.fixed(NOW, ZoneOffset.UTC), scratch, log.logger());
    }

    private List<ILoggingEvent> loggedAtInfoOrAbove() {
        return log.events().stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.INFO)).toList();
    }

    @Test
    void theOutcomeIsValidatedIntoTheReportToSend() {
        HandlerInvocation.Result result = run(context -> JobOutcome.success("s".repeat(3_000))
                .withExternalExecutionId("ext-1").withPercentComplete(140));

        Report.Success report = (Report.Success) result.report();
        assertThat(report.summary()).hasSize(OutcomeValidator.MAX_SUMMARY).endsWith(OutcomeValidator.TRUNCATION_MARKER);
        assertThat(report.percentComplete()).isEqualTo(100);
        assertThat(result.outcome()).isEqualTo(JobOutcome.success(report.summary()).withExternalExecutionId("ext-1")
                .withPercentComplete(100));
        assertThat(result.thrown()).isNull();
        assertThat(loggedAtInfoOrAbove()).isEmpty();
    }

    @Test
    void theDurationIsTheTimeTheHandlerTook() {
        long before = System.nanoTime();
        HandlerInvocation.Result result = run(context -> JobOutcome.success("done"));
        Duration around = Duration.ofNanos(System.nanoTime() - before);

        assertThat(result.duration()).isPositive().isLessThanOrEqualTo(around);
    }

    @Test
    void noOutcomeAndAFailureWithoutMessageBecomeWhatTheWorkerReports() {
        assertThat(run(context -> null).report())
                .isEqualTo(new Report.Failure(FailureType.JOB_FAILED, OutcomeMapper.NO_OUTCOME_MESSAGE, null));
        assertThat(run(context -> JobOutcome.fail(FailureType.CONFIGURATION_ERROR, null)).outcome())
                .isEqualTo(JobOutcome.fail(FailureType.CONFIGURATION_ERROR, "Job failed (ConfigurationError)"));
    }

    @Test
    void aContinuationCarriesItsStateEncodedAndOneTooLongToSendFailsTheJob() {
        HandlerInvocation.Result result = run(context -> JobOutcome.continueWithState(Map.of("step", 2))
                .withSummary("waiting"));

        JobOutcome.Continue next = (JobOutcome.Continue) result.outcome();
        assertThat(next.token()).isEqualTo(codec.encode(Map.of("step", 2)));
        assertThat(next.state()).isNull();
        assertThat(next.summary()).isEqualTo("waiting");

        JobOutcome.Fail refused = (JobOutcome.Fail) run(context -> JobOutcome.continueWith("t".repeat(2_049))).outcome();
        assertThat(refused.message()).contains("2049 characters", "1-2048");
    }

    @Test
    void aJobFailureExceptionIsLoggedAtInfoWithItsMessage() {
        HandlerInvocation.Result result = run(context -> {
            throw new JobFailureException(FailureType.PERMISSION_ERROR, "no access to the build server");
        });

        assertThat(result.outcome()).isEqualTo(JobOutcome.fail(FailureType.PERMISSION_ERROR,
                "no access to the build server"));
        assertThat(result.thrown()).isInstanceOf(JobFailureException.class);
        assertThat(loggedAtInfoOrAbove()).singleElement().satisfies(line -> {
            assertThat(line.getLevel()).isEqualTo(Level.INFO);
            assertThat(line.getFormattedMessage()).isEqualTo("job job-1 failed by the handler: no access to the build server");
        });
    }

    @Test
    void anyOtherExceptionIsLoggedAsAWarningNamingItsClassOnly() {
        HandlerInvocation.Result result = run(context -> {
            throw new IllegalStateException("token=hunter2");
        });

        assertThat(result.outcome()).isEqualTo(JobOutcome.fail(FailureType.JOB_FAILED,
                "handler failed: IllegalStateException: token=hunter2"));
        assertThat(loggedAtInfoOrAbove()).singleElement().satisfies(line -> {
            assertThat(line.getLevel()).isEqualTo(Level.WARN);
            assertThat(line.getFormattedMessage()).isEqualTo("job job-1: the handler threw java.lang.IllegalStateException");
            assertThat(line.getThrowableProxy()).isNull();
        });
    }

    @Test
    void anErrorOfTheJvmIsAFailureToo_loggedAsAnError() {
        HandlerInvocation.Result result = run(context -> {
            throw new OutOfMemoryError("Java heap space");
        });

        assertThat(result.outcome()).isEqualTo(JobOutcome.fail(FailureType.JOB_FAILED,
                "handler failed: OutOfMemoryError: Java heap space"));
        assertThat(result.thrown()).isInstanceOf(OutOfMemoryError.class);
        assertThat(loggedAtInfoOrAbove()).singleElement().satisfies(line -> {
            assertThat(line.getLevel()).isEqualTo(Level.ERROR);
            assertThat(line.getFormattedMessage()).contains("java.lang.OutOfMemoryError", "the JVM is in trouble");
        });
    }

    @Test
    void theStoreIsOpenedOnFirstUseOnlyAndClosedOnceWhateverTheHandlerDoes() throws IOException {
        AtomicInteger opened = new AtomicInteger();
        ArtifactStore store = mock(ArtifactStore.class);

        run(context -> JobOutcome.success(), () -> {
            opened.incrementAndGet();
            return store;
        });
        assertThat(opened).hasValue(0);

        run(context -> {
            context.artifacts();
            context.artifacts();
            throw new IllegalStateException("after opening");
        }, () -> {
            opened.incrementAndGet();
            return store;
        });
        assertThat(opened).hasValue(1);
        verify(store, times(1)).close();
    }

    @Test
    void aStoreThatFailsToCloseIsLoggedAndTheOutcomeStands() throws IOException {
        ArtifactStore store = mock(ArtifactStore.class);
        doThrow(new IOException("connection pool")).when(store).close();

        HandlerInvocation.Result result = run(context -> {
            context.artifacts();
            return JobOutcome.success("done");
        }, () -> store);

        assertThat(result.outcome()).isEqualTo(JobOutcome.success("done"));
        assertThat(loggedAtInfoOrAbove()).singleElement().satisfies(line -> assertThat(line.getFormattedMessage())
                .isEqualTo("job job-1: closing the artifact store failed: IOException: connection pool"));
    }

    @Test
    void theScratchDirectoryIsCreatedOnFirstUseAndLeftForTheCallerToDelete() {
        ScratchSpace scratch = new ScratchSpace(temp.resolve("scratch"));
        List<Path> seen = new ArrayList<>();

        invocation(context -> JobOutcome.success(), scratch).run(JOB, NOW, () -> null);
        assertThat(scratch.root()).doesNotExist();

        HandlerInvocation.Result result = invocation(context -> {
            seen.add(context.scratchDirectory());
            Files.writeString(context.scratchDirectory().resolve("work.txt"), "w");
            seen.add(context.scratchDirectory());
            return JobOutcome.success();
        }, scratch).run(JOB, NOW, () -> null);

        assertThat(result.report()).isInstanceOf(Report.Success.class);
        assertThat(seen).containsExactly(scratch.directoryFor("job-1"), scratch.directoryFor("job-1"));
        assertThat(scratch.directoryFor("job-1").resolve("work.txt")).hasContent("w");
    }

    @Test
    void aScratchDirectoryThatCannotBeCreatedFailsTheJobSayingSo() throws IOException {
        Path notADirectory = Files.writeString(temp.resolve("file"), "x");

        HandlerInvocation.Result result = invocation(context -> {
            context.scratchDirectory();
            return JobOutcome.success();
        }, new ScratchSpace(notADirectory)).run(JOB, NOW, () -> null);

        assertThat(((Report.Failure) result.report()).message())
                .startsWith("the job's scratch directory cannot be created: IOException: the scratch root ");
    }

    @Test
    void theHandlerSeesTheJobInTheMdcAndTheCallersMdcIsRestoredAfterwards() {
        MDC.put("tenant", "acme");
        MDC.put(MdcKeys.JOB_ID, "outer");
        AtomicReference<Map<String, String>> inHandler = new AtomicReference<>();

        run(context -> {
            inHandler.set(MDC.getCopyOfContextMap());
            throw new IllegalStateException("the MDC is restored all the same");
        });

        assertThat(inHandler.get()).containsEntry("tenant", "acme").containsEntry("jobId", "job-1")
                .containsEntry("pipeline", "pipe").containsEntry("stage", "Build").containsEntry("action", "Act")
                .containsEntry("actionExecutionId", "exec-job-1");
        assertThat(MDC.getCopyOfContextMap()).isEqualTo(Map.of("tenant", "acme", MdcKeys.JOB_ID, "outer"));
    }

    @Test
    void theContextCarriesTheDeadlineAndClockGiven() {
        AtomicReference<String> seen = new AtomicReference<>();

        run(context -> {
            seen.set(context.deadline() + " " + context.remaining() + " " + context.jobId());
            return JobOutcome.success();
        });

        assertThat(seen).hasValue("2025-06-01T10:01:00Z PT1M job-1");
    }
}

package dev.pipelineworker.integration;

import static dev.pipelineworker.integration.EmulatorTestbed.ACTION;
import static dev.pipelineworker.integration.EmulatorTestbed.PIPELINE;
import static dev.pipelineworker.integration.EmulatorTestbed.STAGE;
import static dev.pipelineworker.integration.EmulatorTestbed.THIRD_PARTY_TYPE;
import static dev.pipelineworker.integration.EmulatorTestbed.job;
import static dev.pipelineworker.testkit.emulator.Operation.PUT_THIRD_PARTY_JOB_FAILURE_RESULT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.JobWorker;
import dev.pipelineworker.testkit.emulator.JobInfo;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** Log lines of a job carry its identity in the MDC, and nothing of it stays on the worker threads. */
class MdcTest extends EmulatorTest {

    private static final String HANDLER_LOGGER = "acme.handler";

    /** Captures the MDC when the event is appended, not when the test reads it later on another thread. */
    static final class CapturingAppender extends ListAppender<ILoggingEvent> {
        @Override
        protected void append(ILoggingEvent event) {
            event.prepareForDeferredProcessing();
            super.append(event);
        }
    }

    private final CapturingAppender appender = new CapturingAppender();
    private final List<Logger> loggers = List.of((Logger) LoggerFactory.getLogger("dev.pipelineworker"),
            (Logger) LoggerFactory.getLogger(HANDLER_LOGGER));
    private final ExecutorService jobThread = Executors.newSingleThreadExecutor();

    @BeforeEach
    void captureLogs() {
        appender.start();
        for (Logger logger : loggers) {
            logger.setLevel(Level.INFO);
            logger.addAppender(appender);
        }
    }

    @AfterEach
    void releaseLogs() {
        for (Logger logger : loggers) {
            logger.detachAppender(appender);
            logger.setLevel(null);
        }
        jobThread.shutdownNow();
    }

    /** The job the tests run, and the MDC entries its log lines must carry. */
    private JobInfo job;
    private Map<String, String> expected;

    private void queueTheJob() {
        job = cp.enqueue(job(THIRD_PARTY_TYPE, "exec-mdc"));
        expected = Map.of("jobId", job.jobId(), "pipeline", PIPELINE, "stage", STAGE, "action", ACTION,
                "actionExecutionId", "exec-mdc");
    }

    private List<ILoggingEvent> linesContaining(String text) {
        return appender.list.stream().filter(e -> e.getFormattedMessage().contains(text)).toList();
    }

    @Test
    void theJobsLogLinesCarryItsIdentityAndTheThreadIsCleanAfterwards() throws Exception {
        queueTheJob();
        AtomicReference<Map<String, String>> inHandler = new AtomicReference<>();
        cp.start(cp.thirdPartyWorker(context -> {
            inHandler.set(MDC.getCopyOfContextMap());
            LoggerFactory.getLogger(HANDLER_LOGGER).info("compiling for job {}", context.jobId());
            return JobOutcome.success("compiled");
        }).executor(jobThread).maxConcurrentJobs(1));

        await("the job reported").until(() -> cp.listener().has("succeeded:" + job.jobId()));
        await("the worker's report line").until(() -> !linesContaining("job " + job.jobId() + " reported").isEmpty());

        assertThat(inHandler.get()).containsAllEntriesOf(expected);
        ILoggingEvent handlerLine = linesContaining("compiling for job " + job.jobId()).get(0);
        assertThat(handlerLine.getMDCPropertyMap()).containsAllEntriesOf(expected);
        assertThat(linesContaining("job " + job.jobId() + " reported").get(0).getMDCPropertyMap())
                .containsAllEntriesOf(expected);

        // The job thread (a single thread, so this runs after the job's task) holds no MDC any more.
        Map<String, String> after = jobThread.submit(() -> MDC.getCopyOfContextMap()).get(5, TimeUnit.SECONDS);
        assertThat(after == null ? Map.of() : after).isEmpty();
        // Nothing leaked onto lines logged outside a job.
        assertThat(appender.list).filteredOn(e -> e.getFormattedMessage().startsWith("worker started"))
                .isNotEmpty()
                .allSatisfy(e -> assertThat(e.getMDCPropertyMap()).doesNotContainKey("jobId"));
    }

    @Test
    void theWorkerStoppedLineAfterADrainIsNotTheLastJobs() throws Exception {
        queueTheJob();
        CountDownLatch running = new CountDownLatch(1);
        JobWorker worker = cp.start(cp.thirdPartyWorker(context -> {
            running.countDown();
            Thread.sleep(300); // still working when the shutdown begins
            return JobOutcome.success("drained");
        }).executor(jobThread).maxConcurrentJobs(1));
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();

        worker.shutdown(); // the job finishes within the grace period; its thread ends the drain
        assertThat(worker.awaitTermination(Duration.ofSeconds(10))).isTrue();

        assertThat(linesContaining("job " + job.jobId() + " reported").get(0).getMDCPropertyMap())
                .containsAllEntriesOf(expected);
        assertThat(linesContaining("worker stopped")).singleElement()
                .satisfies(line -> assertThat(line.getMDCPropertyMap()).doesNotContainKey("jobId"));
    }

    @Test
    void aTimeoutReportedFromAnotherThreadAlsoCarriesTheJobsIdentity() {
        queueTheJob();
        cp.start(cp.thirdPartyWorker(context -> {
            Thread.sleep(10_000);
            return JobOutcome.success();
        }).jobTimeout(Duration.ofMillis(200)).executor(jobThread).maxConcurrentJobs(1));

        cp.awaitCall(PUT_THIRD_PARTY_JOB_FAILURE_RESULT, job.jobId());
        await("the worker's report line").until(() -> !linesContaining("job " + job.jobId() + " reported").isEmpty());
        ILoggingEvent line = linesContaining("job " + job.jobId() + " reported").get(0);
        assertThat(line.getFormattedMessage()).contains("timed out");
        assertThat(line.getThreadName()).doesNotStartWith("pool-");
        assertThat(line.getMDCPropertyMap()).containsAllEntriesOf(expected);
    }
}

package dev.pipelineworker.reliability.faults;

import static dev.pipelineworker.reliability.faults.Fixtures.THIRD_PARTY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pipelineworker.FailureType;
import dev.pipelineworker.testkit.LocalCodePipeline;
import dev.pipelineworker.testkit.emulator.JobInfo;
import dev.pipelineworker.testkit.emulator.JobSpec;
import dev.pipelineworker.testkit.emulator.JobState;
import dev.pipelineworker.testkit.emulator.RecordedResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM to a worker process ({@link SigtermWorkerMain} in a child JVM, against the emulator in this JVM) while
 * jobs run: {@link dev.pipelineworker.JobWorker#runUntilSignal()} drains the job that finishes within the grace
 * period, fails the straggler with SystemUnavailable "worker shutting down", acknowledges nothing more, and
 * returns, so the process exits with status 0.
 */
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "Process.destroy() is not SIGTERM on Windows")
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SigtermTest {

    private static final Duration GRACE = Duration.ofSeconds(3);

    @TempDir
    Path workDir;

    private LocalCodePipeline cp;
    private Process child;

    @AfterEach
    void tearDown() throws InterruptedException {
        if (child != null && child.isAlive()) {
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
        if (cp != null) {
            cp.close();
        }
    }

    @Test
    void sigtermDrainsFailsStragglersAndExitsZero() throws Exception {
        cp = Fixtures.emulator(13).start();
        JobInfo quick = cp.enqueue(JobSpec.builder(THIRD_PARTY).configuration("mode", "quick").build());
        JobInfo stuck = cp.enqueue(JobSpec.builder(THIRD_PARTY).configuration("mode", "stuck").build());

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // Output goes to a file: Process.destroy() closes the parent's end of the child's pipes at once.
        Path log = workDir.resolve("child.log");
        child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                SigtermWorkerMain.class.getName(), cp.endpoint().toString(), Long.toString(GRACE.toMillis()), "1500")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        Supplier<List<String>> output = () -> {
            try {
                return Files.readAllLines(log, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };

        try {
            await("both handlers running in the child").atMost(Duration.ofSeconds(45)).until(() -> output.get()
                    .containsAll(List.of("STARTED " + quick.jobId(), "STARTED " + stuck.jobId())));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "; child output: " + output.get(), e);
        }
        Instant signalledAt = Instant.now();
        child.destroy();
        // A job that arrives after the signal must not be claimed.
        JobInfo afterSignal = cp.enqueue(JobSpec.builder(THIRD_PARTY).configuration("mode", "quick").build());
        boolean exited = child.waitFor(GRACE.toSeconds() + 30, TimeUnit.SECONDS);
        Duration tookToExit = Duration.between(signalledAt, Instant.now());
        System.out.println("sigterm: the child exited " + tookToExit.toMillis() + " ms after SIGTERM");

        assertThat(exited).as("child exited after SIGTERM; output: " + output.get()).isTrue();
        assertThat(child.exitValue()).as("exit status; output: " + output.get()).isZero();
        assertThat(output.get()).contains("EXITING");
        assertThat(tookToExit).as("drained within the grace period, then exited")
                .isBetween(GRACE.minusMillis(200), GRACE.plusSeconds(10));
        assertThat(cp.resultsForJob(quick.jobId())).singleElement()
                .isInstanceOfSatisfying(RecordedResult.Success.class,
                        s -> assertThat(s.executionDetails().summary()).isEqualTo("drained"));
        assertThat(cp.resultsForJob(stuck.jobId())).singleElement()
                .isInstanceOfSatisfying(RecordedResult.Failure.class, f -> {
                    assertThat(f.type()).isEqualTo(FailureType.SYSTEM_UNAVAILABLE);
                    assertThat(f.message()).isEqualTo("worker shutting down");
                });
        assertThat(cp.calls().stream().filter(Fixtures::isAck).filter(c -> !c.at().isBefore(signalledAt)).toList())
                .as("acknowledgements after SIGTERM").isEmpty();
        assertThat(cp.resultsForJob(afterSignal.jobId())).isEmpty();
        assertThat(cp.job(afterSignal.jobId())).get().extracting(JobInfo::state).isNotEqualTo(JobState.InProgress);
    }
}

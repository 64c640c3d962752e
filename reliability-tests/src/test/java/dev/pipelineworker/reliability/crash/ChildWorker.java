package dev.pipelineworker.reliability.crash;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/**
 * A {@link CrashWorkerMain} in a JVM of its own, started from the test JVM's own java and class path.
 * Its output (markers and logs) is collected line by line; {@link #kill()} sends SIGKILL
 * ({@link Process#destroyForcibly()} on Linux), so no shutdown hook, finally block or flush runs.
 */
final class ChildWorker implements AutoCloseable {

    private final String name;
    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private final Thread reader;

    private ChildWorker(String name, Process process) {
        this.name = name;
        this.process = process;
        this.reader = new Thread(this::read, "child-output-" + name);
        this.reader.setDaemon(true);
        this.reader.start();
    }

    static ChildWorker start(String name, URI endpoint, Path journalDir, String clientId, String clientToken,
                             String mode) {
        return start(name, endpoint, journalDir, clientId, clientToken, mode,
                CrashWorkerMain.DEFAULT_MAX_CONCURRENT_JOBS);
    }

    static ChildWorker start(String name, URI endpoint, Path journalDir, String clientId, String clientToken,
                             String mode, int maxConcurrentJobs) {
        return start(name, endpoint, journalDir, clientId, clientToken, mode, maxConcurrentJobs, List.of("us-east-1"));
    }

    static ChildWorker start(String name, URI endpoint, Path journalDir, String clientId, String clientToken,
                             String mode, int maxConcurrentJobs, List<String> regions) {
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m",
                "-cp", System.getProperty("java.class.path"),
                CrashWorkerMain.class.getName(),
                endpoint.toString(), journalDir.toString(), clientId, clientToken, mode,
                Integer.toString(maxConcurrentJobs), String.join(",", regions));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            return new ChildWorker(name, process);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the child worker", e);
        }
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                synchronized (lines) {
                    lines.add(line);
                }
            }
        } catch (IOException ignored) {
            // The process was killed: its pipe closes.
        }
    }

    /** Every marker printed so far, without the prefix, in order. */
    List<String> marks() {
        synchronized (lines) {
            return lines.stream().filter(l -> l.startsWith(CrashWorkerMain.MARK))
                    .map(l -> l.substring(CrashWorkerMain.MARK.length())).toList();
        }
    }

    boolean hasMark(String mark) {
        return marks().contains(mark);
    }

    /** Waits until the child printed this marker; fails early if it exited, and with its output otherwise. */
    void awaitMark(String mark, Duration timeout) {
        try {
            await("child " + name + " printed '" + mark + "'").atMost(timeout).pollInterval(Duration.ofMillis(20))
                    .failFast("child " + name + " exited", () -> !process.isAlive() && !reader.isAlive() && !hasMark(mark))
                    .until(() -> hasMark(mark));
        } catch (ConditionTimeoutException | TerminalFailureException e) {
            throw new AssertionError(e.getMessage()
                    + (process.isAlive() ? "" : " (it exited with " + process.exitValue() + ")")
                    + "; its output:\n" + output(), e);
        }
    }

    /** SIGKILL, then waits until the process is gone. */
    void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new AssertionError("child " + name + " survived SIGKILL");
            }
            reader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** The exit status after {@link #kill()}: 137 (128 + SIGKILL) on Linux. */
    int exitValue() {
        return process.exitValue();
    }

    String output() {
        synchronized (lines) {
            return String.join("\n", lines);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }
}

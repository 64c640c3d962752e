package dev.pipelineworker.examples;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;

/**
 * {@code java -jar target/example-worker.jar ...} as a child process, the way a user runs it: the
 * packaged jar and its lib/ folder, a clean AWS environment (no profile, no instance metadata) plus
 * the variables a test sets. Its stdout and stderr go to files, read back for assertions.
 */
final class WorkerProcess implements AutoCloseable {

    static final Path JAR = Path.of("target", "example-worker.jar");

    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private WorkerProcess(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** Starts the jar with {@code args}; {@code env} is added to a copy of this JVM's environment without AWS_*. */
    static WorkerProcess start(Path logDirectory, String name, Map<String, String> env, String... args) {
        if (!Files.isRegularFile(JAR)) {
            throw new AssertionError(JAR + " is missing: run mvn package (or verify) first");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (Runtime.version().feature() >= 23) {
            // Netty's sun.misc.Unsafe use makes JDK 24+ print four WARNING lines to stderr (JEP 498), which the tests
            // read as the worker's log; the flag (unknown to JDK 17) keeps the access and drops the warning.
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.addAll(List.of("-jar", JAR.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(key -> key.startsWith("AWS_"));
        // Nothing from this machine's AWS setup may reach the worker under test.
        environment.put("AWS_CONFIG_FILE", logDirectory.resolve("no-aws-config").toString());
        environment.put("AWS_SHARED_CREDENTIALS_FILE", logDirectory.resolve("no-aws-credentials").toString());
        environment.put("AWS_EC2_METADATA_DISABLED", "true");
        environment.putAll(env);
        Path stdout = logDirectory.resolve(name + ".stdout");
        Path stderr = logDirectory.resolve(name + ".stderr");
        builder.redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        try {
            return new WorkerProcess(builder.start(), stdout, stderr);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Sends SIGTERM (on Unix, {@link Process#destroy()} does exactly that). */
    void sigterm() {
        process.destroy();
    }

    /** Waits for the exit status; fails the test, showing the output, if the process is still running. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the worker did not exit within " + timeout + "\n" + output());
        }
        return process.exitValue();
    }

    /** Waits until stderr has a line matching {@code regex} (the worker logs a result after CodePipeline took it). */
    String awaitStderrLine(String regex, Duration timeout) {
        return awaitLine("stderr", this::stderr, regex, timeout);
    }

    /** Waits until stdout has a line matching {@code regex} (where {@code --log-format json} writes). */
    String awaitStdoutLine(String regex, Duration timeout) {
        return awaitLine("stdout", this::stdout, regex, timeout);
    }

    private String awaitLine(String stream, Supplier<String> content, String regex, Duration timeout) {
        Pattern pattern = Pattern.compile(regex);
        try {
            return await("a " + stream + " line matching " + regex).atMost(timeout).pollInterval(Duration.ofMillis(50))
                    .until(() -> content.get().lines().filter(l -> pattern.matcher(l).find()).findFirst(),
                            Optional::isPresent)
                    .orElseThrow();
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "\n" + output(), e);
        }
    }

    String stdout() {
        return read(stdout);
    }

    String stderr() {
        return read(stderr);
    }

    /** Both streams, for assertion messages. */
    String output() {
        return "--- stdout ---\n" + stdout() + "--- stderr ---\n" + stderr();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

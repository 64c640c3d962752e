package dev.pipelineworker.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Prometheus's own {@code promtool}, from Debian's {@code prometheus} package ({@code .ci/run} installs it): its
 * {@code check metrics} parses the text format with Prometheus's parser and lints it, {@code check rules} parses
 * rule files and their PromQL. Found on the PATH, or at {@code $PROMTOOL}. The Prometheus Java client (1.x) writes
 * the text format but has no parser for it.
 */
final class Promtool {

    /** What a run printed and how it ended. */
    record Result(int exitCode, String output) {
        /** {@code check metrics}: 1 for a parse error; 3 when it parsed and the lint found problems. */
        static final int LINT_PROBLEMS = 3;

        /** The lint's findings, one a line, each starting with the metric's name. */
        List<String> lintProblems() {
            return output.lines().filter(line -> !line.isBlank()).toList();
        }
    }

    private final Path executable;

    private Promtool(Path executable) {
        this.executable = executable;
    }

    /** The promtool to run; fails, saying how to install it, when there is none. */
    static Promtool find() {
        String configured = System.getenv("PROMTOOL");
        List<Path> candidates = new ArrayList<>();
        if (configured != null && !configured.isBlank()) {
            candidates.add(Path.of(configured));
        }
        for (String directory : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!directory.isEmpty()) {
                candidates.add(Path.of(directory, "promtool"));
            }
        }
        return candidates.stream().filter(Files::isExecutable).findFirst().map(Promtool::new)
                .orElseThrow(() -> new AssertionError("promtool is needed to parse the Prometheus text format: "
                        + "apt-get install prometheus (Debian; .ci/run does it), or set PROMTOOL to its path"));
    }

    /** {@code promtool check metrics} with {@code exposition} on its stdin. */
    Result checkMetrics(String exposition) {
        return run(exposition, "check", "metrics");
    }

    /** {@code promtool check rules FILE}. */
    Result checkRules(Path rules) {
        return run("", "check", "rules", rules.toString());
    }

    private Result run(String input, String... args) {
        List<String> command = new ArrayList<>(List.of(executable.toString()));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            try (var stdin = process.getOutputStream()) {
                stdin.write(input.getBytes(StandardCharsets.UTF_8));
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("promtool did not finish in 30 s: " + command);
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + command, e);
        }
    }
}

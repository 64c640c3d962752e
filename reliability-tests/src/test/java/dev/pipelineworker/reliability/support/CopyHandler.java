package dev.pipelineworker.reliability.support;

import dev.pipelineworker.ActionConfiguration;
import dev.pipelineworker.Artifact;
import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobContext;
import dev.pipelineworker.JobFailureException;
import dev.pipelineworker.JobHandler;
import dev.pipelineworker.JobOutcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/**
 * A small real handler: it reads its configuration with the typed accessors, extracts every input
 * artifact (a zip) and writes them, merged, as the first output artifact's zip, with a
 * {@code copied.txt} listing the files. Configuration:
 * <ul>
 *   <li>{@code Target} (required string), {@code Copies} (optional int 1-5), {@code Port} (optional int):
 *       typed accessors that fail with ConfigurationError naming the key;
 *   <li>{@code Mode} (optional): how the handler misbehaves instead, see {@link Mode}.
 * </ul>
 */
public final class CopyHandler implements JobHandler {

    /** The misbehaviours the catalogue exercises. */
    public enum Mode {
        COPY, NULL_OUTCOME, STACK_OVERFLOW, IGNORE_INTERRUPT, NEVER_RETURN, LONG_FAILURE, LONG_SUMMARY,
        OUTPUT_VARIABLES, HUGE_STATE, READ_STATE, THROW_RUNTIME
    }

    /** Typed continuation state. */
    public record Progress(int step) {
    }

    /** Holds every NEVER_RETURN handler until the test lets it go. */
    public final CountDownLatch release = new CountDownLatch(1);
    /** Counts IGNORE_INTERRUPT handlers that came back, late. */
    public final CountDownLatch lateReturns = new CountDownLatch(1);

    @Override
    public JobOutcome handle(JobContext context) throws Exception {
        ActionConfiguration config = context.configuration();
        Mode mode = config.optionalEnum("Mode", Mode.class).orElse(Mode.COPY);
        String target = config.requireString("Target");
        int copies = config.optionalInt("Copies", 1, 5).orElse(1);
        config.optionalInt("Port");
        switch (mode) {
            case NULL_OUTCOME:
                return null;
            case STACK_OVERFLOW:
                return recurse(0);
            case THROW_RUNTIME:
                throw new IllegalStateException("the tool crashed while deploying to " + target);
            case IGNORE_INTERRUPT:
                sleepIgnoringInterrupts(context.remaining().plusMillis(1500));
                lateReturns.countDown();
                return JobOutcome.success("finished late");
            case NEVER_RETURN:
                while (true) {
                    try {
                        release.await();
                        return JobOutcome.success("released");
                    } catch (InterruptedException ignored) {
                        // A handler stuck in native code or a loop that never checks: interrupts change nothing.
                    }
                }
            case LONG_FAILURE:
                throw new JobFailureException(FailureType.JOB_FAILED, "f".repeat(10_000));
            case LONG_SUMMARY:
                return JobOutcome.success("s".repeat(5_000)).withExternalExecutionId("e".repeat(2_000));
            case OUTPUT_VARIABLES:
                return JobOutcome.success("done").withOutputVariables(Map.of("version", "1.2.3"));
            case HUGE_STATE:
                return JobOutcome.continueWithState(Map.of("blob", "b".repeat(3_000)));
            case READ_STATE:
                Progress progress = context.continuationState(Progress.class).orElse(new Progress(0));
                return JobOutcome.success("resumed at step " + progress.step());
            default:
                return copy(context, copies);
        }
    }

    private static JobOutcome copy(JobContext context, int copies) throws IOException {
        Path work = Files.createTempDirectory("copy-handler-");
        try {
            Path out = work.resolve("out");
            Files.createDirectories(out);
            StringBuilder listing = new StringBuilder();
            for (Artifact input : context.inputArtifacts()) {
                Path extracted = context.artifacts().extractInput(input.name(), work.resolve("in-" + input.name()));
                for (Path file : files(extracted)) {
                    Path relative = extracted.relativize(file);
                    Path copy = out.resolve(relative.toString());
                    Files.createDirectories(copy.getParent());
                    Files.copy(file, copy);
                    listing.append(relative).append('\n');
                }
            }
            Files.writeString(out.resolve("copied.txt"), listing.toString().repeat(copies));
            if (context.outputArtifacts().isEmpty()) {
                throw new JobFailureException(FailureType.CONFIGURATION_ERROR, "the action declares no output artifact");
            }
            context.artifacts().writeOutputZip(context.outputArtifacts().get(0).name(), out);
            return JobOutcome.success("copied " + listing.toString().lines().count() + " files");
        } finally {
            deleteRecursively(work);
        }
    }

    private static List<Path> files(Path directory) throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            return paths.filter(Files::isRegularFile).sorted().toList();
        }
    }

    private static JobOutcome recurse(int depth) {
        return depth < 0 ? null : recurse(depth + 1);
    }

    private static void sleepIgnoringInterrupts(Duration duration) {
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < end) {
            try {
                Thread.sleep(Math.max(1, (end - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException ignored) {
                // deliberately ignored
            }
        }
    }

    private static void deleteRecursively(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}

package dev.pipelineworker.examples.readme;

import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobContext;
import dev.pipelineworker.JobHandler;
import dev.pipelineworker.JobOutcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Counts the lines of the input's files ending in Suffix (default .java) and writes the count. */
public final class LineCountHandler implements JobHandler {

    @Override
    public JobOutcome handle(JobContext ctx) throws IOException {
        String suffix = ctx.configuration().optionalString("Suffix").orElse(".java");
        if (ctx.inputArtifacts().size() != 1 || ctx.outputArtifacts().size() != 1) {
            return JobOutcome.fail(FailureType.CONFIGURATION_ERROR, "LineCount needs one input and one output artifact");
        }
        // This job's own directory, deleted by the worker after the result is reported.
        Path work = ctx.scratchDirectory();
        // Downloaded with this job's credentials, unzipped safely (no path traversal, size limits).
        Path source = ctx.artifacts().extractInput(ctx.inputArtifacts().get(0).name(), work.resolve("in"));
        long lines = 0;
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.filter(f -> f.toString().endsWith(suffix)).toList()) {
                try (Stream<String> fileLines = Files.lines(file)) {
                    lines += fileLines.count();
                }
            }
        }
        Path out = Files.createDirectories(work.resolve("out"));
        Files.writeString(out.resolve("line-count.txt"), lines + "\n");
        // Zipped and uploaded SSE-KMS with the pipeline's key.
        ctx.artifacts().writeOutputZip(ctx.outputArtifacts().get(0).name(), out);
        return JobOutcome.success(lines + " lines in *" + suffix + " files");
    }
}

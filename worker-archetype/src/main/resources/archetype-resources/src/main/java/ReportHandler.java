package ${package};

import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobContext;
import dev.pipelineworker.JobHandler;
import dev.pipelineworker.JobOutcome;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The action's work: lists the files of its one input artifact, with their sizes, in report.txt, and writes that as
 * its one output artifact. The action configuration's Title (optional) heads the report.
 */
public final class ReportHandler implements JobHandler {

    @Override
    public JobOutcome handle(JobContext ctx) throws IOException {
        if (ctx.inputArtifacts().size() != 1 || ctx.outputArtifacts().size() != 1) {
            return JobOutcome.fail(FailureType.CONFIGURATION_ERROR, "Report needs one input and one output artifact");
        }
        String title = ctx.configuration().optionalString("Title").orElse("Files");
        // Downloaded with this job's credentials into its own directory, which the worker deletes afterwards.
        Path input = ctx.artifacts().extractInput(ctx.inputArtifacts().get(0).name(),
                ctx.scratchDirectory().resolve("in"));
        List<String> lines = new ArrayList<>(List.of(title));
        try (Stream<Path> files = Files.walk(input)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                String name = input.relativize(file).toString().replace(File.separatorChar, '/');
                lines.add(name + " " + Files.size(file) + " bytes");
            }
        }
        Path output = Files.createDirectories(ctx.scratchDirectory().resolve("out"));
        Files.writeString(output.resolve("report.txt"), String.join("\n", lines) + "\n");
        // Zipped and uploaded with the pipeline's KMS key.
        ctx.artifacts().writeOutputZip(ctx.outputArtifacts().get(0).name(), output);
        return JobOutcome.success((lines.size() - 1) + " files in the report");
    }
}

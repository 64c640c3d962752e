package dev.pipelineworker.examples;

import dev.pipelineworker.examples.cli.DemoCommand;
import dev.pipelineworker.examples.cli.DoctorCommand;
import dev.pipelineworker.examples.cli.RegistrationCommand;
import dev.pipelineworker.examples.cli.RunCommand;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The example worker's command line, {@code java -jar examples/target/example-worker.jar <command>}:
 * <ul>
 *   <li>{@code demo}: the manifest action end to end on a local CodePipeline and a local S3, in this process;
 *   <li>{@code run}: a real worker for the manifest action, configured the standard AWS way;
 *   <li>{@code registration}: the manifest action's registration file, generated from its declaration;
 *   <li>{@code doctor}: the preflight of the worker {@code run} would start; exit 1 when a check fails.
 * </ul>
 * Exit status: 0 when the command did its work (for {@code run}: it drained its jobs after SIGTERM or
 * Ctrl-C), 1 when it failed, 2 for a usage error.
 */
@Command(name = "example-worker",
        description = "The pipeline-worker example worker, serving the \"manifest\" action (ManifestHandler).",
        subcommands = {DemoCommand.class, RunCommand.class, RegistrationCommand.class, DoctorCommand.class,
                CommandLine.HelpCommand.class},
        mixinStandardHelpOptions = true,
        versionProvider = ExampleWorker.Version.class,
        footer = {"", "Run 'example-worker <command> --help' for a command's options and their defaults."})
public final class ExampleWorker implements Runnable {

    /** Exit status for a usage error: an unknown command or flag, or a flag value that cannot work. */
    public static final int USAGE = 2;

    @Spec
    private CommandSpec spec;

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with the example worker's error handling: usage errors exit 2 with one clear message. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new ExampleWorker());
        commandLine.setParameterExceptionHandler(ExampleWorker::usageError);
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            PrintWriter err = cmd.getErr();
            err.println("error: " + e);
            boolean noRegion = String.valueOf(e.getMessage()).contains("Unable to load region");
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                err.println("  caused by: " + cause);
                noRegion |= String.valueOf(cause.getMessage()).contains("Unable to load region");
            }
            if (noRegion) {
                err.println("Set AWS_REGION (or a region in the AWS profile) to the pipeline's region, or name the "
                        + "regions to serve with --regions.");
            }
            err.flush();
            return 1;
        });
        return commandLine;
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing command: demo, run, registration or doctor");
    }

    private static int usageError(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("error: " + e.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        err.println("Run '" + cmd.getCommandSpec().qualifiedName() + " --help' for the options and their defaults.");
        err.flush();
        return USAGE;
    }

    /** The version from the jar's manifest, when there is one. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = ExampleWorker.class.getPackage().getImplementationVersion();
            return new String[] {"pipeline-worker example worker " + (version == null ? "(development build)" : version)};
        }
    }
}

package dev.pipelineworker.examples.cli;

import dev.pipelineworker.examples.demo.Demo;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code demo}: the manifest action end to end, on local services in this process. */
@Command(name = "demo",
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Runs the manifest action end to end without AWS: starts a local CodePipeline (the testkit's emulator, "
                    + "continuation delay 1 s) and a local S3 (S3Mock, path-style, one valid KMS key) in this process, "
                    + "uploads sample input artifacts, enqueues six jobs (one input, two inputs, an Include glob, a "
                    + "WaitSeconds continuation, a configuration error and a FailWith), half of them in us-east-1 and "
                    + "half in eu-west-1, serves both regions with one real JobWorker and S3 artifact store, and "
                    + "prints how each ended: its region, outcome, summary, output manifest and the output's SSE-KMS "
                    + "key.",
            "",
            "Exits 0 when every action ended as expected, 1 otherwise. The worker's log lines go to stderr, the "
                    + "report to stdout. It takes about 10 seconds.",
            ""})
public final class DemoCommand implements Callable<Integer> {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Shows this help and exits.")
    boolean help;

    @Override
    public Integer call() throws Exception {
        return Demo.run(System.out);
    }
}

package dev.pipelineworker.examples.cli;

import dev.pipelineworker.JobWorker;
import dev.pipelineworker.PreflightReport;
import dev.pipelineworker.s3.S3ArtifactStoreFactory;
import java.io.PrintWriter;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * {@code doctor}: the worker {@code run} would start, checked without polling ({@link JobWorker#preflight()}), its
 * report printed; exit status 1 when a check fails.
 */
@Command(name = "doctor",
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Checks, without taking a job, that the worker 'run' would start with these flags can serve: the caller's "
                    + "identity, the region, the action type's registration against the manifest action's "
                    + "declaration, the job timeout against the executor's, the client tokens, the journal "
                    + "directory and the clock. Prints one line per check with the fix for each warning or failure; "
                    + "exits 1 when a check fails, 0 otherwise. Takes the flags of 'run'.",
            ""},
        footer = {
            "",
            "Examples:",
            "  example-worker doctor --client-tokens tokens.json --journal-dir /data/journal",
            "  example-worker doctor --client-tokens tokens.json --endpoint-url http://127.0.0.1:4599"})
public final class DoctorCommand extends RunCommand {

    @Option(names = "--endpoint-url", paramLabel = "URL",
            description = "The CodePipeline and STS endpoint, for example a LocalCodePipeline. Default: the "
                    + "standard configuration (AWS_ENDPOINT_URL_CODEPIPELINE, AWS_ENDPOINT_URL_STS).")
    URI endpointUrl;

    @Override
    public Integer call() {
        Settings settings = settings();
        List<SdkClient> clients = new ArrayList<>();
        try (S3ArtifactStoreFactory artifactStores = S3ArtifactStoreFactory.builder().build()) {
            JobWorker.Builder builder = builder(settings, artifactStores);
            if (endpointUrl != null) {
                builder.codePipelineClients(region -> owned(clients, CodePipelineClient.builder().region(region)
                        .endpointOverride(endpointUrl).build()));
                builder.stsClients(region -> owned(clients, StsClient.builder().region(region)
                        .endpointOverride(endpointUrl).build()));
            }
            PreflightReport report;
            try (JobWorker worker = builder.build()) {
                report = worker.preflight();
            }
            PrintWriter out = spec.commandLine().getOut();
            out.print(report.render());
            out.flush();
            return report.passed() ? 0 : 1;
        } finally {
            clients.forEach(SdkClient::close);
        }
    }

    private static <C extends SdkClient> C owned(List<SdkClient> clients, C client) {
        clients.add(client);
        return client;
    }
}

package dev.pipelineworker.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.JobQueue;
import dev.pipelineworker.JobWorker;
import dev.pipelineworker.examples.ExampleWorker;
import dev.pipelineworker.examples.logging.LogFormat;
import dev.pipelineworker.s3.S3ArtifactStoreFactory;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;
import software.amazon.awssdk.regions.Region;

/** The command line in this JVM: help, defaults, and usage errors (exit 2) that never start a worker. */
class CommandLineTest {

    @TempDir
    Path temp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int execute(String... args) {
        CommandLine commandLine = ExampleWorker.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    private RunCommand.Settings settings(String... runArgs) {
        CommandLine commandLine = ExampleWorker.commandLine();
        String[] args = new String[runArgs.length + 1];
        args[0] = "run";
        System.arraycopy(runArgs, 0, args, 1, runArgs.length);
        RunCommand run = commandLine.parseArgs(args).subcommand().commandSpec().commandLine().getCommand();
        return run.settings();
    }

    private Path tokens(String json) throws IOException {
        return Files.writeString(temp.resolve("tokens.json"), json);
    }

    @Test
    void helpListsTheCommands() {
        assertThat(execute("--help")).isZero();
        assertThat(out.toString()).contains("demo", "run", "Usage: example-worker");
    }

    @Test
    void runHelpShowsEveryFlagWithItsDefault() {
        assertThat(execute("run", "--help")).isZero();

        assertThat(out.toString().replaceAll("\\s+", " ")).contains(
                "--category=CATEGORY", "Default: Build.",
                "--provider=NAME", "Default: Manifest.",
                "--version=VERSION[,VERSION...]", "several, comma-separated (1,2)", "Default: 1.",
                "--regions=REGION[,REGION...]", "one queue per region and version",
                "Default: the one region of the SDK's chain (AWS_REGION, the profile)",
                "--owner=OWNER", "Default: ThirdParty.",
                "--concurrency=N", "the builder's, 8",
                "--client-tokens=FILE",
                "--s3-path-style",
                "--journal-dir=DIR",
                "--job-timeout=SECONDS", "55 min",
                "--shutdown-grace=SECONDS", "the builder's, 30",
                "--metrics-port=PORT", "/metrics", "/health/ready", "/health/live", "0 picks a free port", "Default: off.",
                "--log-format=FORMAT", "json: one JSON object per line on stdout", "Default: text.",
                "AWS_ENDPOINT_URL_CODEPIPELINE", "AWS_ENDPOINT_URL_S3");
    }

    @Test
    void demoHelpSaysWhatItDoes() {
        assertThat(execute("demo", "--help")).isZero();
        assertThat(out.toString().replaceAll("\\s+", " ")).contains("local CodePipeline", "S3Mock", "Exits 0");
    }

    @Test
    void noCommandIsAUsageError() {
        assertThat(execute()).isEqualTo(2);
        assertThat(err.toString()).contains("error: missing command: demo, run, registration or doctor",
                "Run 'example-worker --help'");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "run --bogus                     | Unknown option: '--bogus'",
        "rnu                             | Unmatched argument at index 0: 'rnu'",
        "run --owner AWS                 | unknown action owner 'AWS'; expected ThirdParty or Custom",
        "run --category Bild             | unknown action category 'Bild'",
        "run --provider Man.ifest        | actionTypeId.provider must be 1-35 characters of [0-9A-Za-z_-]",
        "run --version 1234567890        | actionTypeId.version must be 1-9 characters",
        "run --owner Custom --concurrency 0        | --concurrency must be at least 1, got 0",
        "run --owner Custom --concurrency many     | Invalid value for option '--concurrency'",
        "run --owner Custom --job-timeout 0        | --job-timeout must be at least 1 second",
        "run --owner Custom --shutdown-grace -1    | --shutdown-grace must not be negative",
        "run                             | a ThirdParty action type needs --client-tokens FILE",
        "run --client-tokens /nonexistent/tokens.json | --client-tokens /nonexistent/tokens.json cannot be read",
        "run --owner Custom --client-tokens t.json | --client-tokens applies to ThirdParty action types only",
        "run --owner Custom --version 1,1234567890 | actionTypeId.version must be 1-9 characters",
        "run --owner Custom --version 1,2,1        | versions: version 1 is named twice",
        "run --owner Custom --version=,            | --version must name at least one version",
        "run --owner Custom --regions us-east-x    | regions: 'us-east-x' is not a region name (such as us-east-1",
        "run --owner Custom --regions EU-WEST-1    | regions: 'EU-WEST-1' is not a region name",
        "run --owner Custom --regions eu-west-1,us-east-1,eu-west-1 | regions: region eu-west-1 is named twice",
        "run --owner Custom --metrics-port 65536   | --metrics-port must be 0-65535 (0: a free port), got 65536",
        "run --owner Custom --metrics-port -1      | --metrics-port must be 0-65535",
        "run --owner Custom --metrics-port http    | Invalid value for option '--metrics-port'",
        "run --owner Custom --log-format xml       | --log-format: unknown log format 'xml'; expected text or json",
    })
    void badFlagsExitTwoWithOneClearMessage(String args, String message) {
        assertThat(execute(args.trim().split(" +"))).isEqualTo(ExampleWorker.USAGE);

        String error = err.toString();
        assertThat(error).startsWith("error: ").contains(message).contains("--help' for the options");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void anEmptyRegionIsAUsageError() {
        assertThat(execute("run", "--owner", "Custom", "--regions", "")).isEqualTo(ExampleWorker.USAGE);

        assertThat(err.toString()).startsWith("error: regions: '' is not a region name");
    }

    @Test
    void anEmptyRegionListIsAUsageError() {
        assertThat(execute("run", "--owner", "Custom", "--regions=,")).isEqualTo(ExampleWorker.USAGE);

        assertThat(err.toString()).startsWith("error: regions must name at least one region");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "{\"client\": \"secret-token-1\",         | is not valid JSON",
        "[\"secret-token-1\"]                     | must hold a JSON object",
        "{}                                       | must hold a JSON object",
        "{\"client\": 42, \"other\": \"secret-token-1\"} | the clientToken of 'client' must be a string",
        "{\"client\": \"\"}                       | the clientToken of 'client' must be a string",
    })
    void aBadClientTokensFileIsAUsageErrorThatShowsNoToken(String json, String message) throws IOException {
        Path file = tokens(json.trim());

        assertThat(execute("run", "--client-tokens", file.toString())).isEqualTo(2);

        assertThat(err.toString()).contains(message).doesNotContain("secret-token-1");
    }

    @Test
    void theDefaultsServeTheThirdPartyManifestActionWithTheBuildersSettings() throws IOException {
        Path file = tokens("{\"5f0c8a7e-3b1d-4c2e-9f6a-0d4b7e1c2a39\": \"token-a\", \"other-client\": \"token-b\"}");

        RunCommand.Settings settings = settings("--client-tokens", file.toString());

        assertThat(settings.actionType()).isEqualTo(ActionTypeId.thirdParty(ActionCategory.BUILD, "Manifest", "1"));
        assertThat(settings.versions()).containsExactly("1");
        assertThat(settings.regions()).as("the SDK's region chain decides").isEmpty();
        assertThat(settings.clientTokens()).isEqualTo(Map.of(
                "5f0c8a7e-3b1d-4c2e-9f6a-0d4b7e1c2a39", "token-a", "other-client", "token-b"));
        assertThat(settings.concurrency()).isNull();
        assertThat(settings.journalDir()).isNull();
        assertThat(settings.jobTimeout()).isNull();
        assertThat(settings.shutdownGrace()).isNull();
        assertThat(settings.s3PathStyle()).isFalse();
        assertThat(settings.metricsPort()).as("no endpoints").isNull();
        assertThat(settings.logFormat()).isEqualTo(LogFormat.TEXT);
        assertThat(settings.toString()).doesNotContain("token-a");
    }

    @Test
    void everyFlagReachesTheSettings() {
        RunCommand.Settings settings = settings("--owner", "custom", "--category", "deploy", "--provider", "MyTool",
                "--version", "2", "--concurrency", "3", "--s3-path-style", "--journal-dir", "/var/lib/worker",
                "--job-timeout", "600", "--shutdown-grace", "45", "--metrics-port", "9404", "--log-format", "JSON");

        assertThat(settings.actionType()).isEqualTo(ActionTypeId.custom(ActionCategory.DEPLOY, "MyTool", "2"));
        assertThat(settings.clientTokens()).isEmpty();
        assertThat(settings.concurrency()).isEqualTo(3);
        assertThat(settings.s3PathStyle()).isTrue();
        assertThat(settings.journalDir()).isEqualTo(Path.of("/var/lib/worker"));
        assertThat(settings.jobTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(settings.shutdownGrace()).isEqualTo(Duration.ofSeconds(45));
        assertThat(settings.metricsPort()).isEqualTo(9404);
        assertThat(settings.logFormat()).isEqualTo(LogFormat.JSON);
    }

    @Test
    void severalRegionsAndVersionsMakeOneQueueForEachPair() {
        RunCommand.Settings settings = settings("--owner", "Custom", "--regions",
                "us-east-1,eu-west-1,ap-southeast-2", "--version", "1,2", "--journal-dir", temp.toString());

        assertThat(settings.actionType()).isEqualTo(ActionTypeId.custom(ActionCategory.BUILD, "Manifest", "1"));
        assertThat(settings.versions()).containsExactly("1", "2");
        assertThat(settings.regions()).containsExactly("us-east-1", "eu-west-1", "ap-southeast-2");
        try (S3ArtifactStoreFactory stores = S3ArtifactStoreFactory.builder().region(Region.US_EAST_1).build();
             JobWorker worker = RunCommand.worker(settings, stores)) {
            assertThat(worker.queues()).extracting(JobQueue::id).containsExactly(
                    "Custom/Build/Manifest/1@us-east-1", "Custom/Build/Manifest/2@us-east-1",
                    "Custom/Build/Manifest/1@eu-west-1", "Custom/Build/Manifest/2@eu-west-1",
                    "Custom/Build/Manifest/1@ap-southeast-2", "Custom/Build/Manifest/2@ap-southeast-2");
        }
    }

    @Test
    void aRepeatedRegionsFlagAddsRegions() {
        RunCommand.Settings settings = settings("--owner", "Custom", "--regions", "us-east-1", "--regions",
                "eu-west-1,eu-central-1");

        assertThat(settings.regions()).containsExactly("us-east-1", "eu-west-1", "eu-central-1");
    }
}

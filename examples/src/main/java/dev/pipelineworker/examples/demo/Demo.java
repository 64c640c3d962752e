package dev.pipelineworker.examples.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.Artifact;
import dev.pipelineworker.Backoff;
import dev.pipelineworker.ClientTokenProvider;
import dev.pipelineworker.EncryptionKey;
import dev.pipelineworker.JobWorker;
import dev.pipelineworker.OutcomeJournal;
import dev.pipelineworker.S3Location;
import dev.pipelineworker.examples.ManifestHandler;
import dev.pipelineworker.s3.S3ArtifactStoreFactory;
import dev.pipelineworker.testkit.LocalCodePipeline;
import dev.pipelineworker.testkit.Zips;
import dev.pipelineworker.testkit.emulator.JobInfo;
import dev.pipelineworker.testkit.emulator.JobSpec;
import dev.pipelineworker.testkit.emulator.RecordedCall;
import dev.pipelineworker.testkit.emulator.RecordedResult;
import dev.pipelineworker.testkit.s3.LocalS3;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.slf4j.bridge.SLF4JBridgeHandler;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * The {@code demo} command: a local CodePipeline ({@link LocalCodePipeline}) and a local S3
 * ({@link LocalS3}) in this process, a handful of manifest jobs enqueued in two regions, and the real
 * {@link JobWorker} with the real S3 artifact store serving both regions as it would serve AWS. Prints a
 * report of how each action ended and in which region, and returns 0 when every one ended as expected
 * with all its CodePipeline calls signed for its own region.
 */
public final class Demo {

    /** The action type the demo's jobs have, the same the {@code run} command serves by default. */
    public static final ActionTypeId ACTION_TYPE = ActionTypeId.thirdParty(ActionCategory.BUILD, "Manifest", "1");

    static final String BUCKET = "demo-artifacts";
    /** The pipeline's KMS key (the example key id from the AWS documentation). */
    static final String KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab";
    static final String KEY_ARN = "arn:aws:kms:us-east-1:111122223333:key/" + KEY_ID;
    static final String CLIENT_ID = "5f0c8a7e-3b1d-4c2e-9f6a-0d4b7e1c2a39";
    static final String CLIENT_TOKEN = "demo-client-token";
    static final String PIPELINE = "demo-pipeline";
    /** The regions the worker serves; the emulator tells them apart by each call's SigV4 scope. */
    static final List<Region> REGIONS = List.of(Region.US_EAST_1, Region.EU_WEST_1);
    /** Short, so that the continuation example takes seconds; CodePipeline waits about 30 s. */
    static final Duration CONTINUATION_DELAY = Duration.ofSeconds(1);
    private static final Duration TIME_LIMIT = Duration.ofSeconds(60);
    private static final int MANIFEST_LINES = 4;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One action of the demo pipelines, the region its pipeline is in, and how it should end: "Succeeded" or a failure type. */
    record DemoAction(String name, Region region, String explanation, Map<String, String> configuration,
                      List<String> inputs, String expected) {
    }

    static final List<DemoAction> ACTIONS = List.of(
            new DemoAction("OneInput", Region.US_EAST_1, "one input artifact: its files at the root, plus manifest.json",
                    Map.of(), List.of("source"), "Succeeded"),
            new DemoAction("TwoInputs", Region.EU_WEST_1, "two input artifacts: each in a folder named after it",
                    Map.of(), List.of("source", "config"), "Succeeded"),
            new DemoAction("IncludeGlob", Region.US_EAST_1, "an Include glob keeps only the matching files",
                    Map.of("Include", "**.java"), List.of("source"), "Succeeded"),
            new DemoAction("WaitForIt", Region.EU_WEST_1,
                    "WaitSeconds: the job continues (a continuation token) until the wait is over",
                    Map.of("WaitSeconds", "2"), List.of("source"), "Succeeded"),
            new DemoAction("BadConfig", Region.US_EAST_1,
                    "an invalid configuration value fails the job as ConfigurationError",
                    Map.of("WaitSeconds", "abc"), List.of("source"), "ConfigurationError"),
            new DemoAction("FailWith", Region.EU_WEST_1, "the handler fails the job with the failure type asked for",
                    Map.of("FailWith", "PermissionError"), List.of("source"), "PermissionError"));

    private static final Map<String, Map<String, String>> INPUTS = Map.of(
            "source", textFiles(
                    "README.md", "# hello-service\nThe service the demo pipeline builds.\n",
                    "src/Main.java", "public class Main {\n    public static void main(String[] args) {\n"
                            + "        System.out.println(Greeting.text());\n    }\n}\n",
                    "src/text/Greeting.java", "final class Greeting {\n    static String text() {\n"
                            + "        return \"hello\";\n    }\n}\n",
                    "build.sh", "#!/bin/sh\njavac -d out $(find src -name '*.java')\n"),
            "config", textFiles(
                    "app.properties", "greeting=hello\nport=8080\n",
                    "logging.properties", ".level=INFO\n"));
    private static final Map<String, String> REVISIONS = Map.of("source", "3f2c9e1", "config", "a81d0b4");

    private final PrintStream out;

    private Demo(PrintStream out) {
        this.out = out;
    }

    /** Runs the demo, printing its report on {@code out}; 0 when every action ended as expected, else 1. */
    public static int run(PrintStream out) throws InterruptedException {
        return new Demo(out).run();
    }

    /**
     * Keeps S3Mock's Tomcat and its dependencies out of the demo's output (LocalS3 already keeps Spring Boot away
     * from the application's logging): Tomcat's java.util.logging goes through SLF4J to logback (which shows their
     * errors only), and commons-logging (the AWS SDK's Apache HTTP client brings it) does not discover Spring's
     * replacement and warn about it.
     */
    private static synchronized void quietSpringBoot() {
        System.setProperty("org.apache.commons.logging.LogFactory", "org.apache.commons.logging.impl.LogFactoryImpl");
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
    }

    private int run() throws InterruptedException {
        long started = System.nanoTime();
        out.println("pipeline-worker demo: a local CodePipeline and a local S3 in this process, the real worker serving them");
        quietSpringBoot();
        try (LocalS3 s3 = LocalS3.start(BUCKET, KEY_ARN);
             S3Client s3Client = s3.newClient();
             LocalCodePipeline codePipeline = LocalCodePipeline.builder()
                     .client(CLIENT_ID, CLIENT_TOKEN)
                     .actionType(ACTION_TYPE)
                     .continuationDelay(CONTINUATION_DELAY)
                     .build()
                     .start();
             RegionalClients codePipelineClients = new RegionalClients(codePipeline);
             S3ArtifactStoreFactory artifactStores = S3ArtifactStoreFactory.builder()
                     .endpointOverride(s3.endpoint())
                     .forcePathStyle(true)
                     .build()) {
            out.printf("  CodePipeline  %s (emulator; one endpoint for %s, told apart by each call's signature; "
                    + "a continuation job follows after %d s)%n", codePipeline.endpoint(), regionNames(),
                    CONTINUATION_DELAY.toSeconds());
            out.printf("  S3            %s (S3Mock for every region; bucket %s, KMS key %s)%n", s3.endpoint(), BUCKET,
                    KEY_ID);
            out.printf("  worker        %s in %s (one queue each), client id %s%n%n", ACTION_TYPE, regionNames(),
                    CLIENT_ID);
            out.flush();

            uploadInputs(s3Client);
            List<JobInfo> jobs = new ArrayList<>();
            for (DemoAction action : ACTIONS) {
                jobs.add(codePipeline.enqueue(spec(action)));
            }

            // The worker exactly as `run --regions us-east-1,eu-west-1` builds it, except that its clients point at
            // the local services, it polls more eagerly when idle, and it keeps no outcome journal.
            JobWorker worker = JobWorker.builder(ACTION_TYPE, new ManifestHandler())
                    .regions(REGIONS.toArray(Region[]::new))
                    .codePipelineClients(codePipelineClients::of)
                    .clientTokens(ClientTokenProvider.fromMap(Map.of(CLIENT_ID, CLIENT_TOKEN)))
                    .artifactStoreFactory(artifactStores)
                    .maxConcurrentJobs(4)
                    .build();
            List<RecordedResult> finals = new ArrayList<>();
            try {
                worker.start();
                long deadline = System.nanoTime() + TIME_LIMIT.toNanos();
                for (JobInfo job : jobs) {
                    Duration left = Duration.ofNanos(Math.max(deadline - System.nanoTime(), 0));
                    finals.add(codePipeline.awaitFinalResult(job.actionExecutionId(), left));
                }
            } finally {
                worker.close();
            }

            int unexpected = 0;
            for (int i = 0; i < ACTIONS.size(); i++) {
                unexpected += report(i + 1, ACTIONS.get(i), jobs.get(i), finals.get(i), codePipeline, s3Client) ? 0 : 1;
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            if (unexpected == 0) {
                out.printf(Locale.ROOT, "All %d actions ended as expected (%.1f s).%n", ACTIONS.size(), seconds);
                out.println("Next: java -jar examples/target/example-worker.jar run --help, and the README's "
                        + "\"Run against AWS\".");
                return 0;
            }
            out.printf(Locale.ROOT, "%d of %d actions did not end as expected (%.1f s).%n", unexpected,
                    ACTIONS.size(), seconds);
            return 1;
        }
    }

    private static JobSpec spec(DemoAction action) {
        JobSpec.Builder spec = JobSpec.builder(ACTION_TYPE)
                .clientId(CLIENT_ID)
                .pipelineName(PIPELINE)
                .stageName("Build")
                .actionName(action.name())
                .region(action.region().id())
                .configuration(action.configuration())
                .encryptionKey(EncryptionKey.kms(KEY_ID))
                .outputArtifact("out", BUCKET, PIPELINE + "/out/" + action.name() + ".zip");
        for (String input : action.inputs()) {
            spec.inputArtifact(Artifact.of(input, S3Location.of(BUCKET, inputKey(input)))
                    .withRevision(REVISIONS.get(input)));
        }
        return spec.build();
    }

    private static String inputKey(String input) {
        return PIPELINE + "/" + input + "/" + REVISIONS.get(input) + ".zip";
    }

    private static void uploadInputs(S3Client s3) {
        INPUTS.forEach((name, files) -> s3.putObject(b -> b.bucket(BUCKET).key(inputKey(name)),
                RequestBody.fromBytes(Zips.zipTexts(files))));
    }

    /** Prints one action's part of the report; true when it ended as expected, served in its own region. */
    private boolean report(int number, DemoAction action, JobInfo first, RecordedResult result,
                           LocalCodePipeline codePipeline, S3Client s3) {
        String outcome = result instanceof RecordedResult.Failure f ? f.type().apiName()
                : result instanceof RecordedResult.TimedOut ? "TimedOut" : "Succeeded";
        boolean asExpected = outcome.equals(action.expected());
        out.printf("%d. %s: %s%n", number, action.name(), action.explanation());
        // Every call about the action's jobs (the continuations too) must have been signed for its region.
        List<RecordedCall> calls = codePipeline.jobsForAction(first.actionExecutionId()).stream()
                .flatMap(job -> codePipeline.callsForJob(job.jobId()).stream()).toList();
        long inOwnRegion = calls.stream().filter(call -> call.region().equals(first.region())).count();
        boolean inRegion = !calls.isEmpty() && inOwnRegion == calls.size();
        row("region", first.region() + " (" + inOwnRegion + " of its " + calls.size()
                + " CodePipeline calls signed for it)");
        row("configuration", action.configuration().isEmpty() ? "(none)"
                : action.configuration().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining(", ")));
        row("inputs", action.inputs().stream().map(i -> i + "@" + REVISIONS.get(i)).collect(Collectors.joining(", ")));
        List<RecordedResult> results = codePipeline.resultsForAction(first.actionExecutionId());
        if (results.size() > 1) {
            String waited = results.get(0) instanceof RecordedResult.Success s && s.executionDetails() != null
                    ? s.executionDetails().summary() : "";
            row("jobs", results.size() + ": " + (results.size() - 1) + " continued (\"" + waited + "\"), the last one ended the action");
        }
        if (result instanceof RecordedResult.Success s) {
            String summary = s.executionDetails() == null ? "" : s.executionDetails().summary();
            String external = s.executionDetails() == null ? null : s.executionDetails().externalExecutionId();
            row("result", "Succeeded: " + summary + (external == null ? "" : " (external id " + external + ")"));
            reportOutput(first.spec().outputArtifacts().get(0), s3);
        } else if (result instanceof RecordedResult.Failure f) {
            row("result", "Failed, " + f.type().apiName() + ": " + f.message());
        } else {
            row("result", "TimedOut: no result within the job timeout");
        }
        if (!asExpected) {
            row("UNEXPECTED", "expected " + action.expected() + ", got " + outcome);
        }
        if (!inRegion) {
            row("UNEXPECTED", "expected every call in " + first.region() + ", got " + inOwnRegion + " of "
                    + calls.size());
        }
        out.println();
        return asExpected && inRegion;
    }

    private void reportOutput(Artifact output, S3Client s3) {
        S3Location location = output.location();
        HeadObjectResponse head = s3.headObject(b -> b.bucket(location.bucketName()).key(location.objectKey()));
        row("output", "s3://" + location.bucketName() + "/" + location.objectKey() + " (" + head.contentLength()
                + " bytes)");
        row("encryption", head.serverSideEncryptionAsString() + ", KMS key " + head.ssekmsKeyId());
        byte[] zip = s3.getObjectAsBytes(b -> b.bucket(location.bucketName()).key(location.objectKey())).asByteArray();
        JsonNode files = readManifest(zip).path("files");
        String label = "manifest.json";
        for (int i = 0; i < files.size() && i < MANIFEST_LINES; i++) {
            JsonNode file = files.get(i);
            String revision = file.path("revision").isNull() ? "" : "@" + file.path("revision").asText();
            row(label, String.format(Locale.ROOT, "%-26s %4d bytes  sha256 %s…  from %s%s", file.path("path").asText(),
                    file.path("size").asLong(), file.path("sha256").asText().substring(0, 12),
                    file.path("artifact").asText(), revision));
            label = "";
        }
        if (files.size() > MANIFEST_LINES) {
            row("", "(" + (files.size() - MANIFEST_LINES) + " more)");
        }
    }

    private static String regionNames() {
        return REGIONS.stream().map(Region::id).collect(Collectors.joining(" and "));
    }

    /** A CodePipeline client for each region the demo serves, all on the local endpoint; closes them. */
    private static final class RegionalClients implements AutoCloseable {
        private final Map<Region, CodePipelineClient> clients = new LinkedHashMap<>();

        RegionalClients(LocalCodePipeline codePipeline) {
            for (Region region : REGIONS) {
                clients.put(region, CodePipelineClient.builder()
                        .endpointOverride(codePipeline.endpoint())
                        .region(region)
                        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local",
                                "local")))
                        .build());
            }
        }

        CodePipelineClient of(Region region) {
            return clients.get(region);
        }

        @Override
        public void close() {
            clients.values().forEach(CodePipelineClient::close);
        }
    }

    private void row(String label, String value) {
        out.printf("   %-14s %s%n", label, value);
    }

    private static JsonNode readManifest(byte[] zip) {
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                if (entry.getName().equals("manifest.json")) {
                    return JSON.readTree(in.readAllBytes());
                }
            }
            throw new IllegalStateException("the output artifact holds no manifest.json");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> textFiles(String... pathsAndContents) {
        Map<String, String> files = new LinkedHashMap<>();
        for (int i = 0; i < pathsAndContents.length; i += 2) {
            files.put(pathsAndContents[i], pathsAndContents[i + 1]);
        }
        return files;
    }
}

package dev.pipelineworker.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.Artifact;
import dev.pipelineworker.EncryptionKey;
import dev.pipelineworker.FailureType;
import dev.pipelineworker.S3Location;
import dev.pipelineworker.testkit.LocalCodePipeline;
import dev.pipelineworker.testkit.Zips;
import dev.pipelineworker.testkit.emulator.JobInfo;
import dev.pipelineworker.testkit.emulator.JobSpec;
import dev.pipelineworker.testkit.emulator.Operation;
import dev.pipelineworker.testkit.emulator.RecordedResult;
import dev.pipelineworker.testkit.s3.LocalS3;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * The packaged worker, {@code java -jar target/example-worker.jar run ...}, as a child process against
 * a local CodePipeline and S3Mock in this JVM, configured only the standard AWS way (environment
 * variables) plus its flags. One third-party worker serves the first jobs and is then stopped while
 * idle; a custom-action worker is stopped while a job runs and must drain it; a third serves two regions and two
 * versions, the emulator telling the regions apart by each call's signature as regional endpoints would; a fourth
 * serves its metrics and health endpoints and logs JSON lines.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExampleWorkerIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration RESULT_TIMEOUT = Duration.ofSeconds(60);
    private static final String BUCKET = "it-artifacts";
    private static final String KEY_ID = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
    private static final String KEY_ARN = "arn:aws:kms:us-east-1:111122223333:key/" + KEY_ID;
    private static final String CLIENT_ID = "1d6e6f0a-7b8c-4d9e-8f00-112233445566";
    private static final String CLIENT_TOKEN = "it-client-token-never-logged";
    private static final ActionTypeId THIRD_PARTY = ActionTypeId.thirdParty(ActionCategory.BUILD, "Manifest", "1");
    private static final ActionTypeId CUSTOM = ActionTypeId.custom(ActionCategory.BUILD, "Manifest", "1");
    /** Registered only once the observed worker has failed to poll for it, so that it starts out not ready. */
    private static final ActionTypeId OBSERVED = ActionTypeId.custom(ActionCategory.BUILD, "Observed", "1");
    private static final Map<String, String> OBSERVED_QUEUE_LABELS = Map.of("action_owner", "Custom",
            "action_category", "Build", "action_provider", "Observed", "action_version", "1", "region", "us-east-1");
    private static final String SECRET_ACCESS_KEY = "example-worker-it-secret";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    static Path temp;

    private static LocalS3 s3;
    private static S3Client s3Client;
    private static LocalCodePipeline codePipeline;
    private static WorkerProcess thirdPartyWorker;
    private static JobInfo twoInputs;
    private static JobInfo waiting;
    private static JobInfo badConfig;
    private static JobInfo failWith;
    private static WorkerProcess observedWorker;
    private static URI observedEndpoints;
    private static JobInfo observedJob;

    @BeforeAll
    static void start() throws IOException {
        s3 = LocalS3.start(BUCKET, KEY_ARN);
        s3Client = s3.newClient();
        codePipeline = LocalCodePipeline.builder()
                .client(CLIENT_ID, CLIENT_TOKEN)
                .actionType(THIRD_PARTY)
                .actionType(CUSTOM)
                .continuationDelay(Duration.ofMillis(500))
                .build()
                .start();
        upload("inputs/source.zip", Zips.zipTexts(new TreeMap<>(Map.of("a.txt", "alpha", "src/b.md", "beta"))));
        upload("inputs/config.zip", Zips.zipTexts(new TreeMap<>(Map.of("c.txt", "gamma"))));

        // Enqueued before the worker starts, so its first polls find them at once.
        twoInputs = codePipeline.enqueue(job(THIRD_PARTY, "TwoInputs", Map.of(), "source", "config"));
        waiting = codePipeline.enqueue(job(THIRD_PARTY, "Wait", Map.of("WaitSeconds", "1"), "source"));
        badConfig = codePipeline.enqueue(job(THIRD_PARTY, "BadConfig", Map.of("WaitSeconds", "abc"), "source"));
        failWith = codePipeline.enqueue(job(THIRD_PARTY, "FailWith", Map.of("FailWith", "RevisionOutOfSync"), "source"));

        Path tokens = Files.writeString(temp.resolve("client-tokens.json"),
                JSON.writeValueAsString(Map.of(CLIENT_ID, CLIENT_TOKEN)));
        thirdPartyWorker = WorkerProcess.start(temp, "third-party", awsEnvironment(),
                "run", "--s3-path-style", "--client-tokens", tokens.toString(),
                "--journal-dir", temp.resolve("journal-third-party").toString(), "--concurrency", "2");
    }

    @AfterAll
    static void stop() {
        if (thirdPartyWorker != null) {
            thirdPartyWorker.close();
        }
        if (observedWorker != null) {
            observedWorker.close();
        }
        if (codePipeline != null) {
            codePipeline.close();
        }
        if (s3Client != null) {
            s3Client.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    @Test
    @Order(1)
    void writesTheOutputZipWithItsManifestEncryptedWithTheJobsKmsKey() throws Exception {
        RecordedResult result = awaitFinal(thirdPartyWorker, twoInputs);

        assertThat(result).as(thirdPartyWorker.output()).isInstanceOf(RecordedResult.Success.class);
        RecordedResult.Success success = (RecordedResult.Success) result;
        assertThat(success.executionDetails().summary()).isEqualTo("3 files, 14 bytes");
        assertThat(success.executionDetails().externalExecutionId()).isEqualTo("manifest-" + twoInputs.actionExecutionId());

        S3Location output = twoInputs.spec().outputArtifacts().get(0).location();
        Map<String, String> files = Zips.unzipTexts(s3Client.getObjectAsBytes(b -> b.bucket(BUCKET).key(output.objectKey()))
                .asByteArray(), "output");
        assertThat(files).containsOnlyKeys("source/a.txt", "source/src/b.md", "config/c.txt", "manifest.json")
                .containsEntry("config/c.txt", "gamma");
        JsonNode manifest = JSON.readTree(files.get("manifest.json"));
        assertThat(manifest.path("files").findValuesAsText("path"))
                .containsExactly("config/c.txt", "source/a.txt", "source/src/b.md");
        assertThat(manifest.path("files").get(1).path("revision").asText()).isEqualTo("rev-source");

        HeadObjectResponse head = s3Client.headObject(b -> b.bucket(BUCKET).key(output.objectKey()));
        assertThat(head.serverSideEncryption()).isEqualTo(ServerSideEncryption.AWS_KMS);
        assertThat(head.ssekmsKeyId()).isEqualTo(KEY_ID);

        // One log line per reported job, ending with the job's MDC: pipeline/stage/action and the execution.
        thirdPartyWorker.awaitStderrLine("INFO  job \\S+ reported: success: 3 files, 14 bytes "
                + "\\(\\d+ ms to report\\) \\[it-pipeline/Build/TwoInputs execution " + twoInputs.actionExecutionId()
                + "] in us-east-1$",
                Duration.ofSeconds(10));
    }

    @Test
    @Order(2)
    void continuesUntilTheWaitIsOver() {
        RecordedResult result = awaitFinal(thirdPartyWorker, waiting);

        assertThat(result).as(thirdPartyWorker.output()).isInstanceOf(RecordedResult.Success.class);
        List<RecordedResult> chain = codePipeline.resultsForAction(waiting.actionExecutionId());
        assertThat(chain).hasSizeGreaterThanOrEqualTo(2);
        assertThat(((RecordedResult.Success) chain.get(0)).continuationToken()).isNotNull();
        assertThat(codePipeline.jobsForAction(waiting.actionExecutionId())).hasSize(chain.size());
        assertThat(((RecordedResult.Success) result).executionDetails().summary()).isEqualTo("2 files, 9 bytes");
        S3Location output = waiting.spec().outputArtifacts().get(0).location();
        assertThat(Zips.unzipTexts(s3Client.getObjectAsBytes(b -> b.bucket(BUCKET).key(output.objectKey())).asByteArray(), "output"))
                .containsOnlyKeys("a.txt", "src/b.md", "manifest.json");
    }

    @Test
    @Order(3)
    void reportsConfigurationErrorsAndRequestedFailures() {
        RecordedResult bad = awaitFinal(thirdPartyWorker, badConfig);
        RecordedResult failed = awaitFinal(thirdPartyWorker, failWith);

        assertThat(bad).isInstanceOfSatisfying(RecordedResult.Failure.class, f -> {
            assertThat(f.type()).isEqualTo(FailureType.CONFIGURATION_ERROR);
            assertThat(f.message()).contains("'WaitSeconds'");
        });
        assertThat(failed).isInstanceOfSatisfying(RecordedResult.Failure.class,
                f -> assertThat(f.type()).isEqualTo(FailureType.REVISION_OUT_OF_SYNC));
        assertThat(thirdPartyWorker.output()).doesNotContain(CLIENT_TOKEN);
    }

    @Test
    @Order(4)
    void anIdleWorkerExitsZeroOnSigtermAndLeavesAnEmptyJournal() throws Exception {
        assertThat(thirdPartyWorker.isAlive()).as(thirdPartyWorker.output()).isTrue();

        thirdPartyWorker.sigterm();

        assertThat(thirdPartyWorker.awaitExit(Duration.ofSeconds(30))).as(thirdPartyWorker.output()).isZero();
        assertThat(thirdPartyWorker.stderr()).contains("received SIGTERM", "worker stopped");
        Path journal = temp.resolve("journal-third-party");
        assertThat(journal).isDirectory();
        try (Stream<Path> entries = Files.walk(journal)) {
            assertThat(entries.filter(p -> p.toString().endsWith(".job")).toList())
                    .as("every outcome was accepted, so no journal entry is left").isEmpty();
        }
        assertThat(codePipeline.results()).allMatch(r -> !(r instanceof RecordedResult.TimedOut));
    }

    @Test
    @Order(5)
    void sigtermWhileAJobRunsLetsItFinishAndReportsItThenExitsZero() throws Exception {
        // WorkSeconds keeps the job inside the handler for 3 s, long after the signal has arrived.
        JobInfo slow = codePipeline.enqueue(job(CUSTOM, "Slow", Map.of("WorkSeconds", "3"), "source"));
        try (WorkerProcess customWorker = WorkerProcess.start(temp, "custom", awsEnvironment(),
                "run", "--owner", "Custom", "--s3-path-style",
                "--journal-dir", temp.resolve("journal-custom").toString())) {
            try {
                codePipeline.awaitCall(call -> call.is(Operation.ACKNOWLEDGE_JOB) && call.succeeded()
                        && call.requestBody().contains(slow.jobId()), RESULT_TIMEOUT);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\n" + customWorker.output(), e);
            }
            assertThat(codePipeline.resultsForJob(slow.jobId())).as("still running").isEmpty();
            Instant signalled = Instant.now();

            customWorker.sigterm();

            assertThat(customWorker.awaitExit(Duration.ofSeconds(40))).as(customWorker.output()).isZero();
            RecordedResult result = codePipeline.awaitFinalResult(slow.actionExecutionId(), Duration.ofSeconds(1));
            assertThat(result).as(customWorker.output()).isInstanceOf(RecordedResult.Success.class);
            assertThat(result.at()).as("reported after the signal: the job was in flight").isAfter(signalled);
            assertThat(customWorker.stderr()).contains("received SIGTERM", "worker shutting down: 1 jobs in flight",
                    "worker stopped");
            S3Location output = slow.spec().outputArtifacts().get(0).location();
            assertThat(s3Client.headObject(b -> b.bucket(BUCKET).key(output.objectKey())).ssekmsKeyId())
                    .isEqualTo(KEY_ID);
        }
    }

    @Test
    @Order(6)
    void oneWorkerServesTwoRegionsAndTwoVersionsEachJobThroughItsOwnRegion() throws Exception {
        ActionTypeId version2 = ActionTypeId.custom(ActionCategory.BUILD, "Manifest", "2");
        codePipeline.registerActionType(version2);
        JobInfo east = codePipeline.enqueue(job(CUSTOM, "East", Map.of(), "source").withRegion("us-east-1"));
        JobInfo west = codePipeline.enqueue(job(version2, "West", Map.of(), "config").withRegion("eu-west-1"));
        Map<String, String> environment = new HashMap<>(awsEnvironment());
        // The flag decides: a worker that served the chain's region instead would find no job at all.
        environment.put("AWS_REGION", "ca-central-1");

        try (WorkerProcess worker = WorkerProcess.start(temp, "regions", environment,
                "run", "--owner", "Custom", "--s3-path-style", "--regions", "us-east-1,eu-west-1", "--version", "1,2",
                "--journal-dir", temp.resolve("journal-regions").toString())) {
            for (JobInfo job : List.of(east, west)) {
                RecordedResult result = awaitFinal(worker, job);

                assertThat(result).as(worker.output()).isInstanceOf(RecordedResult.Success.class);
                assertThat(result.region()).isEqualTo(job.region());
                assertThat(codePipeline.callsForJob(job.jobId())).as("the calls about job %s", job.jobId())
                        .isNotEmpty().allSatisfy(call -> assertThat(call.region()).isEqualTo(job.region()));
                S3Location output = job.spec().outputArtifacts().get(0).location();
                assertThat(s3Client.headObject(b -> b.bucket(BUCKET).key(output.objectKey())).ssekmsKeyId())
                        .isEqualTo(KEY_ID);
            }
            worker.awaitStderrLine("INFO  job \\S+ reported: success: .* \\[it-pipeline/Build/West execution "
                    + west.actionExecutionId() + "] in eu-west-1$", Duration.ofSeconds(10));
            assertThat(worker.stderr().lines().filter(line -> line.contains("INFO  worker serves ")))
                    .extracting(line -> line.substring(line.indexOf("worker serves ")))
                    .containsExactly("worker serves Custom/Build/Manifest/1@us-east-1",
                            "worker serves Custom/Build/Manifest/2@us-east-1",
                            "worker serves Custom/Build/Manifest/1@eu-west-1",
                            "worker serves Custom/Build/Manifest/2@eu-west-1");
            assertThat(worker.stderr()).contains("serving 4 queue(s) with ManifestHandler",
                    "worker started: 4 queue(s)");
            assertThat(codePipeline.callsInRegion("ca-central-1")).isEmpty();

            worker.sigterm();

            assertThat(worker.awaitExit(Duration.ofSeconds(30))).as(worker.output()).isZero();
        }
    }

    @Test
    @Order(7)
    void withoutARegionItExitsOneAndSaysWhereToSetOne() throws Exception {
        Map<String, String> environment = new HashMap<>(awsEnvironment());
        environment.remove("AWS_REGION");

        try (WorkerProcess worker = WorkerProcess.start(temp, "no-region", environment, "run", "--owner", "Custom",
                "--journal-dir", temp.resolve("journal-no-region").toString())) {
            assertThat(worker.awaitExit(Duration.ofSeconds(30))).as(worker.output()).isEqualTo(1);
            assertThat(worker.stderr()).contains("error: java.lang.IllegalStateException: no AWS region to serve",
                    "Set AWS_REGION (or a region in the AWS profile)", "--regions");
        }
    }

    @Test
    @Order(8)
    void healthIsLiveAtOnceAndReadyOnlyAfterTheFirstSuccessfulPoll() throws Exception {
        // OBSERVED is not registered yet: every poll fails with ActionTypeNotFoundException until it is.
        observedWorker = WorkerProcess.start(temp, "observed", awsEnvironment(),
                "run", "--owner", "Custom", "--provider", "Observed", "--s3-path-style",
                "--journal-dir", temp.resolve("journal-observed").toString(), "--metrics-port", "0",
                "--log-format", "json");
        Matcher port = Pattern.compile("metrics and health on port (\\d+)")
                .matcher(observedWorker.awaitStdoutLine("metrics and health on port \\d+", Duration.ofSeconds(30)));
        assertThat(port.find()).isTrue();
        observedEndpoints = URI.create("http://127.0.0.1:" + port.group(1));

        assertThat(probe("/health/live").status()).as(observedWorker.output()).isEqualTo(200);
        assertThat(probe("/health/ready").status()).isEqualTo(503);

        Probe failing = await("a failed poll in the health snapshot").atMost(RESULT_TIMEOUT)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> probe("/health/ready"), p -> p.body().path("queues").path(0).path("consecutiveFailures")
                        .asInt() > 0);
        assertThat(failing.status()).isEqualTo(503);
        assertThat(failing.body().path("state").asText()).isEqualTo("starting");
        assertThat(failing.body().path("ready").asBoolean()).isFalse();
        JsonNode queue = failing.body().path("queues").path(0);
        assertThat(queue.path("queue").asText()).isEqualTo("Custom/Build/Observed/1@us-east-1");
        assertThat(queue.path("lastFailure").asText()).isEqualTo("action_type_not_found");
        assertThat(queue.path("lastSuccessfulPoll").isNull()).isTrue();
        assertThat(probe("/health/live").status()).as("live while AWS says no").isEqualTo(200);

        codePipeline.registerActionType(OBSERVED);

        Probe ready = await("ready after a successful poll").atMost(RESULT_TIMEOUT).pollInterval(Duration.ofMillis(100))
                .until(() -> probe("/health/ready"), p -> p.status() == 200);
        assertThat(ready.body().path("state").asText()).isEqualTo("ready");
        assertThat(ready.body().path("queues").path(0).path("consecutiveFailures").asInt()).isZero();
        assertThat(Instant.parse(ready.body().path("queues").path(0).path("lastSuccessfulPoll").asText()))
                .isBefore(Instant.now().plusSeconds(1));
        assertThat(ready.body().path("slotsFree").asInt()).isEqualTo(8);
        assertThat(probe("/health/live").status()).isEqualTo(200);
    }

    @Test
    @Order(9)
    void metricsParseWithPrometheusOwnParserAndCountTheJobInItsQueue() throws Exception {
        Promtool promtool = Promtool.find();
        observedJob = codePipeline.enqueue(job(OBSERVED, "Observed", Map.of(), "source"));
        assertThat(awaitFinal(observedWorker, observedJob)).isInstanceOf(RecordedResult.Success.class);
        Map<String, String> success = labels(OBSERVED_QUEUE_LABELS, "outcome", "success", "failure_type", "none");
        // The listener hears of the accepted result just after CodePipeline recorded it.
        await("the job counted").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> value(PrometheusSamples.of(get("/metrics").body()), "pipeline_worker_jobs_completed_total",
                        success), v -> v == 1.0);

        HttpResponse<String> response = get("/metrics");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");
        String exposition = response.body();
        Promtool.Result check = promtool.checkMetrics(exposition);
        // 0: parsed and linted clean; 3: parsed, with lint findings, which may only be about the JVM's meters.
        assertThat(check.exitCode()).as(check.output()).isIn(0, Promtool.Result.LINT_PROBLEMS);
        assertThat(check.lintProblems()).as("promtool's lint of the worker's meters")
                .noneMatch(problem -> problem.startsWith("pipeline_worker"));
        List<PrometheusSamples.Sample> samples = PrometheusSamples.of(exposition);
        assertThat(value(samples, "pipeline_worker_jobs_completed_total", success)).isEqualTo(1.0);
        assertThat(value(samples, "pipeline_worker_jobs_received_total", OBSERVED_QUEUE_LABELS)).isEqualTo(1.0);
        assertThat(value(samples, "pipeline_worker_jobs_claimed_total", OBSERVED_QUEUE_LABELS)).isEqualTo(1.0);
        assertThat(value(samples, "pipeline_worker_handler_duration_seconds_count", success)).isEqualTo(1.0);
        assertThat(value(samples, "pipeline_worker_report_duration_seconds_count", OBSERVED_QUEUE_LABELS)).isEqualTo(1.0);
        assertThat(value(samples, "pipeline_worker_job_duration_seconds_count", OBSERVED_QUEUE_LABELS)).isEqualTo(1.0);
        assertThat(value(samples, "pipeline_worker_polls_total", labels(OBSERVED_QUEUE_LABELS, "result", "jobs")))
                .isGreaterThanOrEqualTo(1.0);
        assertThat(value(samples, "pipeline_worker_polls_total", labels(OBSERVED_QUEUE_LABELS, "result", "error")))
                .as("the polls before the action type was registered").isGreaterThanOrEqualTo(1.0);
        assertThat(value(samples, "pipeline_worker_poll_consecutive_failures", OBSERVED_QUEUE_LABELS)).isZero();
        assertThat(value(samples, "pipeline_worker_state", Map.of("state", "ready"))).isEqualTo(1.0);
        assertThat(value(samples, "pipeline_worker_slots_free", Map.of())).isEqualTo(8.0);
        assertThat(samples).extracting(PrometheusSamples.Sample::name).contains("jvm_memory_used_bytes",
                "jvm_threads_live_threads", "process_uptime_seconds");
        assertThat(exposition).doesNotContain(observedJob.jobId(), SECRET_ACCESS_KEY);

        // The README's alerts: Prometheus accepts the rules, and every series they read is one the worker serves.
        Path rules = Path.of("prometheus", "alerts.yml");
        Promtool.Result rulesCheck = promtool.checkRules(rules);
        assertThat(rulesCheck.exitCode()).as(rulesCheck.output()).isZero();
        Set<String> served = samples.stream().map(PrometheusSamples.Sample::name).collect(Collectors.toSet());
        Matcher names = Pattern.compile("pipeline_worker_[a-z_]+").matcher(Files.readString(rules));
        List<String> used = names.results().map(r -> r.group()).distinct().toList();
        assertThat(used).hasSizeGreaterThanOrEqualTo(5);
        assertThat(served).containsAll(used);
    }

    @Test
    @Order(10)
    void jsonLogsAreOneObjectALineOnStdoutAndAJobsLinesCarryItsMdc() throws Exception {
        observedWorker.awaitStdoutLine("\"message\":\"job \\S+ reported: success", Duration.ofSeconds(10));

        observedWorker.sigterm();

        assertThat(observedWorker.awaitExit(Duration.ofSeconds(30))).as(observedWorker.output()).isZero();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : observedWorker.stdout().lines().toList()) {
            try {
                lines.add(JSON.readTree(line));
            } catch (IOException e) {
                throw new AssertionError("a stdout line that is not JSON: " + line + "\n" + observedWorker.output(), e);
            }
        }
        assertThat(lines).hasSizeGreaterThan(5).allSatisfy(line -> {
            assertThat(line.isObject()).isTrue();
            assertThat(Instant.parse(line.path("timestamp").asText())).isAfter(Instant.now().minusSeconds(600));
            assertThat(line.path("level").asText()).isIn("DEBUG", "INFO", "WARN", "ERROR");
            assertThat(line.path("logger").asText()).isNotEmpty();
            assertThat(line.path("thread").asText()).isNotEmpty();
            assertThat(line.path("message").asText()).isNotEmpty();
        });
        JsonNode reported = lines.stream().filter(line -> line.path("message").asText()
                .startsWith("job " + observedJob.jobId() + " reported: success")).findFirst()
                .orElseThrow(() -> new AssertionError("no report line for " + observedJob.jobId()));
        assertThat(reported.path("jobId").asText()).isEqualTo(observedJob.jobId());
        assertThat(reported.path("pipeline").asText()).isEqualTo("it-pipeline");
        assertThat(reported.path("stage").asText()).isEqualTo("Build");
        assertThat(reported.path("action").asText()).isEqualTo("Observed");
        assertThat(reported.path("actionExecutionId").asText()).isEqualTo(observedJob.actionExecutionId());
        assertThat(reported.path("region").asText()).isEqualTo("us-east-1");
        assertThat(lines).extracting(line -> line.path("message").asText())
                .contains("received SIGTERM", "worker stopped")
                .anyMatch(message -> message.startsWith("poll of Custom/Build/Observed/1@us-east-1 failed"));
        assertThat(observedWorker.stderr().lines()).as("no log line goes to stderr, in either format")
                .noneMatch(line -> line.startsWith("{") || line.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} [A-Z]+ .*"));
        assertThat(observedWorker.output()).doesNotContain(SECRET_ACCESS_KEY);
    }

    /** A health probe's answer: its status and JSON body. */
    private record Probe(int status, JsonNode body) {
    }

    private static Probe probe(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = get(path);
        return new Probe(response.statusCode(), JSON.readTree(response.body()));
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(observedEndpoints.resolve(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, String> labels(Map<String, String> base, String... more) {
        Map<String, String> labels = new TreeMap<>(base);
        for (int i = 0; i < more.length; i += 2) {
            labels.put(more[i], more[i + 1]);
        }
        return labels;
    }

    /** The value of the one sample with this name and exactly these labels. */
    private static double value(List<PrometheusSamples.Sample> samples, String name, Map<String, String> labels) {
        List<PrometheusSamples.Sample> matching = samples.stream()
                .filter(s -> s.name().equals(name) && s.labels().equals(new TreeMap<>(labels))).toList();
        assertThat(matching).as("samples %s%s", name, labels).hasSize(1);
        return matching.get(0).value();
    }

    /** What a worker gets in production: standard AWS variables, here pointing at the local services. */
    private static Map<String, String> awsEnvironment() {
        return Map.of(
                "AWS_ENDPOINT_URL_CODEPIPELINE", codePipeline.endpoint().toString(),
                "AWS_ENDPOINT_URL_S3", s3.endpoint().toString(),
                "AWS_REGION", "us-east-1",
                "AWS_ACCESS_KEY_ID", "AKIAEXAMPLEWORKERIT",
                "AWS_SECRET_ACCESS_KEY", SECRET_ACCESS_KEY);
    }

    private static JobSpec job(ActionTypeId type, String action, Map<String, String> configuration, String... inputs) {
        JobSpec.Builder spec = JobSpec.builder(type)
                .pipelineName("it-pipeline")
                .stageName("Build")
                .actionName(action)
                .configuration(configuration)
                .encryptionKey(EncryptionKey.kms(KEY_ID))
                .outputArtifact("out", BUCKET, "outputs/" + action + ".zip");
        if (type.equals(THIRD_PARTY)) {
            spec.clientId(CLIENT_ID);
        }
        for (String input : inputs) {
            spec.inputArtifact(Artifact.of(input, S3Location.of(BUCKET, "inputs/" + input + ".zip"))
                    .withRevision("rev-" + input));
        }
        return spec.build();
    }

    /** The action execution's final result; fails early, with the worker's output, if the worker died. */
    private static RecordedResult awaitFinal(WorkerProcess worker, JobInfo job) {
        try {
            await("a final result for action execution " + job.actionExecutionId()).atMost(RESULT_TIMEOUT)
                    .pollInterval(Duration.ofMillis(50))
                    .failFast("the worker exited", () -> !worker.isAlive() && finalResult(job).isEmpty())
                    .until(() -> finalResult(job).isPresent());
        } catch (ConditionTimeoutException | TerminalFailureException e) {
            throw new AssertionError(e.getMessage() + "; results: "
                    + codePipeline.resultsForAction(job.actionExecutionId()) + "\n" + worker.output(), e);
        }
        return finalResult(job).orElseThrow();
    }

    private static Optional<RecordedResult> finalResult(JobInfo job) {
        return codePipeline.resultsForAction(job.actionExecutionId()).stream().filter(RecordedResult::isFinal)
                .findFirst();
    }

    private static void upload(String key, byte[] content) {
        s3Client.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(content));
    }
}

package dev.pipelineworker.examples.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionOwner;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.ClientTokenProvider;
import dev.pipelineworker.JobWorker;
import dev.pipelineworker.OutcomeJournal;
import dev.pipelineworker.examples.ManifestHandler;
import dev.pipelineworker.examples.logging.LogFormat;
import dev.pipelineworker.examples.ops.OperationsServer;
import dev.pipelineworker.examples.ops.PrometheusMetrics;
import dev.pipelineworker.s3.S3ArtifactStoreFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code run}: a real worker for the manifest action. Everything about AWS comes from the standard
 * configuration (credentials and region chains, {@code AWS_ENDPOINT_URL_CODEPIPELINE},
 * {@code AWS_ENDPOINT_URL_S3}, {@code AWS_RETRY_MODE}); the flags say which action type to serve and how.
 */
@Command(name = "run",
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Runs a job worker for the manifest action (ManifestHandler) until SIGTERM or Ctrl-C, then lets "
                    + "running jobs finish, reports them and exits 0. Category, owner, provider and version must "
                    + "match the action type registered in CodePipeline exactly.",
            ""},
        footer = {
            "",
            "AWS configuration is the SDK's own: credentials from the default chain (environment, profile, web "
                    + "identity, container or instance role), region from AWS_REGION or the profile unless --regions "
                    + "names them, endpoints from AWS_ENDPOINT_URL_CODEPIPELINE and AWS_ENDPOINT_URL_S3 (or "
                    + "AWS_ENDPOINT_URL) when set, for every region. Each job's calls go to its own region, and its "
                    + "artifacts are read and written there with the job's own credentials, not these.",
            "",
            "Examples:",
            "  example-worker run --client-tokens tokens.json --journal-dir /data/journal",
            "  example-worker run --client-tokens tokens.json --version 1,2 \\",
            "      --regions us-east-1,eu-west-1,ap-southeast-2",
            "  example-worker run --client-tokens tokens.json --metrics-port 9404 --log-format json"})
public class RunCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--category", paramLabel = "CATEGORY", defaultValue = "Build",
            description = "The action type's category: Source, Build, Deploy, Test, Invoke, Approval or Compute. "
                    + "Default: ${DEFAULT-VALUE}.")
    String category;

    @Option(names = "--provider", paramLabel = "NAME", defaultValue = "Manifest",
            description = "The action type's provider, 1-35 of [0-9A-Za-z_-]. Default: ${DEFAULT-VALUE}.")
    String provider;

    @Option(names = "--version", paramLabel = "VERSION", defaultValue = "1", split = ",",
            description = "The action type's version, 1-9 of [0-9A-Za-z_-]; several, comma-separated (1,2), are "
                    + "all served with the same handler, for example while pipelines move from one version to the "
                    + "next. Default: ${DEFAULT-VALUE}.")
    List<String> versions;

    @Option(names = "--owner", paramLabel = "OWNER", defaultValue = "ThirdParty",
            description = "ThirdParty (the *ThirdPartyJob* calls, with client tokens) or Custom (the *Job* calls). "
                    + "Default: ${DEFAULT-VALUE}.")
    String owner;

    @Option(names = "--regions", paramLabel = "REGION", split = ",",
            description = "The regions to serve the action in, comma-separated (us-east-1,eu-west-1): one queue per "
                    + "region and version, all sharing --concurrency, each polled and backed off on its own. Every "
                    + "region must have the action type registered. Default: the one region of the SDK's chain "
                    + "(AWS_REGION, the profile).")
    List<String> regions;

    @Option(names = "--concurrency", paramLabel = "N",
            description = "How many jobs run at once; polls ask for at most the free slots. Default: the "
                    + "builder's, 8.")
    Integer concurrency;

    @Option(names = "--client-tokens", paramLabel = "FILE",
            description = "A JSON object mapping each clientId to its clientToken, {\"<clientId>\": \"<clientToken>\"}. "
                    + "Required for ThirdParty; keep the file private.")
    Path clientTokens;

    @Option(names = "--s3-path-style",
            description = "Path-style S3 addressing (host/bucket/key), for S3-compatible stores. Default: off.")
    boolean s3PathStyle;

    @Option(names = "--journal-dir", paramLabel = "DIR",
            description = "Where finished outcomes wait until CodePipeline accepted them, so a crash loses none; "
                    + "put it on a persistent volume. Default: the builder's, "
                    + "<java.io.tmpdir>/pipeline-worker/journal/<action type>.")
    Path journalDir;

    @Option(names = "--job-timeout", paramLabel = "SECONDS",
            description = "How long a job may run before it is failed as timed out. Default: the builder's, "
                    + "55 min for ThirdParty, 23 h 55 min for Custom.")
    Long jobTimeoutSeconds;

    @Option(names = "--shutdown-grace", paramLabel = "SECONDS",
            description = "How long running jobs may take to finish after SIGTERM. Default: the builder's, 30.")
    Long shutdownGraceSeconds;

    @Option(names = "--metrics-port", paramLabel = "PORT",
            description = "Serves, on this port of every interface, Prometheus metrics at /metrics (the worker's "
                    + "pipeline_worker_* meters and the JVM's) and the probes /health/ready (200 once a poll "
                    + "succeeded and until the drain begins, else 503) and /health/live (200 until the worker has "
                    + "stopped; never dependent on AWS), with the health snapshot as JSON. 0 picks a free port and "
                    + "logs it. Default: off.")
    Integer metricsPort;

    @Option(names = "--log-format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text: one readable line per event on stderr; json: one JSON object per line on stdout "
                    + "(timestamp, level, logger, thread, message and the job's MDC keys as fields). "
                    + "Default: ${DEFAULT-VALUE}.")
    String logFormat;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Shows this help and exits.")
    boolean help;

    @Spec
    CommandSpec spec;

    /**
     * What the flags ask for, checked: {@code actionType} has the first of {@code versions}; {@code regions} is
     * empty for the one region of the SDK's chain.
     */
    record Settings(ActionTypeId actionType, List<String> versions, List<String> regions,
                    Map<String, String> clientTokens, Integer concurrency, boolean s3PathStyle, Path journalDir,
                    Duration jobTimeout, Duration shutdownGrace, Integer metricsPort, LogFormat logFormat) {

        Settings {
            versions = List.copyOf(versions);
            regions = List.copyOf(regions);
        }

        @Override
        public String toString() { // never the tokens
            return "Settings[actionType=" + actionType + ", versions=" + versions + ", regions=" + regions
                    + ", clients=" + clientTokens.size() + ", concurrency=" + concurrency + ", s3PathStyle="
                    + s3PathStyle + ", journalDir=" + journalDir + ", jobTimeout=" + jobTimeout + ", shutdownGrace="
                    + shutdownGrace + ", metricsPort=" + metricsPort + ", logFormat=" + logFormat + "]";
        }
    }

    @Override
    public Integer call() throws Exception {
        Settings settings = settings();
        settings.logFormat().apply(); // before the first log line
        S3ArtifactStoreFactory.Builder s3 = S3ArtifactStoreFactory.builder();
        if (settings.s3PathStyle()) {
            s3 = s3.forcePathStyle(true);
        }
        // Closed in reverse order: the endpoints, the worker (runUntilSignal has stopped it), the metrics, the stores.
        try (S3ArtifactStoreFactory artifactStores = s3.build();
             PrometheusMetrics metrics = settings.metricsPort() == null ? null : new PrometheusMetrics();
             JobWorker worker = (metrics == null ? builder(settings, artifactStores)
                     : metrics.instrument(builder(settings, artifactStores))).build();
             OperationsServer endpoints = metrics == null ? null : serve(settings.metricsPort(), worker, metrics)) {
            if (endpoints != null) {
                LOG.info("metrics and health on port {}: /metrics, /health/ready, /health/live", endpoints.port());
            }
            LOG.info("serving {} queue(s) with ManifestHandler{}{}; stop with SIGTERM or Ctrl-C",
                    worker.queues().size(), settings.actionType().owner() == ActionOwner.THIRD_PARTY
                            ? ", " + settings.clientTokens().size() + " client(s)" : "",
                    settings.journalDir() == null ? "" : ", outcome journal in " + settings.journalDir());
            worker.runUntilSignal();
        }
        return 0;
    }

    /** Binds the worker's gauges and serves the endpoints before the worker starts, so liveness answers at once. */
    private static OperationsServer serve(int port, JobWorker worker, PrometheusMetrics metrics) {
        metrics.bindTo(worker);
        try {
            return OperationsServer.start(port, worker::health, metrics::scrape);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serve --metrics-port " + port + ": " + e.getMessage(), e);
        }
    }

    /** The worker these settings describe, not yet started. */
    static JobWorker worker(Settings settings, S3ArtifactStoreFactory artifactStores) {
        return builder(settings, artifactStores).build();
    }

    /** A builder of the worker these settings describe. */
    static JobWorker.Builder builder(Settings settings, S3ArtifactStoreFactory artifactStores) {
        JobWorker.Builder builder = queues(settings.actionType(), settings.versions(), settings.regions())
                .artifactStoreFactory(artifactStores);
        if (settings.actionType().owner() == ActionOwner.THIRD_PARTY) {
            builder.clientTokens(ClientTokenProvider.fromMap(settings.clientTokens()));
        }
        if (settings.concurrency() != null) {
            builder.maxConcurrentJobs(settings.concurrency());
        }
        if (settings.journalDir() != null) {
            builder.outcomeJournal(OutcomeJournal.inDirectory(settings.journalDir()));
        }
        if (settings.jobTimeout() != null) {
            builder.jobTimeout(settings.jobTimeout());
        }
        if (settings.shutdownGrace() != null) {
            builder.shutdownGrace(settings.shutdownGrace());
        }
        return builder;
    }

    /** A builder for the manifest handler with the versions and regions set; the builder checks them. */
    private static JobWorker.Builder queues(ActionTypeId actionType, List<String> versions, List<String> regions) {
        JobWorker.Builder builder = JobWorker.builder(ManifestHandler.actionType(actionType), new ManifestHandler())
                .versions(versions.toArray(String[]::new));
        if (!regions.isEmpty()) {
            builder.regions(regions.toArray(String[]::new));
        }
        return builder;
    }

    /** Checks the flags together; a {@link ParameterException} (exit 2) names what is wrong. */
    Settings settings() {
        if (versions.isEmpty()) { // --version=,
            throw usage("--version must name at least one version");
        }
        ActionTypeId actionType;
        try {
            actionType = new ActionTypeId(ActionCategory.fromApiName(category), ActionOwner.fromApiName(owner),
                    provider, versions.get(0));
            JobWorker.Builder check = queues(actionType, versions, List.of());
            if (regions != null) { // even empty (--regions=,): the builder says what is wrong
                check.regions(regions.toArray(String[]::new));
            }
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        if (concurrency != null && concurrency < 1) {
            throw usage("--concurrency must be at least 1, got " + concurrency);
        }
        if (jobTimeoutSeconds != null && jobTimeoutSeconds < 1) {
            throw usage("--job-timeout must be at least 1 second, got " + jobTimeoutSeconds);
        }
        if (shutdownGraceSeconds != null && shutdownGraceSeconds < 0) {
            throw usage("--shutdown-grace must not be negative, got " + shutdownGraceSeconds);
        }
        if (metricsPort != null && (metricsPort < 0 || metricsPort > 65535)) {
            throw usage("--metrics-port must be 0-65535 (0: a free port), got " + metricsPort);
        }
        LogFormat format;
        try {
            format = LogFormat.of(logFormat);
        } catch (IllegalArgumentException e) {
            throw usage("--log-format: " + e.getMessage());
        }
        Map<String, String> tokens = Map.of();
        if (actionType.owner() == ActionOwner.THIRD_PARTY) {
            if (clientTokens == null) {
                throw usage("a ThirdParty action type needs --client-tokens FILE: the clientId to clientToken "
                        + "mapping registered for the action type");
            }
            tokens = readClientTokens(clientTokens);
        } else if (clientTokens != null) {
            throw usage("--client-tokens applies to ThirdParty action types only; Custom jobs need no client token");
        }
        return new Settings(actionType, versions, regions == null ? List.of() : regions, tokens, concurrency,
                s3PathStyle, journalDir,
                jobTimeoutSeconds == null ? null : Duration.ofSeconds(jobTimeoutSeconds),
                shutdownGraceSeconds == null ? null : Duration.ofSeconds(shutdownGraceSeconds), metricsPort, format);
    }

    // Error messages name the file and the clientId at most: never a token, never the file's content.
    private Map<String, String> readClientTokens(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(file));
        } catch (JsonProcessingException e) {
            throw usage("--client-tokens " + file + " is not valid JSON (line " + e.getLocation().getLineNr() + ")");
        } catch (IOException e) {
            throw usage("--client-tokens " + file + " cannot be read: " + e.getClass().getSimpleName());
        }
        if (root == null || !root.isObject() || root.isEmpty()) {
            throw usage("--client-tokens " + file + " must hold a JSON object {\"<clientId>\": \"<clientToken>\", ...} "
                    + "with at least one entry");
        }
        Map<String, String> tokens = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : root.properties()) {
            JsonNode token = entry.getValue();
            if (entry.getKey().isEmpty() || !token.isTextual() || token.asText().isEmpty()
                    || token.asText().length() > 256) {
                throw usage("--client-tokens " + file + ": the clientToken of '" + entry.getKey()
                        + "' must be a string of 1-256 characters");
            }
            tokens.put(entry.getKey(), token.asText());
        }
        return tokens;
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}

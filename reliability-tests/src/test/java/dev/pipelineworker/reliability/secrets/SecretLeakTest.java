package dev.pipelineworker.reliability.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionConfiguration;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.ArtifactAccess;
import dev.pipelineworker.ArtifactCredentials;
import dev.pipelineworker.Backoff;
import dev.pipelineworker.ClientTokenProvider;
import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobHandler;
import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.JobQueue;
import dev.pipelineworker.JobWorker;
import dev.pipelineworker.JobWorkerListener;
import dev.pipelineworker.OutcomeJournal;
import dev.pipelineworker.ZipLimits;
import dev.pipelineworker.internal.JobData;
import dev.pipelineworker.internal.LeakyLoggers;
import dev.pipelineworker.internal.channel.ClaimedJob;
import dev.pipelineworker.reliability.support.CopyHandler;
import dev.pipelineworker.reliability.support.S3Mock;
import dev.pipelineworker.reliability.support.Zips;
import dev.pipelineworker.s3.S3ArtifactStoreFactory;
import dev.pipelineworker.s3.internal.JobCredentialsProvider;
import dev.pipelineworker.testkit.LocalCodePipeline;
import dev.pipelineworker.testkit.SecretCanary;
import dev.pipelineworker.testkit.SecretCanary.JobSecrets;
import dev.pipelineworker.testkit.emulator.JobInfo;
import dev.pipelineworker.testkit.emulator.JobSpec;
import dev.pipelineworker.testkit.emulator.RecordedCall;
import dev.pipelineworker.testkit.emulator.RecordedResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;

/**
 * Runs jobs down every path (success, handler failure, handler exception, a typed configuration accessor
 * failing on a secret value, an S3 error) with every logger at TRACE, and collects every log line
 * (message, throwable, MDC), the {@code toString} of every public type a job passes through, every
 * exception message, every listener argument, every journal entry and every result sent to
 * CodePipeline. None may contain the job's secret access key, session token, client token or any
 * configuration value.
 *
 * <p>The loggers of {@link LeakyLoggers#NAMES} are the exception this test documents: the Apache client's
 * wire log prints whole CodePipeline responses (credentials and configuration included), Netty's
 * LoggingHandler and the SDK's SigV4 signer print the job's {@code x-amz-security-token} at DEBUG. They
 * are held at INFO in the main test, as docs/reliability.md tells operators to do, and
 * {@link #theWireLoggersWouldLeakIfTurnedOn()} proves why, and that the worker warns about them at start.
 * The test's own S3 server (S3Mock on Spring Boot and Tomcat) logs in this JVM too; its loggers
 * ({@link #SERVER_SIDE}) are not the worker's and are left out.
 */
class SecretLeakTest {

    static final ActionTypeId TYPE = ActionTypeId.thirdParty(ActionCategory.DEPLOY, "SecretTest", "1");
    /** Loggers that print raw HTTP traffic; docs/reliability.md says to keep them at INFO or above. */
    static final List<String> WIRE_LOGGERS = LeakyLoggers.NAMES;
    /** The test's S3 server (S3Mock: Spring Boot on Tomcat) logs in this JVM too; it is not the worker. */
    static final List<String> SERVER_SIDE = List.of("org.apache.coyote", "org.apache.tomcat", "org.apache.catalina",
            "org.springframework", "com.adobe.testing");
    static final Duration WAIT = Duration.ofSeconds(20);


    private final JobSecrets secrets = JobSecrets.random();
    private final SecretCanary canary = secrets.canary();
    private final String clientId = UUID.randomUUID().toString();
    private final String prefix = "secrets/" + UUID.randomUUID() + "/";

    private final List<String> captured = new CopyOnWriteArrayList<>();
    private ListAppender<ILoggingEvent> appender;
    private final List<ch.qos.logback.core.Appender<ILoggingEvent>> detached = new ArrayList<>();
    private final Map<String, Level> savedLevels = new LinkedHashMap<>();
    private LocalCodePipeline cp;

    @BeforeEach
    void captureEverything() {
        S3Mock.endpoint(); // Spring Boot (S3Mock) reconfigures logback when it starts: start it first.
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        for (Logger logger : context.getLoggerList()) {
            savedLevels.put(logger.getName(), logger.getLevel());
            if (!logger.getName().equals(Logger.ROOT_LOGGER_NAME)) {
                logger.setLevel(null);
            }
        }
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        savedLevels.put(Logger.ROOT_LOGGER_NAME, root.getLevel());
        root.setLevel(Level.TRACE);
        root.iteratorForAppenders().forEachRemaining(detached::add);
        detached.forEach(root::detachAppender); // keep the build output readable: TRACE goes to the list only
        appender = new ListAppender<>();
        appender.setContext(context);
        appender.start();
        root.addAppender(appender);
    }

    @AfterEach
    void restoreLogging() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.detachAppender(appender);
        detached.forEach(root::addAppender);
        savedLevels.forEach((name, level) -> context.getLogger(name).setLevel(level));
        if (cp != null) {
            cp.close();
        }
    }

    @Test
    void noSecretReachesALogLineAToStringAnExceptionAListenerAJournalOrAResult() throws IOException {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        WIRE_LOGGERS.forEach(name -> context.getLogger(name).setLevel(Level.INFO));

        runAllPaths();

        List<ILoggingEvent> events = workerSideEvents();
        List<String> texts = new ArrayList<>(captured);
        for (ILoggingEvent event : events) {
            texts.add(render(event));
        }
        System.out.println("SECRET FIGURES: texts checked=" + texts.size() + " (log events=" + events.size()
                + "), secrets=" + canary.size() + ", leaks=" + canary.leaks(texts).size());
        assertThat(events.stream().filter(e -> e.getLoggerName().startsWith("software.amazon.awssdk")))
                .as("the SDK's own TRACE/DEBUG output was captured too").isNotEmpty();
        canary.assertNoLeaks(texts);
        assertThat(events).as("no warning about leaky loggers when they are at INFO")
                .noneSatisfy(e -> assertThat(e.getFormattedMessage()).startsWith("DEBUG logging is on for"));
    }

    /** Shows the one leak we know of and document: raw HTTP wire logging at DEBUG. */
    @Test
    void theWireLoggersWouldLeakIfTurnedOn() throws IOException {
        runSuccessOnly();
        List<ILoggingEvent> events = workerSideEvents();
        List<String> wire = events.stream().filter(e -> isLeakyLogger(e.getLoggerName()))
                .map(SecretLeakTest::render).toList();
        Map<String, Set<String>> leaks = canary.leaks(wire);
        assertThat(leaks).as("org.apache.http.wire at DEBUG prints CodePipeline's job details verbatim")
                .containsKey("secret access key").containsKey("session token").containsKey("client token");
        Set<String> leakingLoggers = new TreeSet<>();
        for (ILoggingEvent event : events) {
            if (!canary.leaks(List.of(render(event))).isEmpty()) {
                leakingLoggers.add(event.getLoggerName());
            }
        }
        System.out.println("SECRET FIGURES: loggers that print secrets at DEBUG/TRACE: " + leakingLoggers);
        assertThat(leakingLoggers).as("only the known raw-traffic loggers leak")
                .allSatisfy(name -> assertThat(isLeakyLogger(name)).as(name).isTrue());
        assertThat(events).as("the worker warned at start that these loggers are on")
                .anySatisfy(e -> assertThat(e.getFormattedMessage()).startsWith("DEBUG logging is on for [org.apache.http.wire"));
    }

    // ------------------------------------------------------------------ the job flow

    private void runAllPaths() throws IOException {
        try (Harness h = new Harness()) {
            S3Mock.put(prefix + "in.zip", Zips.zipText("app.txt", "content"));
            List<JobInfo> jobs = List.of(
                    h.enqueue(Map.of()),                                  // success
                    h.enqueue(Map.of("Mode", "LONG_FAILURE")),            // JobFailureException
                    h.enqueue(Map.of("Mode", "THROW_RUNTIME")),           // unexpected exception
                    h.enqueue(Map.of("Mode", "STACK_OVERFLOW")),          // an Error
                    h.enqueue(Map.of(JobSecrets.PORT, secrets.port())),   // accessor fails on a secret value
                    h.enqueue(Map.of("Copies", secrets.dbPassword())),   // range accessor on a secret value
                    h.enqueue(Map.of("Mode", secrets.apiKey())),         // enum accessor on a secret value
                    h.enqueueMissingInput());                             // S3 error
            List<String> types = new ArrayList<>();
            for (JobInfo job : jobs) {
                RecordedResult result = cp.awaitResult(job.jobId(), WAIT);
                types.add(result instanceof RecordedResult.Failure f ? f.type().apiName() : result.getClass().getSimpleName());
                captured.add(String.valueOf(result));
            }
            assertThat(types).containsExactly("Success", "JobFailed", "JobFailed", "JobFailed", "ConfigurationError",
                    "ConfigurationError", "ConfigurationError", "RevisionUnavailable");
            h.captureResultsSent();
        }
        captureToStrings();
    }

    private void runSuccessOnly() throws IOException {
        try (Harness h = new Harness()) {
            S3Mock.put(prefix + "in.zip", Zips.zipText("app.txt", "content"));
            JobInfo job = h.enqueue(Map.of());
            assertThat(cp.awaitResult(job.jobId(), WAIT)).isInstanceOf(RecordedResult.Success.class);
        }
    }

    /** A worker on the emulator and the real S3 store, all of whose surfaces are recorded. */
    private final class Harness implements AutoCloseable {
        final CodePipelineClient client;
        final S3ArtifactStoreFactory stores;
        final JobWorker worker;
        final Path journalDir = Files.createTempDirectory("secret-journal-");

        Harness() throws IOException {
            cp = LocalCodePipeline.builder().client(clientId, secrets.clientToken()).actionType(TYPE)
                    .continuationDelay(Duration.ZERO).start();
            client = CodePipelineClient.builder().endpointOverride(cp.endpoint()).region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(
                            AwsBasicCredentials.create("AKIAWORKEREXAMPLE", "worker-own-secret")))
                    .build();
            stores = S3Mock.factory(S3Mock.endpoint(), ZipLimits.defaults());
            CopyHandler copy = new CopyHandler();
            JobHandler recording = ctx -> {
                captured.add(ctx.toString());
                captured.add(String.valueOf(ctx.configuration()));
                captured.add(String.valueOf(ctx.pipeline()));
                captured.add(String.valueOf(ctx.inputArtifacts()) + ctx.outputArtifacts() + ctx.encryptionKey());
                captured.add(String.valueOf(ctx.artifacts()));
                try {
                    JobOutcome outcome = copy.handle(ctx);
                    captured.add(String.valueOf(outcome));
                    return outcome;
                } catch (Throwable t) {
                    captured.add(stackTrace(t));
                    throw t;
                }
            };
            OutcomeJournal files = OutcomeJournal.inDirectory(journalDir);
            OutcomeJournal journal = new OutcomeJournal() {
                @Override
                public void write(String jobId, byte[] entry) throws IOException {
                    captured.add(new String(entry, StandardCharsets.UTF_8));
                    files.write(jobId, entry);
                }

                @Override
                public void delete(String jobId) throws IOException {
                    files.delete(jobId);
                }

                @Override
                public Map<String, byte[]> readAll() throws IOException {
                    return files.readAll();
                }

                @Override
                public void close() throws IOException {
                    files.close();
                }
            };
            worker = JobWorker.builder(TYPE, recording)
                    .codePipelineClient(client)
                    .clientTokens(ClientTokenProvider.fromMap(Map.of(clientId, secrets.clientToken())))
                    .artifactStoreFactory(stores)
                    .outcomeJournal(journal)
                    .idleBackoff(Backoff.exponential(Duration.ofMillis(20), Duration.ofMillis(100)))
                    .listener(new RecordingListener())
                    .build()
                    .start();
        }

        JobInfo enqueue(Map<String, String> extra) {
            JobSpec.Builder spec = secrets.plantIn(JobSpec.builder(TYPE).clientId(clientId)
                    .configuration("Target", "prod"))
                    .inputArtifact("Src", S3Mock.BUCKET, prefix + "in.zip")
                    .outputArtifact("Out", S3Mock.BUCKET, prefix + "out-" + UUID.randomUUID() + ".zip");
            Map<String, String> config = new TreeMap<>(extra);
            config.forEach(spec::configuration);
            JobSpec built = spec.build();
            captured.add(built.toString());
            return cp.enqueue(built);
        }

        JobInfo enqueueMissingInput() {
            JobSpec spec = JobSpec.builder(TYPE).clientId(clientId)
                    .configuration("Target", "prod").configuration(JobSecrets.API_KEY, secrets.apiKey())
                    .artifactCredentials(secrets.artifactCredentials())
                    .inputArtifact("Src", S3Mock.BUCKET, prefix + "missing.zip")
                    .outputArtifact("Out", S3Mock.BUCKET, prefix + "out-missing.zip").build();
            return cp.enqueue(spec);
        }

        /** What the worker sent to CodePipeline as results: the console shows these. */
        void captureResultsSent() {
            for (RecordedCall call : cp.calls()) {
                if (call.operation().startsWith("Put")) {
                    // The request must carry the client token to authenticate; what the console shows must not.
                    try {
                        com.fasterxml.jackson.databind.node.ObjectNode body = (com.fasterxml.jackson.databind.node.ObjectNode)
                                new com.fasterxml.jackson.databind.ObjectMapper().readTree(call.requestBody());
                        assertThat(body.remove("clientToken").asText()).isEqualTo(secrets.clientToken());
                        captured.add(body.toString());
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            }
        }

        @Override
        public void close() {
            worker.close();
            captured.add(String.valueOf(worker));
            captured.add(String.valueOf(stores));
            stores.close();
            client.close();
        }
    }

    /** The toString of every public (and internal) type that carries a job's secrets. */
    private void captureToStrings() {
        ArtifactCredentials credentials = secrets.artifactCredentials();
        ActionConfiguration configuration = ActionConfiguration.of(Map.of(JobSecrets.API_KEY, secrets.apiKey(),
                JobSecrets.DB_PASSWORD, secrets.dbPassword()));
        ArtifactAccess access = ArtifactAccess.builder("job-1").credentials(credentials).refresher(() -> credentials)
                .region(Region.US_EAST_1).build();
        JobData data = new JobData("job-1", "123456789012", TYPE, null, configuration, List.of(), List.of(), null,
                credentials, null, Region.US_EAST_1);
        captured.add(credentials.toString());
        captured.add(configuration.toString());
        captured.add(access.toString());
        captured.add(data.toString());
        captured.add(new ClaimedJob("job-1", clientId, secrets.clientToken(), data, null).toString());
        captured.add(new JobCredentialsProvider("job-1", credentials, () -> credentials).toString());
        captured.add(ClientTokenProvider.fromMap(Map.of(clientId, secrets.clientToken())).toString());
        captured.add(JobOutcome.success(null).toString());
        captured.add(JobOutcome.continueWithState(Map.of("k", "v")).toString());
        captured.add(JobOutcome.fail(FailureType.JOB_FAILED, "failed").toString());
        for (String key : List.of("ApiKey", "DbPassword")) {
            try {
                configuration.requireInt(key);
            } catch (RuntimeException e) {
                captured.add(stackTrace(e));
            }
            try {
                configuration.requireEnum(key, FailureType.class);
            } catch (RuntimeException e) {
                captured.add(stackTrace(e));
            }
            try {
                configuration.requireBoolean(key);
            } catch (RuntimeException e) {
                captured.add(stackTrace(e));
            }
        }
    }

    private final class RecordingListener implements JobWorkerListener {
        @Override
        public void pollFailed(JobQueue queue, Throwable error, boolean throttled) {
            captured.add(stackTrace(error));
        }

        @Override
        public void failed(JobQueue queue, String jobId, FailureType type) {
            captured.add(jobId + type);
        }

        @Override
        public void reportRetried(JobQueue queue, String jobId, int attempt, Throwable error) {
            captured.add(stackTrace(error));
        }

        @Override
        public void reportAbandoned(JobQueue queue, String jobId, Throwable error) {
            captured.add(stackTrace(error));
        }
    }

    // ------------------------------------------------------------------ checking

    private static boolean isLeakyLogger(String name) {
        return WIRE_LOGGERS.stream().anyMatch(leaky -> name.equals(leaky) || name.startsWith(leaky + "."));
    }

    /** Every captured event but the test's S3 server's own, copied under the appender's lock. */
    private List<ILoggingEvent> workerSideEvents() {
        List<ILoggingEvent> all;
        synchronized (appender) {
            all = new ArrayList<>(appender.list);
        }
        return all.stream().filter(e -> SERVER_SIDE.stream().noneMatch(e.getLoggerName()::startsWith)).toList();
    }

    private static String render(ILoggingEvent event) {
        StringBuilder text = new StringBuilder(event.getLoggerName()).append(' ').append(event.getFormattedMessage());
        if (event.getThrowableProxy() != null) {
            text.append('\n').append(ThrowableProxyUtil.asString(event.getThrowableProxy()));
        }
        text.append(' ').append(event.getMDCPropertyMap());
        return text.toString();
    }

    private static String stackTrace(Throwable t) {
        StringWriter out = new StringWriter();
        t.printStackTrace(new PrintWriter(out));
        return out.toString();
    }

}

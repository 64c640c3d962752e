package dev.pipelineworker.reliability.badinput;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.Artifact;
import dev.pipelineworker.Backoff;
import dev.pipelineworker.EncryptionKey;
import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobWorker;
import dev.pipelineworker.OutcomeJournal;
import dev.pipelineworker.S3Location;
import dev.pipelineworker.ZipLimits;
import dev.pipelineworker.reliability.support.CopyHandler;
import dev.pipelineworker.reliability.support.S3Mock;
import dev.pipelineworker.reliability.support.Zips;
import dev.pipelineworker.reliability.support.Zips.Entry;
import dev.pipelineworker.s3.S3ArtifactStoreFactory;
import dev.pipelineworker.testkit.LocalCodePipeline;
import dev.pipelineworker.testkit.emulator.JobInfo;
import dev.pipelineworker.testkit.emulator.JobSpec;
import dev.pipelineworker.testkit.emulator.Operation;
import dev.pipelineworker.testkit.emulator.RecordedCall;
import dev.pipelineworker.testkit.emulator.RecordedResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;

/**
 * The bad-input catalogue: one real worker (third-party action, real S3 store on S3Mock, the testkit's
 * CodePipeline emulator, which validates results like the service) meets one bad input per test. Each
 * must end in exactly one accepted failure of the right type with a clear message, and after each the same
 * worker must still poll and run a good job to success ({@link #theWorkerStillServesAGoodJob()}).
 */
class BadInputCatalogueTest {

    static final ActionTypeId TYPE = ActionTypeId.thirdParty(ActionCategory.BUILD, "Catalogue", "1");
    static final Duration JOB_TIMEOUT = Duration.ofSeconds(3);
    static final Duration WAIT = Duration.ofSeconds(20);
    static final ZipLimits LIMITS = new ZipLimits(1000, 64L << 20, 200);
    private static final ObjectMapper JSON = new ObjectMapper();

    static LocalCodePipeline cp;
    static CodePipelineClient client;
    static S3ArtifactStoreFactory stores;
    static CopyHandler handler;
    static JobWorker worker;
    /** The worker's job threads, given so that a test can see when a job's thread is done with it. */
    static ThreadPoolExecutor jobThreads;
    static Path journal;
    static final List<String> JOBS_RUN = new ArrayList<>();

    private final String prefix = "catalogue/" + UUID.randomUUID() + "/";

    @BeforeAll
    static void start() throws IOException {
        cp = LocalCodePipeline.builder().continuationDelay(Duration.ZERO).actionType(TYPE).start();
        client = CodePipelineClient.builder().endpointOverride(cp.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIAWORKER", "worker")))
                .build();
        stores = S3Mock.factory(S3Mock.endpoint(), LIMITS);
        handler = new CopyHandler();
        journal = Files.createTempDirectory("catalogue-journal-");
        Backoff quick = Backoff.exponential(Duration.ofMillis(20), Duration.ofMillis(100));
        jobThreads = (ThreadPoolExecutor) Executors.newFixedThreadPool(4);
        worker = JobWorker.builder(TYPE, handler)
                .codePipelineClient(client)
                .clientTokens(cp::clientToken)
                .artifactStoreFactory(stores)
                .outcomeJournal(OutcomeJournal.inDirectory(journal))
                .jobTimeout(JOB_TIMEOUT)
                .maxConcurrentJobs(4)
                .executor(jobThreads)
                .idleBackoff(quick)
                .errorBackoff(quick)
                .reportRetries(3, quick)
                .shutdownGrace(Duration.ofSeconds(2))
                .build()
                .start();
    }

    @AfterAll
    static void stop() {
        handler.release.countDown();
        worker.close();
        jobThreads.shutdownNow();
        stores.close();
        client.close();
        cp.close();
        System.out.println("BAD INPUT FIGURES: jobs=" + JOBS_RUN.size());
    }

    /** After every case: the same worker polls on and a good job succeeds with its output in S3. */
    @AfterEach
    void theWorkerStillServesAGoodJob() {
        assertThat(worker.isRunning()).isTrue();
        S3Mock.put(prefix + "good.zip", Zips.zipText("app/main.txt", "hello"));
        JobInfo good = cp.enqueue(JobSpec.builder(TYPE).configuration("Target", "prod")
                .inputArtifact("Src", S3Mock.BUCKET, prefix + "good.zip")
                .outputArtifact("Out", S3Mock.BUCKET, prefix + "good-out.zip").build());
        JOBS_RUN.add(good.jobId());
        RecordedResult result = cp.awaitResult(good.jobId(), WAIT);
        assertThat(result).as("the good job after the bad one").isInstanceOfSatisfying(RecordedResult.Success.class,
                s -> assertThat(s.executionDetails().summary()).isEqualTo("copied 1 files"));
        assertThat(Zips.unzipTexts(S3Mock.get(prefix + "good-out.zip")))
                .containsEntry("app/main.txt", "hello").containsKey("copied.txt");
    }

    // ------------------------------------------------------------------ malformed job data

    @Test
    void unknownEncryptionKeyType() {
        JobSpec base = validJob(Zips.zipText("a.txt", "a")).build();
        JobSpec spec = new JobSpec(base.actionType(), base.configuration(), base.context(), base.inputArtifacts(),
                base.outputArtifacts(), new EncryptionKey("my-key", "AES256"), base.artifactCredentials(), null,
                null, base.accountId());
        assertFailure(spec, "JobFailed",
                "malformed job data: the job's encryption key has type 'AES256'; only KMS is supported");
    }

    // ------------------------------------------------------------------ configuration

    @Test
    void requiredConfigurationValueMissing() {
        JobSpec spec = JobSpec.builder(TYPE).inputArtifact("Src", S3Mock.BUCKET, prefix + "in.zip")
                .outputArtifact("Out", S3Mock.BUCKET, prefix + "out.zip").build();
        assertFailure(spec, "ConfigurationError", "configuration key 'Target' is required but missing");
    }

    @Test
    void integerConfigurationValueMalformed() {
        assertFailure(validJob(Zips.zipText("a.txt", "a")).configuration("Copies", "many").build(),
                "ConfigurationError", "configuration key 'Copies' must be an integer");
    }

    @Test
    void integerConfigurationValueOutOfRange() {
        assertFailure(validJob(Zips.zipText("a.txt", "a")).configuration("Copies", "9").build(),
                "ConfigurationError", "configuration key 'Copies' must be between 1 and 5");
    }

    @Test
    void enumConfigurationValueUnknown() {
        RecordedResult.Failure failure = assertFailure(
                validJob(Zips.zipText("a.txt", "a")).configuration("Mode", "EXPLODE").build(),
                "ConfigurationError", null);
        assertThat(failure.message()).startsWith("configuration key 'Mode' must be one of COPY, ");
    }

    // ------------------------------------------------------------------ hostile or broken artifacts

    @Test
    void zipSlipEntry() {
        assertFailure(validJob(Zips.zip(Entry.file("ok.txt", "ok"), Entry.file("../../evil.txt", "x"))).build(),
                "JobFailed", "input artifact 'Src' has an entry that escapes the target directory: '../../evil.txt'");
    }

    @Test
    void absolutePathEntry() {
        assertFailure(validJob(Zips.zip(Entry.file("/tmp/evil.txt", "x"))).build(),
                "JobFailed", "input artifact 'Src' has an entry with an absolute path: '/tmp/evil.txt'");
    }

    @Test
    void symlinkPointingOutside() {
        assertFailure(validJob(Zips.zip(Entry.symlink("link", "../../../outside"), Entry.file("link/passwd", "x")))
                        .build(),
                "JobFailed", "input artifact 'Src' has a symlink pointing outside the target directory: 'link'");
    }

    @Test
    void zipBombByCompressionRatio() {
        assertFailure(validJob(Zips.zip(Entry.file("zeros.bin", new byte[8 << 20]))).build(),
                "JobFailed", "input artifact 'Src' entry 'zeros.bin' expands more than 200:1 "
                        + "(ZipLimits.maxCompressionRatio)");
    }

    @Test
    void zipBombByEntryCount() {
        Entry[] entries = new Entry[LIMITS.maxEntries() + 1];
        for (int i = 0; i < entries.length; i++) {
            entries[i] = Entry.file("f" + i + ".txt", "");
        }
        assertFailure(validJob(Zips.zip(entries)).build(),
                "JobFailed", "input artifact 'Src' has more than 1000 entries (ZipLimits.maxEntries)");
    }

    @Test
    void inputThatIsNotAZip() {
        RecordedResult.Failure failure = assertFailure(validJob("just some text, not a zip".getBytes()).build(),
                "JobFailed", null);
        assertThat(failure.message()).startsWith("input artifact 'Src' is not a zip archive");
    }

    @Test
    void inputThatIsAnEmptyObject() {
        RecordedResult.Failure failure = assertFailure(validJob(new byte[0]).build(), "JobFailed", null);
        assertThat(failure.message()).startsWith("input artifact 'Src' is not a zip archive");
    }

    @Test
    void inputObjectMissing() {
        JobSpec spec = JobSpec.builder(TYPE).configuration("Target", "prod")
                .inputArtifact("Src", S3Mock.BUCKET, prefix + "never-written.zip")
                .outputArtifact("Out", S3Mock.BUCKET, prefix + "out.zip").build();
        RecordedResult.Failure failure = assertFailure(spec, "RevisionUnavailable", null);
        assertThat(failure.message()).startsWith("Could not read input artifact 'Src' (s3://" + S3Mock.BUCKET + "/"
                + prefix + "never-written.zip): the object or bucket does not exist");
    }

    // ------------------------------------------------------------------ continuation

    @Test
    void continuationTokenNotWrittenByUs() {
        assertFailure(validJob(Zips.zipText("a.txt", "a")).configuration("Mode", "READ_STATE")
                        .continuationToken("build-4711").build(),
                "JobFailed", "the continuation token was not written by pipeline-worker, so it holds no typed state");
    }

    @Test
    void continuationTokenCorrupted() {
        assertFailure(validJob(Zips.zipText("a.txt", "a")).configuration("Mode", "READ_STATE")
                        .continuationToken("{\"pw\":1,\"state\":{\"step\":\"three\"}}").build(),
                "JobFailed", "the continuation state cannot be read as Progress");
    }

    @Test
    void continuationStateTooLargeForTheToken() {
        RecordedResult.Failure failure = assertFailure(
                validJob(Zips.zipText("a.txt", "a")).configuration("Mode", "HUGE_STATE").build(), "JobFailed", null);
        assertThat(failure.message()).matches("the handler's continuation cannot be reported: the continuation state "
                + "is \\d+ characters; CodePipeline accepts 1-2048");
    }

    // ------------------------------------------------------------------ handlers misbehaving

    @Test
    void handlerReturnsNull() {
        assertFailure(validJob(Zips.zipText("a.txt", "a")).configuration("Mode", "NULL_OUTCOME").build(),
                "JobFailed", "handler returned no outcome");
    }

    @Test
    void handlerThrowsAnError() {
        assertFailure(validJob(Zips.zipText("a.txt", "a")).configuration("Mode", "STACK_OVERFLOW").build(),
                "JobFailed", "handler failed: StackOverflowError");
    }

    @Test
    void handlerIgnoresTheInterruptAtItsTimeout() throws InterruptedException {
        long started = System.nanoTime();
        JobInfo job = enqueue(validJob(Zips.zipText("a.txt", "a")).configuration("Mode", "IGNORE_INTERRUPT").build());
        RecordedResult.Failure failure = awaitFailure(job, "JobFailed",
                "the job timed out: the handler did not finish within PT3S");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(JOB_TIMEOUT.plusSeconds(10));
        // The handler sleeps on for 1.5 s after its timeout; its job's task is the only one on the job threads.
        long tasksDone = jobThreads.getCompletedTaskCount();
        assertThat(handler.lateReturns.await(10, TimeUnit.SECONDS)).as("the handler came back late").isTrue();
        await("the job's thread done with the late return").atMost(WAIT)
                .until(() -> jobThreads.getCompletedTaskCount() > tasksDone);
        assertThat(putCalls(job.jobId())).as("its late success was dropped, not sent").hasSize(1);
        assertThat(failure.type()).isEqualTo(FailureType.JOB_FAILED);
    }

    @Test
    void handlerNeverReturns() {
        long started = System.nanoTime();
        JobInfo job = enqueue(validJob(Zips.zipText("a.txt", "a")).configuration("Mode", "NEVER_RETURN").build());
        awaitFailure(job, "JobFailed", "the job timed out: the handler did not finish within PT3S");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(JOB_TIMEOUT.plusSeconds(10));
        assertThat(worker.inFlightJobs()).as("the reported job left flight though its thread is stuck").isZero();
    }

    // ------------------------------------------------------------------ outcomes beyond the API's limits

    @Test
    void failureMessageBeyond5000Characters() {
        RecordedResult.Failure failure = assertFailure(
                validJob(Zips.zipText("a.txt", "a")).configuration("Mode", "LONG_FAILURE").build(), "JobFailed", null);
        assertThat(failure.message()).hasSize(5000).startsWith("ffff").endsWith("... [truncated]");
    }

    @Test
    void summaryAndExternalIdBeyondTheirLimits() {
        JobInfo job = enqueue(validJob(Zips.zipText("a.txt", "a")).configuration("Mode", "LONG_SUMMARY").build());
        RecordedResult result = cp.awaitResult(job.jobId(), WAIT);
        assertThat(result).isInstanceOfSatisfying(RecordedResult.Success.class, s -> {
            assertThat(s.executionDetails().summary()).hasSize(2048).endsWith("... [truncated]");
            assertThat(s.executionDetails().externalExecutionId()).hasSize(1500).endsWith("... [truncated]");
        });
        assertAcceptedAtFirstAttempt(job);
    }

    @Test
    void outputVariablesOnAThirdPartyJob() {
        assertFailure(validJob(Zips.zipText("a.txt", "a")).configuration("Mode", "OUTPUT_VARIABLES").build(),
                "JobFailed", "the handler's outcome cannot be reported: output variables are only allowed on custom "
                        + "actions; this is a ThirdParty action");
    }

    // ------------------------------------------------------------------ helpers

    /** A job with Target set, input Src holding {@code input} and output Out. */
    private JobSpec.Builder validJob(byte[] input) {
        S3Mock.put(prefix + "in.zip", input);
        return JobSpec.builder(TYPE).configuration("Target", "prod")
                .inputArtifact(new Artifact("Src", new S3Location(S3Mock.BUCKET, prefix + "in.zip"), "rev-1"))
                .outputArtifact("Out", S3Mock.BUCKET, prefix + "out.zip");
    }

    private JobInfo enqueue(JobSpec spec) {
        JobInfo job = cp.enqueue(spec);
        JOBS_RUN.add(job.jobId());
        return job;
    }

    /** Runs the job and checks it ended in one accepted failure of this type (and message, when given). */
    private RecordedResult.Failure assertFailure(JobSpec spec, String type, String message) {
        return awaitFailure(enqueue(spec), type, message);
    }

    private RecordedResult.Failure awaitFailure(JobInfo job, String type, String message) {
        RecordedResult result = cp.awaitResult(job.jobId(), WAIT);
        assertThat(result).isInstanceOf(RecordedResult.Failure.class);
        RecordedResult.Failure failure = (RecordedResult.Failure) result;
        assertThat(failure.type().apiName()).as("failure type; message: %s", failure.message()).isEqualTo(type);
        if (message != null) {
            assertThat(failure.message()).isEqualTo(message);
        }
        assertAcceptedAtFirstAttempt(job);
        assertThat(S3Mock.client().listObjectsV2(r -> r.bucket(S3Mock.BUCKET).prefix(prefix + "out")).contents())
                .as("no output written for a failed job").isEmpty();
        return failure;
    }

    /** The service never refused the worker's result: one result call, accepted. */
    private void assertAcceptedAtFirstAttempt(JobInfo job) {
        // The emulator records a call after serving it: wait for the record, not only for the result.
        cp.awaitCall(c -> !putCalls(job.jobId()).isEmpty(), WAIT);
        assertThat(putCalls(job.jobId())).singleElement().satisfies(c -> assertThat(c.status()).isEqualTo(200));
    }

    private List<RecordedCall> putCalls(String jobId) {
        return cp.calls().stream()
                .filter(c -> c.is(Operation.PUT_THIRD_PARTY_JOB_FAILURE_RESULT)
                        || c.is(Operation.PUT_THIRD_PARTY_JOB_SUCCESS_RESULT))
                .filter(c -> {
                    try {
                        return jobId.equals(JSON.readTree(c.requestBody()).path("jobId").asText());
                    } catch (IOException e) {
                        return false;
                    }
                }).toList();
    }


}

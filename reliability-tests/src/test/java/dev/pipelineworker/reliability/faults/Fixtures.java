package dev.pipelineworker.reliability.faults;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionOwner;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.Backoff;
import dev.pipelineworker.ClientTokenProvider;
import dev.pipelineworker.JobHandler;
import dev.pipelineworker.JobWorker;
import dev.pipelineworker.OutcomeJournal;
import dev.pipelineworker.testkit.LocalCodePipeline;
import dev.pipelineworker.testkit.emulator.Operation;
import dev.pipelineworker.testkit.emulator.RecordedCall;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;

/** What the fault, shutdown and SIGTERM tests share: action types, SDK clients, worker settings. */
final class Fixtures {

    static final ActionTypeId THIRD_PARTY = ActionTypeId.thirdParty(ActionCategory.BUILD, "FaultyThirdParty", "1");
    static final ActionTypeId CUSTOM = ActionTypeId.custom(ActionCategory.TEST, "FaultyCustom", "1");
    static final String CLIENT_ID = "0f8c7a8e-5d1e-4b51-9a6f-3c2d1e0f9a7b";
    static final String CLIENT_TOKEN = "fault-suite-client-token";

    private static final ObjectMapper JSON = new ObjectMapper();

    private Fixtures() {
    }

    /** An emulator builder with the client and both action types registered. */
    static LocalCodePipeline.Builder emulator(long seed) {
        return LocalCodePipeline.builder()
                .random(new Random(seed))
                .client(CLIENT_ID, CLIENT_TOKEN)
                .actionType(THIRD_PARTY)
                .actionType(CUSTOM);
    }

    /**
     * A real SDK client with the SDK's standard retry classification (throttling, 5xx, I/O), four attempts and
     * short backoffs, and an attempt timeout so a stalled body is an I/O failure rather than a hang; the
     * interceptors see every attempt.
     */
    static CodePipelineClient client(URI endpoint, ExecutionInterceptor... interceptors) {
        return CodePipelineClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("AKIDFAULTSUITE", "fault-suite-secret")))
                .overrideConfiguration(o -> o
                        .apiCallAttemptTimeout(Duration.ofSeconds(1))
                        .apiCallTimeout(Duration.ofSeconds(15))
                        .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                                .maxAttempts(4)
                                .backoffStrategy(BackoffStrategy.exponentialDelay(
                                        Duration.ofMillis(10), Duration.ofMillis(200)))
                                .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(
                                        Duration.ofMillis(50), Duration.ofMillis(400)))
                                .build())
                        .executionInterceptors(List.of(interceptors)))
                .build();
    }

    /**
     * A worker with short backoffs, no outcome journal and the suite's client token. Its results are retried for
     * about fifty seconds (20 attempts, 100 ms doubling to 3 s). The outage drains each client's SDK retry quota, so
     * for a while after it every attempt here is a single HTTP call that the storm fails about half the time; a
     * budget that ends soon after the outage loses a result now and then.
     */
    static JobWorker.Builder worker(ActionTypeId type, JobHandler handler, CodePipelineClient client, long seed) {
        JobWorker.Builder builder = JobWorker.builder(type, handler)
                .codePipelineClient(client)
                .maxConcurrentJobs(8)
                .idleBackoff(Backoff.exponential(Duration.ofMillis(20), Duration.ofMillis(200)))
                .errorBackoff(Backoff.exponential(Duration.ofMillis(50), Duration.ofMillis(500)))
                .throttleBackoff(Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(1)))
                .reportRetries(20, Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(3)))
                .jobTimeout(Duration.ofSeconds(60))
                .shutdownGrace(Duration.ofSeconds(5))
                .outcomeJournal(OutcomeJournal.disabled())
                .random(new Random(seed));
        if (type.owner() == ActionOwner.THIRD_PARTY) {
            builder.clientTokens(ClientTokenProvider.fromMap(Map.of(CLIENT_ID, CLIENT_TOKEN)));
        }
        return builder;
    }

    /** The job id a recorded call names, or null. */
    static String jobIdOf(RecordedCall call) {
        try {
            JsonNode body = JSON.readTree(call.requestBody());
            return body == null ? null : body.path("jobId").asText(null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the call is an acknowledgement of either kind. */
    static boolean isAck(RecordedCall call) {
        return call.is(Operation.ACKNOWLEDGE_JOB) || call.is(Operation.ACKNOWLEDGE_THIRD_PARTY_JOB);
    }

    /** Whether the call is a poll of either kind. */
    static boolean isPoll(RecordedCall call) {
        return call.is(Operation.POLL_FOR_JOBS) || call.is(Operation.POLL_FOR_THIRD_PARTY_JOBS);
    }

    /** Whether the call puts a result of any kind. */
    static boolean isPut(RecordedCall call) {
        return call.is(Operation.PUT_JOB_SUCCESS_RESULT) || call.is(Operation.PUT_JOB_FAILURE_RESULT)
                || call.is(Operation.PUT_THIRD_PARTY_JOB_SUCCESS_RESULT)
                || call.is(Operation.PUT_THIRD_PARTY_JOB_FAILURE_RESULT);
    }

    /** Sets a logback logger's level and returns the previous one, so a test can quieten expected warnings. */
    static Level logLevel(String logger, Level level) {
        ch.qos.logback.classic.Logger target = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(logger);
        Level previous = target.getLevel();
        target.setLevel(level);
        return previous;
    }
}

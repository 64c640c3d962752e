package dev.pipelineworker.lambda.internal;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionOwner;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.ArtifactAccess;
import dev.pipelineworker.ArtifactStore;
import dev.pipelineworker.ArtifactStoreFactory;
import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobFailureException;
import dev.pipelineworker.JobHandler;
import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.internal.ConfigurationCheck;
import dev.pipelineworker.internal.ContinuationCodec;
import dev.pipelineworker.internal.HandlerInvocation;
import dev.pipelineworker.internal.JobData;
import dev.pipelineworker.internal.OutcomeMapper;
import dev.pipelineworker.internal.OutcomeValidator;
import dev.pipelineworker.internal.ScratchSpace;
import dev.pipelineworker.internal.channel.Report;
import dev.pipelineworker.lambda.LambdaOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.SystemSettingsRegionProvider;

/**
 * One function's engine: reads the event and runs the handler through the core's
 * {@link HandlerInvocation}, the same path the polling worker takes, on a thread of its own until
 * the deadline (the Lambda's remaining time less the safety margin); then deletes the job's scratch
 * directory (under {@code java.io.tmpdir}) and writes the result payload. {@link #invoke} never throws: whatever goes wrong becomes a
 * {@code fail} payload with a clear message, so CodePipeline never sees an unhandled Lambda error.
 */
public final class LambdaJobRunner {

    /** What a credentials refresh says: the Lambda model has no call to read the job again. */
    public static final String NO_REFRESH_MESSAGE = "the artifact credentials cannot be refreshed under the Lambda "
            + "integration model: CodePipeline hands them over only in the invocation event. Finish within one "
            + "invocation, or return a continuation: the next invocation brings fresh credentials";

    static final String NO_STORE_MESSAGE = "no artifact store is configured: add dev.pipelineworker:worker-s3 to "
            + "the function's jar or pass LambdaOptions.withArtifactStores(...)";

    private static final Duration MAX_LAMBDA_TIME = Duration.ofMinutes(15);

    private final JobHandler handler;
    private final LambdaOptions options;
    private final ArtifactStoreFactory artifactStores;
    private final ContinuationCodec codec;
    private final OutcomeValidator validator;
    private final ConfigurationCheck configuration;
    private final LambdaEventReader reader;
    private final LambdaResultWriter writer;
    private final ScratchSpace scratch = ScratchSpace.inTemporaryDirectory();
    private final ObjectMapper json = new ObjectMapper();
    private final Region region;

    public LambdaJobRunner(JobHandler handler, LambdaOptions options) {
        this.handler = Objects.requireNonNull(handler, "handler");
        this.options = Objects.requireNonNull(options, "options");
        this.artifactStores = options.artifactStores().orElseGet(LambdaJobRunner::discover);
        this.codec = options.objectMapper().map(ContinuationCodec::new).orElseGet(ContinuationCodec::defaults);
        // The Lambda result carries output variables for any owner; CUSTOM gets them the custom
        // worker's checks, THIRD_PARTY the third-party worker's refusal. See LambdaOptions.
        this.validator = new OutcomeValidator(options.outputVariablesAllowed() ? ActionOwner.CUSTOM
                : ActionOwner.THIRD_PARTY, codec);
        this.configuration = options.actionTypeDefinition().map(ConfigurationCheck::of)
                .orElseGet(ConfigurationCheck::none);
        this.reader = new LambdaEventReader(json);
        this.region = options.region().orElseGet(LambdaJobRunner::regionOfTheFunction);
        this.writer = new LambdaResultWriter(json);
    }

    /** {@code AWS_REGION}, which Lambda sets, or {@code aws.region}; us-east-1 outside Lambda (tests). */
    private static Region regionOfTheFunction() {
        try {
            return new SystemSettingsRegionProvider().getRegion();
        } catch (SdkClientException notInLambda) {
            return Region.US_EAST_1;
        }
    }

    private static ArtifactStoreFactory discover() {
        Iterator<ArtifactStoreFactory> found = ServiceLoader.load(ArtifactStoreFactory.class).iterator();
        return found.hasNext() ? found.next() : null;
    }

    /** The result payload for {@code event}, as UTF-8 JSON. */
    public byte[] invoke(byte[] event, Context context) {
        Report report;
        try {
            report = run(event, context);
        } catch (RuntimeException | Error e) {
            // A bug here must still end the job with a result rather than an unhandled Lambda error.
            log(context, "pipeline-worker-lambda failed unexpectedly: " + e.getClass().getName());
            report = failure(FailureType.JOB_FAILED, "pipeline-worker-lambda failed unexpectedly: "
                    + e.getClass().getSimpleName());
        }
        try {
            return json.writeValueAsString(writer.write(report)).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a result payload of strings always serialises", e);
        }
    }

    private Report run(byte[] event, Context context) {
        Duration remaining = context == null ? MAX_LAMBDA_TIME
                : Duration.ofMillis(Math.max(0, context.getRemainingTimeInMillis()));
        JobData data;
        try {
            data = reader.read(event, actionType(context), region);
        } catch (LambdaEventReader.MalformedEventException e) {
            log(context, (e.jobId() == null ? "" : "job " + e.jobId() + ": ") + e.getMessage());
            return failure(FailureType.JOB_FAILED, e.getMessage());
        }
        Duration budget = remaining.minus(options.safetyMargin());
        if (budget.isNegative() || budget.isZero()) {
            String message = "the job timed out before it started: the Lambda had " + remaining.toMillis()
                    + " ms left, no more than the safety margin of " + options.safetyMargin().toMillis()
                    + " ms; raise the function's timeout or lower the safety margin";
            log(context, "job " + data.jobId() + ": " + message);
            return failure(FailureType.JOB_FAILED, message);
        }
        Report report = runHandler(data, budget, context);
        String dropped = LambdaResultWriter.droppedMembers(report);
        if (!dropped.isEmpty()) {
            log(context, "job " + data.jobId() + ": the Lambda result has no place for " + dropped
                    + "; left out");
        }
        log(context, "job " + data.jobId() + ": reporting " + report);
        return report;
    }

    private Report runHandler(JobData data, Duration budget, Context context) {
        Instant deadline = options.clock().instant().plus(budget);
        HandlerInvocation invocation = new HandlerInvocation(handler, validator, codec, options.clock(), scratch,
                configuration, new LambdaContextLogger(context));
        FutureTask<HandlerInvocation.Result> task = new FutureTask<>(() ->
                invocation.run(data, deadline, () -> openStore(data)));
        Thread thread = new Thread(task, "pipeline-worker-lambda-" + data.jobId());
        thread.setDaemon(true);
        thread.start();
        try {
            return task.get(budget.toNanos(), TimeUnit.NANOSECONDS).report();
        } catch (TimeoutException e) {
            task.cancel(true);
            String message = "the job timed out: the handler did not finish within " + budget.toMillis()
                    + " ms (the Lambda's remaining time less the safety margin of "
                    + options.safetyMargin().toMillis() + " ms)";
            log(context, "job " + data.jobId() + ": " + message + "; the handler was interrupted");
            return failure(FailureType.JOB_FAILED, message);
        } catch (InterruptedException e) {
            task.cancel(true);
            Thread.currentThread().interrupt();
            return failure(FailureType.SYSTEM_UNAVAILABLE,
                    "the Lambda invocation was interrupted while the handler ran; its work may be incomplete");
        } catch (ExecutionException e) {
            return validator.validate(OutcomeMapper.fromThrowable(e));
        } finally {
            deleteScratch(data.jobId(), context);
        }
    }

    // After a timeout the handler may still be writing there: what it writes later stays until the
    // execution environment goes.
    private void deleteScratch(String jobId, Context context) {
        try {
            scratch.delete(jobId);
        } catch (IOException e) {
            log(context, "job " + jobId + ": deleting its scratch directory failed: " + e.getClass().getName());
        }
    }

    private ArtifactStore openStore(JobData data) {
        if (artifactStores == null) {
            throw new JobFailureException(FailureType.JOB_FAILED, NO_STORE_MESSAGE);
        }
        return artifactStores.open(ArtifactAccess.builder(data.jobId())
                .inputArtifacts(data.inputArtifacts())
                .outputArtifacts(data.outputArtifacts())
                .encryptionKey(data.encryptionKey())
                .credentials(data.credentials())
                .refresher(() -> {
                    throw new JobFailureException(FailureType.JOB_FAILED, NO_REFRESH_MESSAGE);
                })
                .region(data.region())
                .build());
    }

    private ActionTypeId actionType(Context context) {
        return options.actionType().orElseGet(() ->
                ActionTypeId.thirdParty(ActionCategory.BUILD, provider(context == null ? null
                        : context.getFunctionName()), "1"));
    }

    /** A provider name made from the function name: at most 35 characters of {@code [0-9A-Za-z_-]}. */
    static String provider(String functionName) {
        if (functionName == null || functionName.isBlank()) {
            return "Lambda";
        }
        String name = functionName.replaceAll("[^0-9A-Za-z_-]", "-");
        return name.length() > 35 ? name.substring(0, 35) : name;
    }

    private Report failure(FailureType type, String message) {
        return validator.validate(JobOutcome.fail(type, message));
    }

    static void log(Context context, String line) {
        LambdaLogger logger = context == null ? null : context.getLogger();
        if (logger != null) {
            logger.log(line + "\n");
        }
    }
}

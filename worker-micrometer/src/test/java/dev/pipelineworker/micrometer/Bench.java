package dev.pipelineworker.micrometer;

import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobFailureException;
import dev.pipelineworker.JobHandler;
import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.JobWorker;
import dev.pipelineworker.testkit.LocalCodePipeline;
import dev.pipelineworker.testkit.emulator.JobInfo;
import dev.pipelineworker.testkit.emulator.JobSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * One test's bench: a fresh {@link LocalCodePipeline} that knows a third-party client and two action types, the
 * emulator's own SDK client ({@value #SDK_MAX_ATTEMPTS} attempts per call, short backoffs), and the emulator's quick
 * workers, e.g. running {@link #HANDLER}. {@link #close()} closes the workers it started and the emulator.
 */
final class Bench implements AutoCloseable {

    /** HTTP attempts the SDK client makes per call: a fault on this many calls fails one worker call. */
    static final int SDK_MAX_ATTEMPTS = 3;
    static final Duration WAIT = Duration.ofSeconds(20);

    static final ActionTypeId THIRD_PARTY = ActionTypeId.thirdParty(ActionCategory.BUILD, "MeteredBuild", "1");
    static final ActionTypeId CUSTOM = ActionTypeId.custom(ActionCategory.DEPLOY, "MeteredDeploy", "2");
    static final String CLIENT_ID = "0b9f3c1e-6d2a-4e8b-9c7f-5a4e3d2c1b0a";
    static final String CLIENT_TOKEN = "bench-client-token";

    /**
     * Ends a job as its configuration key {@code Mode} says: {@code success} (the default), {@code fail}
     * (ConfigurationError), {@code throw} (an exception: JobFailed), or {@code continue} (once, then success).
     */
    static final JobHandler HANDLER = context -> {
        String mode = context.configuration().optionalString("Mode").orElse("success");
        return switch (mode) {
            case "fail" -> throw new JobFailureException(FailureType.CONFIGURATION_ERROR, "the bench says no");
            case "throw" -> throw new IllegalStateException("the handler broke");
            case "continue" -> context.continuationToken().isPresent() ? JobOutcome.success("done")
                    : JobOutcome.continueWith("step-2");
            default -> JobOutcome.success("ok");
        };
    };

    private final LocalCodePipeline emulator;
    private final List<JobWorker> workers = new ArrayList<>();

    Bench() {
        this(UnaryOperator.identity());
    }

    /** A bench whose emulator is {@code customisation} applied to the defaults. */
    Bench(UnaryOperator<LocalCodePipeline.Builder> customisation) {
        emulator = customisation.apply(LocalCodePipeline.builder()
                .client(CLIENT_ID, CLIENT_TOKEN)
                .actionType(THIRD_PARTY)
                .actionType(CUSTOM)
                .continuationDelay(Duration.ZERO)).start();
    }

    LocalCodePipeline emulator() {
        return emulator;
    }

    /** A third-party worker running {@code handler}: the emulator's {@link LocalCodePipeline#quickWorkerFor}. */
    JobWorker.Builder thirdParty(JobHandler handler) {
        return emulator.quickWorkerFor(THIRD_PARTY, handler);
    }

    /** A custom-action worker, as {@link #thirdParty} is. */
    JobWorker.Builder custom(JobHandler handler) {
        return emulator.quickWorkerFor(CUSTOM, handler);
    }

    /** Builds the worker; {@link #close()} closes it. */
    JobWorker build(JobWorker.Builder builder) {
        JobWorker worker = builder.build();
        workers.add(worker);
        return worker;
    }

    /** A job of {@code type} in pipeline {@code deploy-pipeline}, stage {@code Release}, action {@code Ship}. */
    static JobSpec.Builder job(ActionTypeId type) {
        JobSpec.Builder spec = JobSpec.builder(type).pipelineName("deploy-pipeline").stageName("Release")
                .actionName("Ship");
        return type.owner() == THIRD_PARTY.owner() ? spec.clientId(CLIENT_ID) : spec;
    }

    /** A job of {@link #THIRD_PARTY} whose handler run ends as {@code mode} says. */
    JobInfo enqueue(String mode) {
        return emulator.enqueue(job(THIRD_PARTY).configuration("Mode", mode).build());
    }

    JobInfo enqueue(JobSpec.Builder spec) {
        return emulator.enqueue(spec.build());
    }

    @Override
    public void close() {
        workers.forEach(JobWorker::close);
        emulator.close();
    }
}

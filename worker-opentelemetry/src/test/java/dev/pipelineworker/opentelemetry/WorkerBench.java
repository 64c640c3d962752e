package dev.pipelineworker.opentelemetry;

import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.JobHandler;
import dev.pipelineworker.JobWorker;
import dev.pipelineworker.testkit.LocalCodePipeline;
import dev.pipelineworker.testkit.emulator.JobInfo;
import dev.pipelineworker.testkit.emulator.JobSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link LocalCodePipeline} serving one third-party action type, and its quick workers; {@link #close()} stops
 * the workers and the emulator.
 */
final class WorkerBench implements AutoCloseable {

    static final ActionTypeId TYPE = ActionTypeId.thirdParty(ActionCategory.BUILD, "AcmeBuild", "1");
    static final Duration WAIT = Duration.ofSeconds(15);
    static final String PIPELINE = "acme-pipeline";
    static final String STAGE = "BuildStage";
    static final String ACTION = "CompileAction";

    private final String clientId;
    private final LocalCodePipeline emulator;
    private final List<JobWorker> workers = new ArrayList<>();

    WorkerBench() {
        this("5b0c2a8e-0d1f-4c3b-8a79-1e2d3c4b5a61", "token-of-the-test-client");
    }

    /** A bench whose emulator knows the one client {@code clientId}, authenticated by {@code clientToken}. */
    WorkerBench(String clientId, String clientToken) {
        this.clientId = clientId;
        emulator = LocalCodePipeline.builder().client(clientId, clientToken).actionType(TYPE)
                .continuationDelay(Duration.ZERO).start();
    }

    LocalCodePipeline emulator() {
        return emulator;
    }

    /** A worker of {@link #TYPE} for the bench's client: the emulator's {@link LocalCodePipeline#quickWorkerFor}. */
    JobWorker.Builder worker(JobHandler handler) {
        return emulator.quickWorkerFor(TYPE, handler);
    }

    /** Builds and starts the worker; {@link #close()} closes it. */
    JobWorker start(JobWorker.Builder builder) {
        JobWorker worker = builder.build();
        workers.add(worker);
        return worker.start();
    }

    /** A job of the test pipeline's action in action execution {@code actionExecutionId}, for the bench's client. */
    JobSpec.Builder job(String actionExecutionId) {
        return JobSpec.builder(TYPE)
                .clientId(clientId)
                .pipelineName(PIPELINE)
                .pipelineArn("arn:aws:codepipeline:us-east-1:111122223333:" + PIPELINE)
                .stageName(STAGE)
                .actionName(ACTION)
                .actionExecutionId(actionExecutionId);
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

package dev.pipelineworker.opentelemetry;

import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.Backoff;
import dev.pipelineworker.ClientTokenProvider;
import dev.pipelineworker.JobHandler;
import dev.pipelineworker.JobWorker;
import dev.pipelineworker.OutcomeJournal;
import dev.pipelineworker.testkit.LocalCodePipeline;
import dev.pipelineworker.testkit.emulator.JobInfo;
import dev.pipelineworker.testkit.emulator.JobSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@link LocalCodePipeline} serving one third-party action type, and workers on its own SDK client with quick
 * backoffs and no journal; {@link #close()} stops the workers and the emulator.
 */
final class WorkerBench implements AutoCloseable {

    static final ActionTypeId TYPE = ActionTypeId.thirdParty(ActionCategory.BUILD, "AcmeBuild", "1");
    static final Duration WAIT = Duration.ofSeconds(15);
    static final String PIPELINE = "acme-pipeline";
    static final String STAGE = "BuildStage";
    static final String ACTION = "CompileAction";

    private static final Backoff QUICK = Backoff.exponential(Duration.ofMillis(10), Duration.ofMillis(50));

    private final String clientId;
    private final String clientToken;
    private final LocalCodePipeline emulator;
    private final List<JobWorker> workers = new ArrayList<>();

    WorkerBench() {
        this("5b0c2a8e-0d1f-4c3b-8a79-1e2d3c4b5a61", "token-of-the-test-client");
    }

    /** A bench whose emulator knows the one client {@code clientId}, authenticated by {@code clientToken}. */
    WorkerBench(String clientId, String clientToken) {
        this.clientId = clientId;
        this.clientToken = clientToken;
        emulator = LocalCodePipeline.builder().client(clientId, clientToken).actionType(TYPE)
                .continuationDelay(Duration.ZERO).start();
    }

    LocalCodePipeline emulator() {
        return emulator;
    }

    /** A worker of {@link #TYPE} on the bench's client and token, with quick backoffs, quick reports, no journal. */
    JobWorker.Builder worker(JobHandler handler) {
        return JobWorker.builder(TYPE, handler)
                .codePipelineClient(emulator.client(emulator.defaultRegion()))
                .clientTokens(ClientTokenProvider.fromMap(Map.of(clientId, clientToken)))
                .idleBackoff(QUICK)
                .errorBackoff(QUICK)
                .throttleBackoff(QUICK)
                .reportRetries(3, Backoff.exponential(Duration.ofMillis(10), Duration.ofMillis(20)))
                .shutdownGrace(Duration.ofSeconds(2))
                .outcomeJournal(OutcomeJournal.disabled());
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

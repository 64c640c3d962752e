package dev.pipelineworker.testkit.emulator.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.testkit.emulator.EventSink;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the EventBridge events of the emulated pipelines in the documented envelope and detail, and hands them
 * to the registered {@link EventSink}s on a thread of its own, in the order they were made, so that a sink that
 * calls a queue over the network never holds the emulator's lock or the call that caused the event.
 */
public final class PipelineEvents implements AutoCloseable {

    static final String ACTION_DETAIL_TYPE = "CodePipeline Action Execution State Change";
    static final String PIPELINE_DETAIL_TYPE = "CodePipeline Pipeline Execution State Change";

    private static final Logger LOG = LoggerFactory.getLogger(PipelineEvents.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<EventSink> sinks = new CopyOnWriteArrayList<>();
    private final ExecutorService publisher = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "local-codepipeline-events");
        thread.setDaemon(true);
        return thread;
    });

    /** Adds a sink; events made from now on go to it too. */
    public void add(EventSink sink) {
        sinks.add(sink);
    }

    /** Removes every sink. */
    public void clear() {
        sinks.clear();
    }

    /** One action execution's state change. */
    void action(String id, Instant time, JobRecord job, String state) {
        var spec = job.spec;
        ObjectNode detail = JSON.createObjectNode()
                .put("pipeline", spec.context().pipelineName())
                .put("execution-id", job.executionId)
                .put("stage", spec.context().stageName())
                .put("action-execution-id", spec.context().actionExecutionId())
                .put("action", spec.context().actionName())
                .put("state", state)
                .put("region", job.region());
        ActionTypeId type = spec.actionType();
        detail.putObject("type").put("owner", type.owner().apiName()).put("category", type.category().apiName())
                .put("provider", type.provider()).put("version", type.version());
        detail.put("version", 1).put("pipeline-execution-attempt", 1);
        publish(envelope(id, time, ACTION_DETAIL_TYPE, job, detail));
    }

    /** One pipeline execution's state change, for the pipeline and execution of {@code job}. */
    void pipeline(String id, Instant time, JobRecord job, String state, String reason) {
        ObjectNode detail = JSON.createObjectNode()
                .put("pipeline", job.spec.context().pipelineName())
                .put("version", 1)
                .put("state", state)
                .put("execution-id", job.executionId)
                .put("pipeline-execution-attempt", 1);
        if (reason != null) {
            detail.put("stop-execution-reason", reason);
        }
        publish(envelope(id, time, PIPELINE_DETAIL_TYPE, job, detail));
    }

    private static String envelope(String id, Instant time, String detailType, JobRecord job, ObjectNode detail) {
        ObjectNode event = JSON.createObjectNode()
                .put("version", "0")
                .put("id", id)
                .put("detail-type", detailType)
                .put("source", "aws.codepipeline")
                .put("account", job.spec.accountId())
                .put("time", time.truncatedTo(ChronoUnit.SECONDS).toString())
                .put("region", job.region());
        event.putArray("resources").add(job.pipelineArn());
        event.set("detail", detail);
        return event.toString();
    }

    private void publish(String event) {
        if (sinks.isEmpty()) {
            return;
        }
        try {
            publisher.execute(() -> sinks.forEach(sink -> {
                try {
                    sink.publish(event);
                } catch (RuntimeException e) {
                    LOG.warn("an event sink failed; the event is lost for it: {}", e.toString());
                }
            }));
        } catch (RejectedExecutionException e) {
            LOG.debug("the emulator is closed; event not published");
        }
    }

    /** Stops publishing; events not yet handed to the sinks are dropped. */
    @Override
    public void close() {
        publisher.shutdownNow();
    }
}

package dev.pipelineworker.events.internal;

import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.JobQueue;
import dev.pipelineworker.PipelineContext;
import dev.pipelineworker.RunningJob;
import dev.pipelineworker.WorkerControl;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * What an event means for the worker: a STARTED action of one of its queues' types in that queue's region wakes
 * the queue's poller; an ABANDONED or CANCELED action, or a STOPPED or CANCELED pipeline execution, cancels the
 * running jobs it names. Every decision holds for an event seen twice or out of order: a second wake-up costs one
 * poll, a second cancel finds no job, and a late cancel of a job already reported finds none either.
 */
public final class EventRouter {

    private static final Set<String> ACTION_ENDED = Set.of("ABANDONED", "CANCELED");
    private static final Set<String> PIPELINE_ENDED = Set.of("STOPPED", "CANCELED");

    private final WorkerControl control;

    public EventRouter(WorkerControl control) {
        this.control = control;
    }

    /** Acts on one event; returns how many queues it woke or jobs it cancelled. */
    public int route(PipelineEvent event) {
        if (event instanceof PipelineEvent.ActionChange action) {
            if ("STARTED".equals(action.state())) {
                return wake(action);
            }
            if (ACTION_ENDED.contains(action.state())) {
                return cancel(action.pipeline(), action.executionId(), action.stage(), action.action(),
                        action.region(), "action execution " + action.state().toLowerCase(Locale.ROOT));
            }
            return 0;
        }
        PipelineEvent.PipelineChange pipeline = (PipelineEvent.PipelineChange) event;
        if (PIPELINE_ENDED.contains(pipeline.state())) {
            return cancel(pipeline.pipeline(), pipeline.executionId(), null, null, pipeline.region(),
                    "pipeline execution " + pipeline.state().toLowerCase(Locale.ROOT));
        }
        return 0;
    }

    private int wake(PipelineEvent.ActionChange action) {
        int woken = 0;
        for (JobQueue queue : control.queues()) {
            ActionTypeId type = queue.actionType();
            if (type.owner().apiName().equals(action.owner()) && type.category().apiName().equals(action.category())
                    && type.provider().equals(action.provider()) && type.version().equals(action.version())
                    && (action.region() == null || queue.region().id().equals(action.region()))) {
                control.wakeUp(queue);
                woken++;
            }
        }
        return woken;
    }

    /**
     * Cancels the running jobs of this pipeline execution (and stage and action, where the event names them).
     * Jobs without a pipeline execution id (third-party jobs) never match.
     */
    private int cancel(String pipelineName, String executionId, String stage, String action, String region,
                       String reason) {
        if (executionId == null) {
            return 0;
        }
        int cancelled = 0;
        for (RunningJob job : control.runningJobs()) {
            PipelineContext context = job.pipeline();
            if (executionId.equals(context.pipelineExecutionId())
                    && Objects.equals(pipelineName, context.pipelineName())
                    && (stage == null || stage.equals(context.stageName()))
                    && (action == null || action.equals(context.actionName()))
                    && (region == null || job.queue().region().id().equals(region))
                    && control.cancel(job.jobId(), reason)) {
                cancelled++;
            }
        }
        return cancelled;
    }
}

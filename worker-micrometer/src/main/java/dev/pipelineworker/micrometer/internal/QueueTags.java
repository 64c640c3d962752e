package dev.pipelineworker.micrometer.internal;

import dev.pipelineworker.JobQueue;
import dev.pipelineworker.PipelineContext;
import dev.pipelineworker.micrometer.MeterNames;
import io.micrometer.core.instrument.Tags;

/** The tags that name a queue, and the opt-in ones that name a pipeline's action; none of them is a secret. */
public final class QueueTags {

    /** The value of an opt-in tag that the job does not carry (a job recovered from the journal, say). */
    public static final String UNKNOWN = "unknown";

    private QueueTags() {
    }

    /** The action type's owner, category, provider and version, and the region. */
    public static Tags of(JobQueue queue) {
        return Tags.of(
                MeterNames.ACTION_OWNER, queue.actionType().owner().apiName(),
                MeterNames.ACTION_CATEGORY, queue.actionType().category().apiName(),
                MeterNames.ACTION_PROVIDER, queue.actionType().provider(),
                MeterNames.ACTION_VERSION, queue.actionType().version(),
                MeterNames.REGION, queue.region().id());
    }

    /** The pipeline, stage and action names, {@link #UNKNOWN} where absent. */
    public static Tags ofPipeline(PipelineContext pipeline) {
        return Tags.of(
                MeterNames.PIPELINE, orUnknown(pipeline == null ? null : pipeline.pipelineName()),
                MeterNames.STAGE, orUnknown(pipeline == null ? null : pipeline.stageName()),
                MeterNames.ACTION, orUnknown(pipeline == null ? null : pipeline.actionName()));
    }

    private static String orUnknown(String value) {
        return value == null || value.isEmpty() ? UNKNOWN : value;
    }
}

package dev.pipelineworker.opentelemetry.internal;

import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.JobQueue;
import dev.pipelineworker.PipelineContext;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import java.util.Locale;

/**
 * The attributes of a job's span: the CI/CD conventions' where they have a key, the worker's own under
 * {@code pipelineworker.} where they have none. Only names and identifiers, never what a job's data holds beyond
 * them (credentials, client tokens, configuration values).
 */
final class SpanAttributes {

    static final AttributeKey<String> PIPELINE_NAME = AttributeKey.stringKey("cicd.pipeline.name");
    static final AttributeKey<String> TASK_NAME = AttributeKey.stringKey("cicd.pipeline.task.name");
    static final AttributeKey<String> TASK_RUN_ID = AttributeKey.stringKey("cicd.pipeline.task.run.id");
    static final AttributeKey<String> PIPELINE_RUN_ID = AttributeKey.stringKey("cicd.pipeline.run.id");
    static final AttributeKey<String> TASK_TYPE = AttributeKey.stringKey("cicd.pipeline.task.type");
    static final AttributeKey<String> TASK_RUN_RESULT = AttributeKey.stringKey("cicd.pipeline.task.run.result");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

    static final AttributeKey<String> JOB_ID = AttributeKey.stringKey("pipelineworker.job.id");
    static final AttributeKey<String> JOB_RESULT = AttributeKey.stringKey("pipelineworker.job.result");
    static final AttributeKey<String> REGION = AttributeKey.stringKey("pipelineworker.region");
    static final AttributeKey<String> ACTION_CATEGORY = AttributeKey.stringKey("pipelineworker.action.category");
    static final AttributeKey<String> ACTION_OWNER = AttributeKey.stringKey("pipelineworker.action.owner");
    static final AttributeKey<String> ACTION_PROVIDER = AttributeKey.stringKey("pipelineworker.action.provider");
    static final AttributeKey<String> ACTION_VERSION = AttributeKey.stringKey("pipelineworker.action.version");
    static final AttributeKey<String> STAGE_NAME = AttributeKey.stringKey("pipelineworker.stage.name");

    private SpanAttributes() {
    }

    /** What is known when the job is polled: its queue and id, given at the span's start for samplers. */
    static Attributes ofPolledJob(JobQueue queue, String jobId) {
        ActionTypeId type = queue.actionType();
        return Attributes.builder()
                .put(TASK_TYPE, taskType(type.category()))
                .put(JOB_ID, jobId)
                .put(REGION, queue.region().id())
                .put(ACTION_CATEGORY, type.category().apiName())
                .put(ACTION_OWNER, type.owner().apiName())
                .put(ACTION_PROVIDER, type.provider())
                .put(ACTION_VERSION, type.version())
                .build();
    }

    /** What the claim told: where in which pipeline the job runs; members CodePipeline left out are left out. */
    static Attributes ofPipeline(PipelineContext pipeline) {
        AttributesBuilder attributes = Attributes.builder();
        if (pipeline != null) {
            putIfPresent(attributes, PIPELINE_NAME, pipeline.pipelineName());
            putIfPresent(attributes, TASK_NAME, pipeline.actionName());
            putIfPresent(attributes, TASK_RUN_ID, pipeline.actionExecutionId());
            putIfPresent(attributes, PIPELINE_RUN_ID, pipeline.pipelineExecutionId());
            putIfPresent(attributes, STAGE_NAME, pipeline.stageName());
        }
        return attributes.build();
    }

    /**
     * The convention's task type: {@code build}, {@code test} and {@code deploy} are its well-known values; the
     * other categories, which it has no value for, by their lower-case names ({@code source}, {@code invoke},
     * {@code approval}, {@code compute}).
     */
    static String taskType(ActionCategory category) {
        return category.apiName().toLowerCase(Locale.ROOT);
    }

    /** The job span's name: the action type's category and provider, e.g. {@code Build AcmeBuild}. */
    static String jobSpanName(ActionTypeId type) {
        return type.category().apiName() + " " + type.provider();
    }

    private static void putIfPresent(AttributesBuilder attributes, AttributeKey<String> key, String value) {
        if (value != null && !value.isEmpty()) {
            attributes.put(key, value);
        }
    }
}

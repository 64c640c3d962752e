package dev.pipelineworker;

/**
 * Where a job comes from: the pipeline, stage and action, and the action execution that all jobs
 * of one continuation chain share. Any member may be {@code null} when CodePipeline omits it.
 */
public record PipelineContext(
        String pipelineName, String stageName, String actionName, String actionExecutionId, String pipelineArn) {
}

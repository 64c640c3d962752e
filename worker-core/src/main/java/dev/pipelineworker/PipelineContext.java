package dev.pipelineworker;

/**
 * Where a job comes from: the pipeline, stage and action, and the action execution that all jobs
 * of one continuation chain share. Any member may be {@code null} when CodePipeline omits it.
 *
 * <p>Build one with {@link #builder()}. The canonical constructor is public because records must
 * have it, but it gains a parameter whenever a member is added; the builder stays as it is.
 */
public record PipelineContext(
        String pipelineName, String stageName, String actionName, String actionExecutionId, String pipelineArn,
        String pipelineExecutionId) {

    /** A builder with every member unset ({@code null}). */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this context's members. */
    public Builder toBuilder() {
        return new Builder().pipelineName(pipelineName).stageName(stageName).actionName(actionName)
                .actionExecutionId(actionExecutionId).pipelineArn(pipelineArn)
                .pipelineExecutionId(pipelineExecutionId);
    }

    /** Collects a {@link PipelineContext}; every member defaults to {@code null}. Not thread-safe. */
    public static final class Builder {
        private String pipelineName;
        private String stageName;
        private String actionName;
        private String actionExecutionId;
        private String pipelineArn;
        private String pipelineExecutionId;

        private Builder() {
        }

        /** The pipeline's name. Default: {@code null}. */
        public Builder pipelineName(String pipelineName) {
            this.pipelineName = pipelineName;
            return this;
        }

        /** The stage's name. Default: {@code null}. */
        public Builder stageName(String stageName) {
            this.stageName = stageName;
            return this;
        }

        /** The action's name. Default: {@code null}. */
        public Builder actionName(String actionName) {
            this.actionName = actionName;
            return this;
        }

        /** The action execution all jobs of one continuation chain share. Default: {@code null}. */
        public Builder actionExecutionId(String actionExecutionId) {
            this.actionExecutionId = actionExecutionId;
            return this;
        }

        /** The pipeline's ARN. Default: {@code null}. */
        public Builder pipelineArn(String pipelineArn) {
            this.pipelineArn = pipelineArn;
            return this;
        }

        /**
         * The pipeline execution the job belongs to, shared by every action of one run of the pipeline, when
         * CodePipeline sends it. Default: unset.
         */
        public Builder pipelineExecutionId(String pipelineExecutionId) {
            this.pipelineExecutionId = pipelineExecutionId;
            return this;
        }

        /** The context. */
        public PipelineContext build() {
            return new PipelineContext(pipelineName, stageName, actionName, actionExecutionId, pipelineArn,
                    pipelineExecutionId);
        }
    }
}

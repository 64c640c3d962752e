package dev.pipelineworker.events.internal;

/** A CodePipeline event the worker acts on, read from EventBridge's envelope; anything else is not one. */
public sealed interface PipelineEvent {

    /**
     * An action execution changed state.
     *
     * @param pipeline    the pipeline's name
     * @param executionId the pipeline execution id
     * @param stage       the stage's name (may be null)
     * @param action      the action's name (may be null)
     * @param state       the new state, upper case, e.g. {@code STARTED}
     * @param region      the pipeline's region
     * @param owner       the action type's owner, e.g. {@code Custom}
     * @param category    its category, e.g. {@code Build}
     * @param provider    its provider
     * @param version     its version, as text whether the event carried a number or a string
     */
    record ActionChange(String pipeline, String executionId, String stage, String action, String state,
                        String region, String owner, String category, String provider, String version)
            implements PipelineEvent {
    }

    /**
     * A pipeline execution changed state.
     *
     * @param pipeline    the pipeline's name
     * @param executionId the pipeline execution id
     * @param state       the new state, upper case, e.g. {@code STOPPED}
     * @param region      the pipeline's region
     */
    record PipelineChange(String pipeline, String executionId, String state, String region)
            implements PipelineEvent {
    }
}

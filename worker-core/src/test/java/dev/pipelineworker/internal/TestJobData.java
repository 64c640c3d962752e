package dev.pipelineworker.internal;

import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionConfiguration;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.ArtifactCredentials;
import dev.pipelineworker.PipelineContext;
import java.util.List;
import java.util.Map;

/** The job data core's unit tests hand to handlers: a third-party build job with one configuration key. */
public final class TestJobData {

    public static final ActionTypeId ACTION = ActionTypeId.thirdParty(ActionCategory.BUILD, "Fake", "1");

    private TestJobData() {
    }

    /** A job {@code jobId} of pipeline "pipe", stage "Build", action "Act", execution "exec-{jobId}". */
    public static JobData of(String jobId) {
        return new JobData(jobId, "111122223333", ACTION,
                PipelineContext.builder().pipelineName("pipe").stageName("Build").actionName("Act")
                        .actionExecutionId("exec-" + jobId).build(),
                ActionConfiguration.of(Map.of("Key", "value")), List.of(), List.of(), null,
                ArtifactCredentials.of("AKIAFAKE", "secret", "session"), null);
    }
}

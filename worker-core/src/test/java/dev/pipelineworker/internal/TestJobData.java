package dev.pipelineworker.internal;

import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionConfiguration;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.ArtifactCredentials;
import dev.pipelineworker.JobQueue;
import dev.pipelineworker.PipelineContext;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.regions.Region;

/** The job data core's unit tests hand to handlers: a third-party build job with one configuration key. */
public final class TestJobData {

    public static final ActionTypeId ACTION = ActionTypeId.thirdParty(ActionCategory.BUILD, "Fake", "1");

    private TestJobData() {
    }

    /** A job {@code jobId} of pipeline "pipe", stage "Build", action "Act", execution "exec-{jobId}", in us-east-1. */
    public static JobData of(String jobId) {
        return of(jobId, JobQueue.of(ACTION, Region.US_EAST_1));
    }

    /** As {@link #of(String)}, from {@code queue}: its action type and region. */
    public static JobData of(String jobId, JobQueue queue) {
        return new JobData(jobId, "111122223333", queue.actionType(),
                PipelineContext.builder().pipelineName("pipe").stageName("Build").actionName("Act")
                        .actionExecutionId("exec-" + jobId).build(),
                ActionConfiguration.of(Map.of("Key", "value")), List.of(), List.of(), null,
                ArtifactCredentials.of("AKIAFAKE", "secret", "session"), null, queue.region());
    }
}

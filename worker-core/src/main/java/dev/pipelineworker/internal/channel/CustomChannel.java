package dev.pipelineworker.internal.channel;

import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.ArtifactCredentials;
import dev.pipelineworker.JobFailureException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;
import software.amazon.awssdk.services.codepipeline.model.AcknowledgeJobResponse;
import software.amazon.awssdk.services.codepipeline.model.InvalidNonceException;
import software.amazon.awssdk.services.codepipeline.model.Job;
import software.amazon.awssdk.services.codepipeline.model.JobDetails;
import software.amazon.awssdk.services.codepipeline.model.JobNotFoundException;
import software.amazon.awssdk.services.codepipeline.model.JobStatus;

/** Custom jobs: polls return whole jobs with their nonce; acknowledging claims them. */
public final class CustomChannel implements JobChannel {

    private final CodePipelineClient client;
    private final ActionTypeId actionType;
    private final software.amazon.awssdk.services.codepipeline.model.ActionTypeId sdkActionType;
    private final Map<String, String> queryParam;
    private final Acknowledgement acknowledgement;

    /** {@code queryParam} holds at most one entry and may be empty. */
    public CustomChannel(CodePipelineClient client, ActionTypeId actionType, Map<String, String> queryParam,
                         Acknowledgement acknowledgement) {
        this.client = client;
        this.acknowledgement = acknowledgement;
        this.actionType = actionType;
        this.sdkActionType = SdkModel.toSdk(actionType);
        this.queryParam = Map.copyOf(queryParam);
    }

    @Override
    public List<PolledJob> poll(int maxBatchSize) {
        return client.pollForJobs(r -> {
            r.actionTypeId(sdkActionType).maxBatchSize(maxBatchSize);
            if (!queryParam.isEmpty()) {
                r.queryParam(queryParam);
            }
        }).jobs().stream().map(j -> new PolledJob(j.id(), null, j)).toList();
    }

    @Override
    public ClaimResult claim(PolledJob polled, BooleanSupplier stillWanted) {
        Job job = (Job) polled.job();
        if (job.nonce() == null) {
            return new ClaimResult.Lost("the polled job carries no nonce");
        }
        if (!stillWanted.getAsBoolean()) {
            return new ClaimResult.Skipped("the worker is shutting down");
        }
        try {
            Optional<AcknowledgeJobResponse> ack = acknowledgement.send(
                    () -> client.acknowledgeJob(r -> r.jobId(job.id()).nonce(job.nonce())),
                    () -> true); // a custom job's details carry no nonce to compare
            if (ack.isPresent() && ack.get().status() != JobStatus.IN_PROGRESS) {
                return new ClaimResult.Lost("acknowledged with status " + ack.get().statusAsString());
            }
        } catch (InvalidNonceException e) {
            return new ClaimResult.Lost("another worker acknowledged it first");
        } catch (JobNotFoundException e) {
            return new ClaimResult.Lost("the job no longer exists");
        }
        try {
            return new ClaimResult.Claimed(new ClaimedJob(job.id(), null, null,
                    SdkModel.fromCustom(job.id(), job.accountId(), actionType, job.data()), null));
        } catch (JobFailureException e) {
            return new ClaimResult.Claimed(new ClaimedJob(job.id(), null, null, null, e));
        }
    }

    @Override
    public ClaimedJob restore(String jobId, String clientId) {
        return new ClaimedJob(jobId, null, null, null, null);
    }

    @Override
    public void report(ClaimedJob job, Report report) {
        if (report instanceof Report.Success s) {
            client.putJobSuccessResult(r -> {
                r.jobId(job.jobId())
                        .executionDetails(SdkModel.executionDetails(s))
                        .currentRevision(SdkModel.currentRevision(s))
                        .continuationToken(s.continuationToken());
                if (!s.outputVariables().isEmpty()) {
                    r.outputVariables(s.outputVariables());
                }
            });
        } else if (report instanceof Report.Failure f) {
            client.putJobFailureResult(r -> r
                    .jobId(job.jobId())
                    .failureDetails(SdkModel.failureDetails(f)));
        }
    }

    @Override
    public ArtifactCredentials refreshCredentials(ClaimedJob job) {
        JobDetails details = client.getJobDetails(r -> r.jobId(job.jobId())).jobDetails();
        return details == null || details.data() == null ? null
                : SdkModel.credentials(details.data().artifactCredentials());
    }
}

package dev.pipelineworker.internal.channel;

import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.ArtifactCredentials;
import dev.pipelineworker.JobFailureException;
import dev.pipelineworker.JobQueue;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;
import software.amazon.awssdk.services.codepipeline.model.Job;
import software.amazon.awssdk.services.codepipeline.model.JobDetails;

/** Custom jobs: polls return whole jobs with their nonce; acknowledging claims them. */
public final class CustomChannel implements JobChannel {

    private final CodePipelineClient client;
    private final software.amazon.awssdk.services.codepipeline.model.ActionTypeId sdkActionType;
    private final Map<String, String> queryParam;
    private final Acknowledgement acknowledgement;
    private final JobQueue queue;

    /** {@code queryParam} holds at most one entry and may be empty. */
    public CustomChannel(CodePipelineClient client, ActionTypeId actionType, Map<String, String> queryParam,
                         Acknowledgement acknowledgement) {
        this.client = client;
        this.acknowledgement = acknowledgement;
        this.sdkActionType = SdkModel.toSdk(actionType);
        this.queryParam = Map.copyOf(queryParam);
        this.queue = JobQueue.of(actionType, client.serviceClientConfiguration().region());
    }

    @Override
    public JobQueue queue() {
        return queue;
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
    public ClaimResult claim(PolledJob polled, ClaimGate gate) {
        Job job = (Job) polled.job();
        if (job.nonce() == null) {
            return new ClaimResult.Lost("the polled job carries no nonce");
        }
        if (!gate.beforeAcknowledge(new PendingClaim(job.id(), null, job.nonce()))) {
            return new ClaimResult.Skipped("the worker is shutting down");
        }
        return acknowledge(job.id(), job.nonce(), false, () -> claimed(job));
    }

    /**
     * A refused nonce is taken as spent by the earlier run: a custom job's details carry no nonce to compare, so a
     * job handed to another worker after the earlier run's acknowledgement went overdue is failed by this one (the
     * weaker guarantee {@link Acknowledgement} describes).
     */
    @Override
    public ClaimResult reclaim(PendingClaim claim) {
        return acknowledge(claim.jobId(), claim.nonce(), true,
                () -> new ClaimedJob(claim.jobId(), null, null, null, null));
    }

    private ClaimResult acknowledge(String jobId, String nonce, boolean mayAlreadyBeApplied,
                                    Supplier<ClaimedJob> owned) {
        return acknowledgement.acknowledge(() -> client.acknowledgeJob(r -> r.jobId(jobId).nonce(nonce)).status(),
                mayAlreadyBeApplied, () -> true, owned); // a custom job's details carry no nonce to compare
    }

    private ClaimedJob claimed(Job job) {
        try {
            return new ClaimedJob(job.id(), null, null,
                    SdkModel.fromCustom(job.id(), job.accountId(), queue, job.data()), null);
        } catch (JobFailureException e) {
            return new ClaimedJob(job.id(), null, null, null, e);
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

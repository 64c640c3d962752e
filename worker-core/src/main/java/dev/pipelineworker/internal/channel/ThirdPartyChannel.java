package dev.pipelineworker.internal.channel;

import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.ArtifactCredentials;
import dev.pipelineworker.ClientTokenProvider;
import dev.pipelineworker.JobFailureException;
import dev.pipelineworker.internal.JobData;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;
import software.amazon.awssdk.services.codepipeline.model.AcknowledgeThirdPartyJobResponse;
import software.amazon.awssdk.services.codepipeline.model.InvalidNonceException;
import software.amazon.awssdk.services.codepipeline.model.JobNotFoundException;
import software.amazon.awssdk.services.codepipeline.model.JobStatus;
import software.amazon.awssdk.services.codepipeline.model.ThirdPartyJobDetails;

/** Third-party jobs: poll for ids, read details with the client token, acknowledge with the nonce. */
public final class ThirdPartyChannel implements JobChannel {

    private static final int MAX_CLIENT_TOKEN = 256;

    private final CodePipelineClient client;
    private final ActionTypeId actionType;
    private final software.amazon.awssdk.services.codepipeline.model.ActionTypeId sdkActionType;
    private final ClientTokenProvider clientTokens;
    private final Acknowledgement acknowledgement;

    public ThirdPartyChannel(CodePipelineClient client, ActionTypeId actionType, ClientTokenProvider clientTokens,
                             Acknowledgement acknowledgement) {
        this.client = client;
        this.acknowledgement = acknowledgement;
        this.actionType = actionType;
        this.sdkActionType = SdkModel.toSdk(actionType);
        this.clientTokens = clientTokens;
    }

    @Override
    public List<PolledJob> poll(int maxBatchSize) {
        return client.pollForThirdPartyJobs(r -> r.actionTypeId(sdkActionType).maxBatchSize(maxBatchSize))
                .jobs().stream()
                .map(j -> new PolledJob(j.jobId(), j.clientId(), null))
                .toList();
    }

    @Override
    public ClaimResult claim(PolledJob job, BooleanSupplier stillWanted) {
        Optional<String> token = clientTokens.clientToken(job.clientId());
        if (token.isEmpty() || token.get().isEmpty() || token.get().length() > MAX_CLIENT_TOKEN) {
            return new ClaimResult.Skipped("no valid client token (1-256 characters) is configured for clientId "
                    + job.clientId());
        }
        String clientToken = token.get();
        ThirdPartyJobDetails details;
        try {
            details = client.getThirdPartyJobDetails(r -> r.jobId(job.jobId()).clientToken(clientToken)).jobDetails();
        } catch (JobNotFoundException e) {
            return new ClaimResult.Lost("the job no longer exists");
        }
        if (details == null || details.nonce() == null) {
            return new ClaimResult.Lost("the job details carry no nonce");
        }
        if (!stillWanted.getAsBoolean()) {
            return new ClaimResult.Skipped("the worker is shutting down");
        }
        try {
            Optional<AcknowledgeThirdPartyJobResponse> ack = acknowledgement.send(() -> client.acknowledgeThirdPartyJob(
                    r -> r.jobId(job.jobId()).nonce(details.nonce()).clientToken(clientToken)),
                    () -> nonceUnchanged(job.jobId(), clientToken, details.nonce()));
            if (ack.isPresent() && ack.get().status() != JobStatus.IN_PROGRESS) {
                return new ClaimResult.Lost("acknowledged with status " + ack.get().statusAsString());
            }
        } catch (InvalidNonceException e) {
            return new ClaimResult.Lost("another worker acknowledged it first");
        } catch (JobNotFoundException e) {
            return new ClaimResult.Lost("the job no longer exists");
        }
        return new ClaimResult.Claimed(claimed(job, details, clientToken));
    }

    /**
     * Whether the job still has this nonce, i.e. was not handed to another worker since. When the details cannot
     * be read, the job is taken as ours, as a custom job is: a job left unreported hangs its pipeline for an hour.
     */
    private boolean nonceUnchanged(String jobId, String clientToken, String nonce) {
        try {
            ThirdPartyJobDetails now = client.getThirdPartyJobDetails(r -> r.jobId(jobId).clientToken(clientToken))
                    .jobDetails();
            return now != null && nonce.equals(now.nonce());
        } catch (JobNotFoundException e) {
            return false;
        } catch (RuntimeException e) {
            return true;
        }
    }

    private ClaimedJob claimed(PolledJob job, ThirdPartyJobDetails details, String clientToken) {
        try {
            JobData data = SdkModel.fromThirdParty(job.jobId(), actionType, details.data());
            return new ClaimedJob(job.jobId(), job.clientId(), clientToken, data, null);
        } catch (JobFailureException e) {
            return new ClaimedJob(job.jobId(), job.clientId(), clientToken, null, e);
        }
    }

    @Override
    public ClaimedJob restore(String jobId, String clientId) {
        String clientToken = clientTokens.clientToken(clientId).orElseThrow(() -> new IllegalStateException(
                "no client token is configured for clientId " + clientId));
        return new ClaimedJob(jobId, clientId, clientToken, null, null);
    }

    @Override
    public void report(ClaimedJob job, Report report) {
        if (report instanceof Report.Success s) {
            client.putThirdPartyJobSuccessResult(r -> r
                    .jobId(job.jobId())
                    .clientToken(job.clientToken())
                    .executionDetails(SdkModel.executionDetails(s))
                    .currentRevision(SdkModel.currentRevision(s))
                    .continuationToken(s.continuationToken()));
        } else if (report instanceof Report.Failure f) {
            client.putThirdPartyJobFailureResult(r -> r
                    .jobId(job.jobId())
                    .clientToken(job.clientToken())
                    .failureDetails(SdkModel.failureDetails(f)));
        }
    }

    @Override
    public ArtifactCredentials refreshCredentials(ClaimedJob job) {
        ThirdPartyJobDetails details = client.getThirdPartyJobDetails(
                r -> r.jobId(job.jobId()).clientToken(job.clientToken())).jobDetails();
        return details == null || details.data() == null ? null
                : SdkModel.credentials(details.data().artifactCredentials());
    }
}

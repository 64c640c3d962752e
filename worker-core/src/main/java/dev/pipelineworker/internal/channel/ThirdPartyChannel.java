package dev.pipelineworker.internal.channel;

import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.ArtifactCredentials;
import dev.pipelineworker.ClientTokenProvider;
import dev.pipelineworker.JobFailureException;
import dev.pipelineworker.JobQueue;
import dev.pipelineworker.internal.JobData;
import dev.pipelineworker.internal.TransientErrors;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;
import software.amazon.awssdk.services.codepipeline.model.JobNotFoundException;
import software.amazon.awssdk.services.codepipeline.model.ThirdPartyJobDetails;

/** Third-party jobs: poll for ids, read details with the client token, acknowledge with the nonce. */
public final class ThirdPartyChannel implements JobChannel {

    /** How many times a refused claim reads the job's details to learn whether its nonce is still current. */
    private static final int NONCE_READS = 3;

    private static final int MAX_CLIENT_TOKEN = 256;

    private final CodePipelineClient client;
    private final software.amazon.awssdk.services.codepipeline.model.ActionTypeId sdkActionType;
    private final ClientTokenProvider clientTokens;
    private final Acknowledgement acknowledgement;
    private final JobQueue queue;

    public ThirdPartyChannel(CodePipelineClient client, ActionTypeId actionType, ClientTokenProvider clientTokens,
                             Acknowledgement acknowledgement) {
        this.client = client;
        this.acknowledgement = acknowledgement;
        this.sdkActionType = SdkModel.toSdk(actionType);
        this.clientTokens = clientTokens;
        this.queue = JobQueue.of(actionType, client.serviceClientConfiguration().region());
    }

    @Override
    public JobQueue queue() {
        return queue;
    }

    @Override
    public List<PolledJob> poll(int maxBatchSize) {
        return client.pollForThirdPartyJobs(r -> r.actionTypeId(sdkActionType).maxBatchSize(maxBatchSize))
                .jobs().stream()
                .map(j -> new PolledJob(j.jobId(), j.clientId(), null))
                .toList();
    }

    @Override
    public ClaimResult claim(PolledJob job, ClaimGate gate) {
        Optional<String> token = clientToken(job.clientId());
        if (token.isEmpty()) {
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
        if (!gate.beforeAcknowledge(new PendingClaim(job.jobId(), job.clientId(), details.nonce()))) {
            return new ClaimResult.Skipped("the worker is shutting down");
        }
        return acknowledge(job.jobId(), clientToken, details.nonce(), false,
                () -> claimed(job, details, clientToken));
    }

    @Override
    public ClaimResult reclaim(PendingClaim claim) {
        Optional<String> token = clientToken(claim.clientId());
        if (token.isEmpty()) {
            return new ClaimResult.Lost("no valid client token is configured for clientId " + claim.clientId()
                    + " any more");
        }
        String clientToken = token.get();
        return acknowledge(claim.jobId(), clientToken, claim.nonce(), true,
                () -> new ClaimedJob(claim.jobId(), claim.clientId(), clientToken, null, null));
    }

    private ClaimResult acknowledge(String jobId, String clientToken, String nonce, boolean mayAlreadyBeApplied,
                                    Supplier<ClaimedJob> owned) {
        return acknowledgement.acknowledge(() -> client.acknowledgeThirdPartyJob(
                        r -> r.jobId(jobId).nonce(nonce).clientToken(clientToken)).status(),
                mayAlreadyBeApplied, () -> nonceUnchanged(jobId, clientToken, nonce), owned);
    }

    private Optional<String> clientToken(String clientId) {
        return clientTokens.clientToken(clientId)
                .filter(token -> !token.isEmpty() && token.length() <= MAX_CLIENT_TOKEN);
    }

    /**
     * Whether the job still has this nonce, i.e. was not handed to another worker since. A read that gets no
     * answer is made again, up to {@link #NONCE_READS} reads (each with the SDK's own retries): the job has just
     * been refused, so another worker may well hold it, and taking it as ours would run it twice. When the details
     * still cannot be read, the job is taken as ours, as a custom job is: a job left unreported hangs its pipeline
     * for an hour.
     */
    private boolean nonceUnchanged(String jobId, String clientToken, String nonce) {
        for (int read = 1; ; read++) {
            try {
                ThirdPartyJobDetails now = client.getThirdPartyJobDetails(
                        r -> r.jobId(jobId).clientToken(clientToken)).jobDetails();
                return now != null && nonce.equals(now.nonce());
            } catch (JobNotFoundException e) {
                return false;
            } catch (RuntimeException e) {
                if (read >= NONCE_READS || !TransientErrors.isTransient(e)) {
                    return true;
                }
            }
        }
    }

    private ClaimedJob claimed(PolledJob job, ThirdPartyJobDetails details, String clientToken) {
        try {
            JobData data = SdkModel.fromThirdParty(job.jobId(), queue, details.data());
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

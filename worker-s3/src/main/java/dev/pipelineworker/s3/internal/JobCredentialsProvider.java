package dev.pipelineworker.s3.internal;

import dev.pipelineworker.ArtifactAccess.CredentialsRefresher;
import dev.pipelineworker.ArtifactCredentials;
import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobFailureException;
import dev.pipelineworker.internal.SharedInternal;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * One job's artifact credentials, as the job's own S3 client sees them. The SDK asks for credentials
 * on every request, so replacing them after a refresh re-signs all later requests of this job, and
 * only of this job.
 */
@SharedInternal
public final class JobCredentialsProvider implements AwsCredentialsProvider {

    private final String jobId;
    private final CredentialsRefresher refresher;
    private AwsCredentials current;

    public JobCredentialsProvider(String jobId, ArtifactCredentials initial, CredentialsRefresher refresher) {
        this.jobId = jobId;
        this.refresher = refresher;
        this.current = initial == null ? null : toSdk(initial);
    }

    @Override
    public synchronized AwsCredentials resolveCredentials() {
        if (current == null) {
            current = fetch();
        }
        return current;
    }

    /**
     * Replaces {@code expired} by fresh credentials, unless a concurrent request of the same job
     * already did: one expiry costs one refresh, however many requests saw it.
     */
    public synchronized void refresh(AwsCredentials expired) {
        if (current == null || current == expired) {
            current = fetch();
        }
    }

    private AwsCredentials fetch() {
        ArtifactCredentials fresh;
        try {
            fresh = refresher.refresh();
        } catch (JobFailureException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new JobFailureException(FailureType.PERMISSION_ERROR,
                    "Could not refresh the artifact credentials of job " + jobId, e);
        }
        if (fresh == null) {
            throw new JobFailureException(FailureType.PERMISSION_ERROR,
                    "Job " + jobId + " has no artifact credentials");
        }
        return toSdk(fresh);
    }

    private static AwsCredentials toSdk(ArtifactCredentials credentials) {
        if (credentials.sessionToken() == null || credentials.sessionToken().isEmpty()) {
            return AwsBasicCredentials.create(credentials.accessKeyId(), credentials.secretAccessKey());
        }
        return AwsSessionCredentials.create(credentials.accessKeyId(), credentials.secretAccessKey(),
                credentials.sessionToken());
    }

    @Override
    public String toString() {
        return "JobCredentialsProvider[job=" + jobId + ", credentials=redacted]";
    }
}

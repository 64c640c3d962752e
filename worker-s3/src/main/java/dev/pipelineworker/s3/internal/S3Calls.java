package dev.pipelineworker.s3.internal;

import dev.pipelineworker.Artifact;
import dev.pipelineworker.s3.internal.S3Failures.Operation;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentials;

/**
 * Runs one job's S3 requests with the expired-credentials rule: a request refused because the job's
 * credentials expired is sent once more after a refresh (one refresh however many requests saw the
 * same credentials expire). Requests can be started now and awaited later, so several upload parts
 * can be in flight while each keeps that rule.
 */
final class S3Calls {

    private static final Logger LOG = LoggerFactory.getLogger(S3Calls.class);

    private final String jobId;
    private final JobCredentialsProvider credentials;

    S3Calls(String jobId, JobCredentialsProvider credentials) {
        this.jobId = jobId;
        this.credentials = credentials;
    }

    /** Runs a request and waits for its response. */
    <T> T call(Operation operation, Artifact artifact, Supplier<CompletableFuture<T>> request) throws IOException {
        return start(request).await(operation, artifact);
    }

    /** Sends a request without waiting; {@link InFlight#await} applies the rule. */
    <T> InFlight<T> start(Supplier<CompletableFuture<T>> request) {
        return new InFlight<>(request, credentials.resolveCredentials(), request.get());
    }

    /** A request sent and not yet awaited. */
    final class InFlight<T> {
        private final Supplier<CompletableFuture<T>> request;
        private final AwsCredentials signedWith;
        private CompletableFuture<T> response;

        private InFlight(Supplier<CompletableFuture<T>> request, AwsCredentials signedWith,
                         CompletableFuture<T> response) {
            this.request = request;
            this.signedWith = signedWith;
            this.response = response;
        }

        /** Waits for the response, resending once after a refresh when the credentials had expired. */
        T await(Operation operation, Artifact artifact) throws IOException {
            try {
                return awaitResponse();
            } catch (ExecutionException e) {
                if (!S3Failures.isExpiredCredentials(e.getCause())) {
                    throw S3Failures.toJobFailure(operation, artifact, e.getCause());
                }
            }
            LOG.info("Artifact credentials of job {} expired while accessing artifact '{}'; refreshing them",
                    jobId, artifact.name());
            credentials.refresh(signedWith);
            response = request.get();
            try {
                return awaitResponse();
            } catch (ExecutionException e) {
                throw S3Failures.toJobFailure(operation, artifact, e.getCause());
            }
        }

        /** Cancels the request if it is still running. */
        void cancel() {
            response.cancel(true);
        }

        private T awaitResponse() throws ExecutionException, InterruptedIOException {
            try {
                return response.get();
            } catch (InterruptedException e) {
                response.cancel(true);
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for S3");
            }
        }
    }
}

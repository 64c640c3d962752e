package dev.pipelineworker.internal;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * The one rule for which CodePipeline errors are transient: worth another call once the SDK's own retries gave up,
 * because CodePipeline may not have seen the call, or may have applied it while its answer was lost. It is the
 * rule the SDK itself retries by (I/O errors and unreadable answers, throttling, 429 and 5xx), so the worker's
 * slower layer of retries covers exactly what the SDK's fast one does, only for longer. Modelled 400 errors
 * ({@code InvalidNonceException}, {@code JobNotFoundException}, {@code ValidationException}, ...) are answers,
 * never transient.
 */
public final class TransientErrors {

    private TransientErrors() {
    }

    /** Whether {@code error} is worth another attempt. */
    public static boolean isTransient(Throwable error) {
        if (error instanceof SdkClientException) {
            return true;
        }
        return error instanceof AwsServiceException e
                && (e.isThrottlingException() || e.statusCode() >= 500 || e.statusCode() == 429);
    }

    /** Whether {@code error} says CodePipeline is throttling this caller, which calls for a longer backoff. */
    public static boolean isThrottling(Throwable error) {
        return error instanceof AwsServiceException e && (e.isThrottlingException() || e.statusCode() == 429);
    }
}

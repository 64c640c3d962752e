package dev.pipelineworker.s3.internal;

import dev.pipelineworker.Artifact;
import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobFailureException;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Turns what the SDK throws, after its own retries, into the failure CodePipeline should see.
 * Messages name the artifact and its bucket and key, and carry S3's error code and message with
 * anything shaped like an access key id blanked out.
 */
public final class S3Failures {

    /** What the store was doing, for the message. */
    public enum Operation {
        READ("read input"), WRITE("write output");

        private final String verb;

        Operation(String verb) {
            this.verb = verb;
        }
    }

    private static final Set<String> EXPIRED_CODES =
            Set.of("ExpiredToken", "ExpiredTokenException", "TokenRefreshRequired");
    private static final Set<String> MISSING_CODES = Set.of("NoSuchKey", "NoSuchBucket", "NotFound", "NoSuchUpload",
            "InvalidObjectState");
    private static final Set<String> DENIED_CODES = Set.of("AccessDenied", "AllAccessDisabled", "InvalidAccessKeyId",
            "SignatureDoesNotMatch", "InvalidToken", "AccountProblem");
    private static final Set<String> THROTTLE_CODES = Set.of("SlowDown", "Throttling", "ThrottlingException",
            "RequestLimitExceeded", "TooManyRequestsException", "ServiceUnavailable", "InternalError");
    private static final Pattern ACCESS_KEY_ID = Pattern.compile("\\b(AKIA|ASIA|AROA|AIDA)[A-Z0-9]{12,}\\b");
    private static final int MAX_S3_MESSAGE = 500;

    private S3Failures() {
    }

    /** True when S3 refused the request because the job's session credentials have expired. */
    public static boolean isExpiredCredentials(Throwable error) {
        AwsServiceException service = serviceException(error);
        return service != null && (service.statusCode() == 400 || service.statusCode() == 403)
                && EXPIRED_CODES.contains(errorCode(service));
    }

    /** The job failure for {@code error}, which happened while doing {@code operation} on {@code artifact}. */
    public static JobFailureException toJobFailure(Operation operation, Artifact artifact, Throwable error) {
        Throwable cause = unwrap(error);
        for (Throwable t = cause; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof JobFailureException failure) {
                return failure;
            }
        }
        String subject = "Could not " + operation.verb + " artifact '" + artifact.name() + "' (" + artifact.location()
                + "): ";
        AwsServiceException service = serviceException(cause);
        if (service != null) {
            return new JobFailureException(classify(service), subject + describe(service), cause);
        }
        if (cause instanceof SdkClientException) {
            return new JobFailureException(FailureType.SYSTEM_UNAVAILABLE,
                    subject + "S3 could not be reached: " + scrub(String.valueOf(cause.getMessage())), cause);
        }
        return new JobFailureException(FailureType.JOB_FAILED,
                subject + cause.getClass().getSimpleName() + ": " + scrub(String.valueOf(cause.getMessage())), cause);
    }

    static FailureType classify(AwsServiceException service) {
        String code = errorCode(service);
        int status = service.statusCode();
        if (MISSING_CODES.contains(code) || status == 404) {
            return FailureType.REVISION_UNAVAILABLE;
        }
        if (code.startsWith("KMS.")) {
            return code.contains("AccessDenied") || status == 403
                    ? FailureType.PERMISSION_ERROR : FailureType.CONFIGURATION_ERROR;
        }
        if (DENIED_CODES.contains(code) || EXPIRED_CODES.contains(code) || status == 403) {
            return FailureType.PERMISSION_ERROR;
        }
        if (THROTTLE_CODES.contains(code) || service.isThrottlingException() || status == 429 || status >= 500) {
            return FailureType.SYSTEM_UNAVAILABLE;
        }
        return FailureType.JOB_FAILED;
    }

    private static String describe(AwsServiceException service) {
        String code = errorCode(service);
        String what = switch (classify(service)) {
            case REVISION_UNAVAILABLE -> "the object or bucket does not exist";
            case PERMISSION_ERROR -> EXPIRED_CODES.contains(code)
                    ? "the artifact credentials have expired" : "access denied";
            case CONFIGURATION_ERROR -> "the pipeline's KMS key cannot be used";
            case SYSTEM_UNAVAILABLE -> "S3 is unavailable or throttling, even after retries";
            default -> "S3 refused the request";
        };
        StringBuilder message = new StringBuilder(what).append(" [")
                .append(code.isEmpty() ? "no error code" : code)
                .append(", HTTP ").append(service.statusCode());
        if (service.requestId() != null) {
            message.append(", request id ").append(service.requestId());
        }
        message.append(']');
        String s3Message = service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorMessage();
        if (s3Message != null && !s3Message.isBlank()) {
            String scrubbed = scrub(s3Message);
            message.append(": ").append(scrubbed.length() > MAX_S3_MESSAGE
                    ? scrubbed.substring(0, MAX_S3_MESSAGE) + "..." : scrubbed);
        }
        return message.toString();
    }

    private static String errorCode(AwsServiceException service) {
        String code = service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
        return code == null ? "" : code;
    }

    private static String scrub(String text) {
        return ACCESS_KEY_ID.matcher(text).replaceAll("[redacted]");
    }

    private static AwsServiceException serviceException(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof AwsServiceException service) {
                return service;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    /** Strips the wrappers that futures add around the SDK's exception. */
    public static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}

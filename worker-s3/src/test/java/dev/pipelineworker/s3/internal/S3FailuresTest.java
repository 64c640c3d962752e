package dev.pipelineworker.s3.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipelineworker.Artifact;
import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobFailureException;
import dev.pipelineworker.S3Location;
import dev.pipelineworker.s3.internal.S3Failures.Operation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Which failure CodePipeline sees for what S3 answered, and what its message says (and does not). */
class S3FailuresTest {

    private static final Artifact SRC = Artifact.of("src", S3Location.of("artifacts", "in.zip"));

    @ParameterizedTest(name = "{0} HTTP {1} -> {2}")
    @CsvSource({
        "NoSuchKey, 404, REVISION_UNAVAILABLE",
        "NoSuchBucket, 404, REVISION_UNAVAILABLE",
        "NoSuchUpload, 400, REVISION_UNAVAILABLE",
        "InvalidObjectState, 403, REVISION_UNAVAILABLE",
        "'', 404, REVISION_UNAVAILABLE",
        "KMS.AccessDeniedException, 400, PERMISSION_ERROR",
        "KMS.NotFoundException, 403, PERMISSION_ERROR",
        "KMS.DisabledException, 400, CONFIGURATION_ERROR",
        "KMS.KMSInvalidStateException, 500, CONFIGURATION_ERROR",
        "AccessDenied, 400, PERMISSION_ERROR",
        "InvalidAccessKeyId, 400, PERMISSION_ERROR",
        "ExpiredToken, 400, PERMISSION_ERROR",
        "TokenRefreshRequired, 400, PERMISSION_ERROR",
        "SomethingElse, 403, PERMISSION_ERROR",
        "SlowDown, 400, SYSTEM_UNAVAILABLE",
        "InternalError, 400, SYSTEM_UNAVAILABLE",
        "BandwidthLimitExceeded, 400, SYSTEM_UNAVAILABLE",
        "SomethingElse, 429, SYSTEM_UNAVAILABLE",
        "SomethingElse, 500, SYSTEM_UNAVAILABLE",
        "'', 503, SYSTEM_UNAVAILABLE",
        "SomethingElse, 499, JOB_FAILED",
        "InvalidArgument, 400, JOB_FAILED",
        "'', 400, JOB_FAILED",
    })
    void s3sAnswerIsClassifiedByItsCodeAndStatus(String code, int status, FailureType type) {
        assertThat(S3Failures.classify(s3(status, code.isEmpty() ? null : code, null))).isEqualTo(type);
        assertThat(S3Failures.toJobFailure(Operation.READ, SRC, s3(status, code.isEmpty() ? null : code, null)).type())
                .isEqualTo(type);
    }

    @Test
    void anAnswerWithoutErrorDetailsIsClassifiedByItsStatus() {
        AwsServiceException notFound = AwsServiceException.builder().statusCode(404).build();
        AwsServiceException unavailable = AwsServiceException.builder().statusCode(503).build();

        assertThat(S3Failures.classify(notFound)).isEqualTo(FailureType.REVISION_UNAVAILABLE);
        assertThat(S3Failures.toJobFailure(Operation.READ, SRC, unavailable))
                .hasMessage("Could not read input artifact 'src' (s3://artifacts/in.zip): S3 is unavailable or "
                        + "throttling, even after retries [no error code, HTTP 503]");
    }

    @ParameterizedTest(name = "{0} HTTP {1} -> {2}")
    @CsvSource({
        "ExpiredToken, 400, true",
        "ExpiredTokenException, 403, true",
        "TokenRefreshRequired, 400, true",
        "ExpiredToken, 401, false",
        "ExpiredToken, 399, false",
        "ExpiredToken, 404, false",
        "ExpiredToken, 500, false",
        "AccessDenied, 403, false",
        "InvalidToken, 400, false",
    })
    void onlyAnExpiryCodeIn400Or403IsExpiredCredentials(String code, int status, boolean expired) {
        assertThat(S3Failures.isExpiredCredentials(s3(status, code, null))).isEqualTo(expired);
        assertThat(S3Failures.isExpiredCredentials(new CompletionException(new IOException(s3(status, code, null)))))
                .as("found through the futures' wrappers and causes").isEqualTo(expired);
    }

    @Test
    void whatIsNoServiceAnswerIsNotExpiredCredentials() {
        assertThat(S3Failures.isExpiredCredentials(SdkClientException.create("ExpiredToken"))).isFalse();
        assertThat(S3Failures.isExpiredCredentials(new IOException("ExpiredToken"))).isFalse();
        assertThat(S3Failures.isExpiredCredentials(AwsServiceException.builder().statusCode(400).build())).isFalse();
        assertThat(S3Failures.isExpiredCredentials(new SelfCaused())).isFalse();
    }

    @Test
    void theMessageNamesTheOperationTheArtifactTheCodeTheStatusTheRequestAndS3sMessage() {
        Artifact out = Artifact.of("out", S3Location.of("bucket", "dir/out.zip"));

        JobFailureException failure = S3Failures.toJobFailure(Operation.WRITE, out,
                s3(403, "AccessDenied", "req-1", "not allowed"));

        assertThat(failure).hasMessage("Could not write output artifact 'out' (s3://bucket/dir/out.zip): access denied"
                + " [AccessDenied, HTTP 403, request id req-1]: not allowed");
        assertThat(failure.getCause()).isInstanceOf(S3Exception.class);
    }

    @ParameterizedTest(name = "{0} HTTP {1}")
    @CsvSource({
        "NoSuchKey, 404, the object or bucket does not exist",
        "ExpiredToken, 400, the artifact credentials have expired",
        "AccessDenied, 403, access denied",
        "KMS.DisabledException, 400, the pipeline's KMS key cannot be used",
        "SlowDown, 503, 'S3 is unavailable or throttling, even after retries'",
        "InvalidArgument, 400, S3 refused the request",
    })
    void eachKindOfFailureSaysWhatWentWrong(String code, int status, String what) {
        assertThat(S3Failures.toJobFailure(Operation.READ, SRC, s3(status, code, "r", "m")))
                .hasMessage("Could not read input artifact 'src' (s3://artifacts/in.zip): " + what + " [" + code
                        + ", HTTP " + status + ", request id r]: m");
    }

    @Test
    void aBlankS3MessageIsLeftOut() {
        assertThat(S3Failures.toJobFailure(Operation.READ, SRC, s3(400, "InvalidArgument", null, "  ")))
                .hasMessageEndingWith("S3 refused the request [InvalidArgument, HTTP 400]");
        assertThat(S3Failures.toJobFailure(Operation.READ, SRC, s3(400, "InvalidArgument", null, "")))
                .hasMessageEndingWith("S3 refused the request [InvalidArgument, HTTP 400]");
    }

    @Test
    void s3sMessageIsCutAt500CharactersAndAccessKeyIdsAreBlankedOut() {
        String exactly500 = "m".repeat(500);
        String longer = "a".repeat(499) + "bc";
        String withKeys = "user AKIAABCDEFGHIJKLMNOP and ASIAABCDEFGHIJKL1234 but not AKIAshort or AKIA12345678901";

        assertThat(S3Failures.toJobFailure(Operation.READ, SRC, s3(400, "X", null, exactly500)))
                .hasMessageEndingWith("]: " + exactly500);
        assertThat(S3Failures.toJobFailure(Operation.READ, SRC, s3(400, "X", null, longer)))
                .hasMessageEndingWith("]: " + "a".repeat(499) + "b...");
        assertThat(S3Failures.toJobFailure(Operation.READ, SRC, s3(400, "X", null, withKeys)))
                .hasMessageEndingWith("]: user [redacted] and [redacted] but not AKIAshort or AKIA12345678901");
    }

    @Test
    void anUnreachableS3IsSystemUnavailableWithTheClientsMessageScrubbed() {
        JobFailureException failure = S3Failures.toJobFailure(Operation.READ, SRC, new CompletionException(
                SdkClientException.create("Unable to connect as AROAABCDEFGHIJKLMNOP")));

        assertThat(failure.type()).isEqualTo(FailureType.SYSTEM_UNAVAILABLE);
        assertThat(failure).hasMessage("Could not read input artifact 'src' (s3://artifacts/in.zip): S3 could not be "
                + "reached: Unable to connect as [redacted]");
        assertThat(failure.getCause()).isInstanceOf(SdkClientException.class);
    }

    @Test
    void anyOtherErrorFailsTheJobNamingItsType() {
        JobFailureException failure = S3Failures.toJobFailure(Operation.WRITE, SRC,
                new ExecutionException(new IllegalStateException("AIDAABCDEFGHIJKLMNOP broke")));

        assertThat(failure.type()).isEqualTo(FailureType.JOB_FAILED);
        assertThat(failure).hasMessage("Could not write output artifact 'src' (s3://artifacts/in.zip): "
                + "IllegalStateException: [redacted] broke");
        assertThat(failure.getCause()).isInstanceOf(IllegalStateException.class);
        assertThat(S3Failures.toJobFailure(Operation.WRITE, SRC, new IOException()))
                .hasMessageEndingWith("IOException: null");
    }

    @Test
    void aJobFailureAlreadyInTheChainIsKeptAsItIs() {
        JobFailureException refused = new JobFailureException(FailureType.CONFIGURATION_ERROR, "refused");

        assertThat(S3Failures.toJobFailure(Operation.READ, SRC, refused)).isSameAs(refused);
        assertThat(S3Failures.toJobFailure(Operation.READ, SRC,
                new CompletionException(new UncheckedIOException(new IOException(refused))))).isSameAs(refused);
        assertThat(S3Failures.toJobFailure(Operation.READ, SRC, new SelfCaused()).type())
                .isEqualTo(FailureType.JOB_FAILED);
    }

    @Test
    void unwrapStripsOnlyTheFuturesWrappers() {
        IOException io = new IOException("io");

        assertThat(S3Failures.unwrap(new CompletionException(new ExecutionException(io)))).isSameAs(io);
        assertThat(S3Failures.unwrap(new UncheckedIOException(io))).isInstanceOf(UncheckedIOException.class);
        CompletionException empty = new CompletionException("no cause", null);
        assertThat(S3Failures.unwrap(empty)).isSameAs(empty);
        assertThat(S3Failures.unwrap(io)).isSameAs(io);
    }

    private static AwsServiceException s3(int status, String code, String requestId) {
        return s3(status, code, requestId, null);
    }

    private static AwsServiceException s3(int status, String code, String requestId, String message) {
        return S3Exception.builder().statusCode(status).requestId(requestId)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).build())
                .build();
    }

    /** A throwable whose cause is itself, as some libraries' exceptions report it: the walks must end. */
    private static final class SelfCaused extends RuntimeException {
        SelfCaused() {
            super("self");
        }

        @Override
        public synchronized Throwable getCause() {
            return this;
        }
    }
}

package dev.pipelineworker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.codepipeline.model.InvalidNonceException;
import software.amazon.awssdk.services.codepipeline.model.JobNotFoundException;

/** Which errors the worker's slower retries take on (the SDK's own rule) and which call for throttling's backoff. */
class TransientErrorsTest {

    @Test
    void clientSideErrorsAreTransientButNotThrottling() {
        SdkClientException io = SdkClientException.create("connection reset", new IOException("reset"));

        assertThat(TransientErrors.isTransient(io)).isTrue();
        assertThat(TransientErrors.isThrottling(io)).isFalse();
    }

    @Test
    void serverErrorsAreTransientButNotThrottling() {
        assertThat(TransientErrors.isTransient(service(500, "InternalFailure"))).isTrue();
        assertThat(TransientErrors.isTransient(service(503, "ServiceUnavailable"))).isTrue();
        assertThat(TransientErrors.isThrottling(service(503, "ServiceUnavailable"))).isFalse();
    }

    @Test
    void throttlingIsTransientWhetherByCodeOrByStatus() {
        AwsServiceException byCode = service(400, "ThrottlingException");
        AwsServiceException byStatus = service(429, "TooManyRequests");

        assertThat(TransientErrors.isTransient(byCode)).isTrue();
        assertThat(TransientErrors.isThrottling(byCode)).isTrue();
        assertThat(TransientErrors.isTransient(byStatus)).isTrue();
        assertThat(TransientErrors.isThrottling(byStatus)).isTrue();
    }

    @Test
    void modelledAnswersAndOtherClientErrorsAreNeither() {
        AwsServiceException notFound = JobNotFoundException.builder().statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("JobNotFoundException").build()).build();
        AwsServiceException badNonce = InvalidNonceException.builder().statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("InvalidNonceException").build()).build();

        for (Throwable answer : new Throwable[] {notFound, badNonce, service(499, "ClientClosed"),
                service(403, "AccessDeniedException"), new IllegalStateException("not from the SDK")}) {
            assertThat(TransientErrors.isTransient(answer)).as("%s", answer).isFalse();
            assertThat(TransientErrors.isThrottling(answer)).as("%s", answer).isFalse();
        }
    }

    private static AwsServiceException service(int status, String code) {
        return AwsServiceException.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).build()).build();
    }
}

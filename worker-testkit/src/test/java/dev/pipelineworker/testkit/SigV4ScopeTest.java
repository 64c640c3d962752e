package dev.pipelineworker.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SigV4ScopeTest {

    @Test
    void readsTheCredentialScopeOfASigV4AuthorizationHeader() {
        String header = "AWS4-HMAC-SHA256 Credential=ASIAJOBKEY/20250101/ap-southeast-2/s3/aws4_request, "
                + "SignedHeaders=host;x-amz-date, Signature=0123abcd";

        assertThat(SigV4Scope.fromAuthorization(header))
                .contains(new SigV4Scope("ASIAJOBKEY", "20250101", "ap-southeast-2", "s3"));
    }

    @Test
    void findsNoScopeInAMissingOrForeignHeader() {
        assertThat(SigV4Scope.fromAuthorization(null)).isEmpty();
        assertThat(SigV4Scope.fromAuthorization("Bearer abc")).isEmpty();
        assertThat(SigV4Scope.fromAuthorization("AWS4-HMAC-SHA256 Credential=AKID/2025/us-east-1/s3/aws4_request"))
                .as("a date that is not yyyyMMdd").isEmpty();
    }
}

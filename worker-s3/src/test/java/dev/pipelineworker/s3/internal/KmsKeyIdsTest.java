package dev.pipelineworker.s3.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipelineworker.EncryptionKey;
import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobFailureException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KmsKeyIdsTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "1234abcd-12ab-34cd-56ef-1234567890ab",
        "mrk-1234abcd12ab34cd56ef1234567890ab",
        "alias/codepipeline-artifacts",
        "arn:aws:kms:us-east-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        "arn:aws:kms:us-east-2:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab",
        "arn:aws:kms:us-east-2:111122223333:alias/ExampleAlias",
        "arn:aws-us-gov:kms:us-gov-west-1:111122223333:alias/gov",
        "arn:aws-cn:kms:cn-north-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    })
    void acceptsKeyIdsKeyArnsAliasesAndAliasArns(String id) {
        assertThat(KmsKeyIds.requireValid(EncryptionKey.kms(id))).isEqualTo(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "my key",
        "1234abcd",
        "arn:aws:kms:us-east-2:111122223333:key/not-a-uuid",
        "arn:aws:s3:::bucket",
        "arn:aws:kms:us-east-2:1111:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        "alias/",
        " 1234abcd-12ab-34cd-56ef-1234567890ab",
    })
    void refusesAnythingElseWithAConfigurationError(String id) {
        assertThatThrownBy(() -> KmsKeyIds.requireValid(EncryptionKey.kms(id)))
                .isInstanceOf(JobFailureException.class)
                .hasMessageContaining("is not a KMS key id, key ARN, alias name or alias ARN")
                .satisfies(e -> assertThat(((JobFailureException) e).type()).isEqualTo(FailureType.CONFIGURATION_ERROR));
    }

    @ParameterizedTest
    @ValueSource(strings = {"AES256", "SSE-C"})
    void refusesKeysThatAreNotKms(String type) {
        assertThatThrownBy(() -> KmsKeyIds.requireValid(new EncryptionKey("1234abcd-12ab-34cd-56ef-1234567890ab", type)))
                .isInstanceOf(JobFailureException.class)
                .hasMessageContaining("only KMS keys are supported");
    }
}

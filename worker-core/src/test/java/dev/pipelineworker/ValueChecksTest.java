package dev.pipelineworker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.regions.Region;

/**
 * The checks the small values of the API make on what they are given, the API names they parse, and what their
 * {@code toString} shows (never a secret).
 */
class ValueChecksTest {

    @Test
    void zipLimitsDefaultToAHundredThousandEntriesEightGibibytesAndTwoHundredToOne() {
        assertThat(ZipLimits.defaults()).isEqualTo(new ZipLimits(100_000, 8L * 1024 * 1024 * 1024, 200));
        assertThat(ZipLimits.RATIO_CHECK_THRESHOLD_BYTES).isEqualTo(1024 * 1024);
    }

    @Test
    void eachZipLimitIsAtLeastOne() {
        ZipLimits defaults = ZipLimits.defaults();

        assertThatCode(() -> new ZipLimits(1, 1, 1)).doesNotThrowAnyException();
        assertThatThrownBy(() -> defaults.withMaxEntries(0)).hasMessage("zip limits must be positive");
        assertThatThrownBy(() -> defaults.withMaxTotalUncompressedBytes(0)).hasMessage("zip limits must be positive");
        assertThatThrownBy(() -> defaults.withMaxCompressionRatio(0)).hasMessage("zip limits must be positive");
    }

    @Test
    void aFixedTokenProviderKnowsACopyOfItsClientsAndPrintsNoToken() {
        Map<String, String> tokens = new HashMap<>(Map.of("client-a", "token-a", "client-b", "token-b"));

        ClientTokenProvider provider = ClientTokenProvider.fromMap(tokens);
        tokens.put("client-c", "token-c");

        assertThat(provider.clientToken("client-a")).hasValue("token-a");
        assertThat(provider.clientToken("client-c")).isEmpty();
        assertThat(provider.knownClients()).hasValue(2);
        assertThat(provider).hasToString("ClientTokenProvider[2 clients, tokens redacted]");
        ClientTokenProvider lookup = clientId -> java.util.Optional.empty();
        assertThat(lookup.knownClients()).as("a provider of its own cannot tell").isEmpty();
    }

    @Test
    void apiNamesParseIgnoringCaseExceptFailureTypesWhichMatchExactly() {
        assertThat(ActionCategory.fromApiName("build")).isEqualTo(ActionCategory.BUILD);
        assertThat(ActionCategory.fromApiName("Compute")).isEqualTo(ActionCategory.COMPUTE);
        assertThat(ActionOwner.fromApiName("thirdparty")).isEqualTo(ActionOwner.THIRD_PARTY);
        assertThat(ActionOwner.fromApiName("Custom")).isEqualTo(ActionOwner.CUSTOM);
        assertThat(FailureType.fromApiName("RevisionOutOfSync")).hasValue(FailureType.REVISION_OUT_OF_SYNC);
        assertThat(FailureType.fromApiName("jobfailed")).isEmpty();
        assertThatThrownBy(() -> ActionCategory.fromApiName("Ship")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown action category 'Ship'; expected one of Source, Build, Deploy, Test, Invoke, "
                        + "Approval, Compute");
        assertThatThrownBy(() -> ActionOwner.fromApiName("AWS")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown action owner 'AWS'; expected ThirdParty or Custom");
    }

    @Test
    void anEncryptionKeyIdIsOneToFourHundredCharactersAndItsTypeIsKms() {
        assertThat(new EncryptionKey("k".repeat(400), null)).isEqualTo(EncryptionKey.kms("k".repeat(400)));
        assertThat(new EncryptionKey("k", null).type()).isEqualTo("KMS");
        assertThat(new EncryptionKey("k", "KMS2").type()).as("a type CodePipeline may add is kept").isEqualTo("KMS2");
        assertThatThrownBy(() -> EncryptionKey.kms("")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("encryptionKey.id must be 1-400 characters, got 0");
        assertThatThrownBy(() -> EncryptionKey.kms("k".repeat(401))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("encryptionKey.id must be 1-400 characters, got 401");
        assertThatThrownBy(() -> EncryptionKey.kms(null)).hasMessage("id");
    }

    @Test
    void valuesPrintWhatTheyAreAndCredentialsPrintNothing() {
        assertThat(S3Location.of("bucket", "dir/in.zip")).hasToString("s3://bucket/dir/in.zip");
        assertThat(ArtifactCredentials.of("AKID", "secret", "session")).hasToString("ArtifactCredentials[redacted]");
        ActionTypeId type = ActionTypeId.thirdParty(ActionCategory.DEPLOY, "Tool", "2");
        assertThat(JobQueue.of(type, Region.EU_WEST_1)).hasToString("ThirdParty/Deploy/Tool/2@eu-west-1");
        assertThat(JobQueue.of(type, Region.EU_WEST_1).id()).isEqualTo("ThirdParty/Deploy/Tool/2@eu-west-1");
    }

    @ParameterizedTest
    @EnumSource(JobObserver.JobEnding.Result.class)
    void anEndingIsAFailureWhenAFailureWasAccepted(JobObserver.JobEnding.Result result) {
        boolean failure = result == JobObserver.JobEnding.Result.FAILED
                || result == JobObserver.JobEnding.Result.TIMED_OUT || result == JobObserver.JobEnding.Result.CUT_OFF;

        assertThat(JobObserver.JobEnding.of(result).isFailure()).isEqualTo(failure);
        assertThat(JobObserver.JobEnding.failed(FailureType.JOB_FAILED))
                .isEqualTo(new JobObserver.JobEnding(JobObserver.JobEnding.Result.FAILED, FailureType.JOB_FAILED));
    }

    @Test
    void requiredMembersAreNamedWhenMissing() {
        assertThatThrownBy(() -> S3Location.of(null, "k")).hasMessage("bucketName");
        assertThatThrownBy(() -> S3Location.of("b", null)).hasMessage("objectKey");
        assertThatThrownBy(() -> Artifact.of(null, S3Location.of("b", "k"))).hasMessage("name");
        assertThatThrownBy(() -> ArtifactCredentials.of(null, "s", null)).hasMessage("accessKeyId");
        assertThatThrownBy(() -> ArtifactCredentials.of("a", null, null)).hasMessage("secretAccessKey");
        assertThatThrownBy(() -> CurrentRevision.of(null, "c")).hasMessage("revision");
        assertThatThrownBy(() -> CurrentRevision.of("r", null)).hasMessage("changeIdentifier");
        assertThatThrownBy(() -> JobQueue.of(null, Region.EU_WEST_1)).hasMessage("actionType");
        assertThatThrownBy(() -> JobQueue.of(ActionTypeId.custom(ActionCategory.BUILD, "T", "1"), null))
                .hasMessage("region");
    }
}

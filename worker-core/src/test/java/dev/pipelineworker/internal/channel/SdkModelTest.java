package dev.pipelineworker.internal.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionConfiguration;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.Artifact;
import dev.pipelineworker.ArtifactCredentials;
import dev.pipelineworker.EncryptionKey;
import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobFailureException;
import dev.pipelineworker.JobQueue;
import dev.pipelineworker.PipelineContext;
import dev.pipelineworker.S3Location;
import dev.pipelineworker.internal.JobData;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.codepipeline.model.AWSSessionCredentials;
import software.amazon.awssdk.services.codepipeline.model.ActionContext;
import software.amazon.awssdk.services.codepipeline.model.ArtifactLocation;
import software.amazon.awssdk.services.codepipeline.model.StageContext;
import software.amazon.awssdk.services.codepipeline.model.ThirdPartyJobData;

/**
 * How the job data CodePipeline sends becomes the {@link JobData} a handler sees: every member, what an absent
 * member becomes, and which gaps make the job malformed (failed at once with a message naming what is missing)
 * rather than handed to a handler that would fail on it later.
 */
class SdkModelTest {

    private static final ActionTypeId QUEUED_TYPE = ActionTypeId.thirdParty(ActionCategory.BUILD, "AcmeBuild", "1");
    private static final JobQueue QUEUE = JobQueue.of(QUEUED_TYPE, Region.EU_WEST_1);

    private static software.amazon.awssdk.services.codepipeline.model.Artifact artifact(String name, String bucket,
                                                                                        String key) {
        return software.amazon.awssdk.services.codepipeline.model.Artifact.builder().name(name).revision("rev-" + name)
                .location(ArtifactLocation.builder().type("S3")
                        .s3Location(l -> l.bucketName(bucket).objectKey(key)).build())
                .build();
    }

    private static JobData thirdParty(UnaryOperator<ThirdPartyJobData.Builder> data) {
        return SdkModel.fromThirdParty("job-1", QUEUE, data.apply(ThirdPartyJobData.builder()).build());
    }

    private static JobData custom(UnaryOperator<software.amazon.awssdk.services.codepipeline.model.JobData.Builder> data) {
        return SdkModel.fromCustom("job-1", "111122223333", QUEUE,
                data.apply(software.amazon.awssdk.services.codepipeline.model.JobData.builder()).build());
    }

    private static void assertMalformed(Runnable read, String why) {
        assertThatThrownBy(read::run).isInstanceOfSatisfying(JobFailureException.class,
                e -> assertThat(e.type()).isEqualTo(FailureType.JOB_FAILED))
                .hasMessage("malformed job data: " + why);
    }

    // ---------------------------------------------------------------- every member present

    @Test
    void everyMemberOfAThirdPartyJobIsMapped() {
        JobData data = thirdParty(d -> d
                .actionTypeId(a -> a.category("Build").owner("ThirdParty").provider("AcmeBuild").version("1"))
                .pipelineContext(p -> p.pipelineName("acme-pipeline").pipelineArn("arn:aws:codepipeline:eu-west-1:1:acme")
                        .pipelineExecutionId("pe-1").stage(StageContext.builder().name("Build").build())
                        .action(ActionContext.builder().name("Compile").actionExecutionId("exec-1").build()))
                .actionConfiguration(c -> c.configuration(Map.of("Target", "all")))
                .inputArtifacts(artifact("Source", "in-bucket", "p/Source/in.zip"))
                .outputArtifacts(artifact("Built", "out-bucket", "p/Built/out.zip"), artifact("Docs", "out-bucket", "d"))
                .encryptionKey(k -> k.id("arn:aws:kms:eu-west-1:1:key/k-1").type("KMS"))
                .artifactCredentials(c -> c.accessKeyId("ASIAKEY").secretAccessKey("secret").sessionToken("session"))
                .continuationToken("state-1"));

        assertThat(data.jobId()).isEqualTo("job-1");
        assertThat(data.accountId()).isNull();
        assertThat(data.actionTypeId()).isEqualTo(QUEUED_TYPE);
        assertThat(data.pipeline()).isEqualTo(new PipelineContext("acme-pipeline", "Build", "Compile", "exec-1",
                "arn:aws:codepipeline:eu-west-1:1:acme", "pe-1"));
        assertThat(data.configuration().asMap()).isEqualTo(Map.of("Target", "all"));
        assertThat(data.inputArtifacts()).containsExactly(
                new Artifact("Source", S3Location.of("in-bucket", "p/Source/in.zip"), "rev-Source"));
        assertThat(data.outputArtifacts()).containsExactly(
                new Artifact("Built", S3Location.of("out-bucket", "p/Built/out.zip"), "rev-Built"),
                new Artifact("Docs", S3Location.of("out-bucket", "d"), "rev-Docs"));
        assertThat(data.encryptionKey()).isEqualTo(EncryptionKey.kms("arn:aws:kms:eu-west-1:1:key/k-1"));
        assertThat(data.credentials()).isEqualTo(ArtifactCredentials.of("ASIAKEY", "secret", "session"));
        assertThat(data.continuationToken()).isEqualTo("state-1");
        assertThat(data.region()).isEqualTo(Region.EU_WEST_1);
    }

    @Test
    void everyMemberOfACustomJobIsMappedWithItsAccount() {
        JobData data = custom(d -> d
                .actionTypeId(a -> a.category("Deploy").owner("Custom").provider("AcmeDeploy").version("2"))
                .pipelineContext(p -> p.pipelineName("acme-pipeline").pipelineArn("arn").pipelineExecutionId("pe-1")
                        .stage(StageContext.builder().name("Deploy").build())
                        .action(ActionContext.builder().name("Ship").actionExecutionId("exec-2").build()))
                .actionConfiguration(c -> c.configuration(Map.of("Env", "prod")))
                .inputArtifacts(artifact("Built", "b", "k"))
                .encryptionKey(k -> k.id("alias/acme").type("KMS"))
                .artifactCredentials(c -> c.accessKeyId("ASIAKEY").secretAccessKey("secret").sessionToken("session"))
                .continuationToken("state-2"));

        assertThat(data.accountId()).isEqualTo("111122223333");
        assertThat(data.actionTypeId()).isEqualTo(ActionTypeId.custom(ActionCategory.DEPLOY, "AcmeDeploy", "2"));
        assertThat(data.pipeline()).isEqualTo(new PipelineContext("acme-pipeline", "Deploy", "Ship", "exec-2", "arn",
                "pe-1"));
        assertThat(data.configuration().asMap()).isEqualTo(Map.of("Env", "prod"));
        assertThat(data.inputArtifacts()).containsExactly(new Artifact("Built", S3Location.of("b", "k"), "rev-Built"));
        assertThat(data.outputArtifacts()).isEmpty();
        assertThat(data.encryptionKey()).isEqualTo(EncryptionKey.kms("alias/acme"));
        assertThat(data.credentials()).isEqualTo(ArtifactCredentials.of("ASIAKEY", "secret", "session"));
        assertThat(data.continuationToken()).isEqualTo("state-2");
        assertThat(data.region()).isEqualTo(Region.EU_WEST_1);
    }

    // ---------------------------------------------------------------- absent members

    @Test
    void absentOptionalMembersOfAThirdPartyJobBecomeNullOrEmpty() {
        JobData data = thirdParty(d -> d);

        assertThat(data.actionTypeId()).as("the queue's action type").isEqualTo(QUEUED_TYPE);
        assertThat(data.pipeline()).isEqualTo(PipelineContext.builder().build());
        assertThat(data.configuration()).isEqualTo(ActionConfiguration.empty());
        assertThat(data.inputArtifacts()).isEmpty();
        assertThat(data.outputArtifacts()).isEmpty();
        assertThat(data.encryptionKey()).isNull();
        assertThat(data.credentials()).isNull();
        assertThat(data.continuationToken()).isNull();
    }

    @Test
    void absentOptionalMembersOfACustomJobBecomeNullOrEmpty() {
        JobData data = custom(d -> d);

        assertThat(data.actionTypeId()).isEqualTo(QUEUED_TYPE);
        assertThat(data.pipeline()).isEqualTo(PipelineContext.builder().build());
        assertThat(data.configuration()).isEqualTo(ActionConfiguration.empty());
        assertThat(data.encryptionKey()).isNull();
        assertThat(data.credentials()).isNull();
        assertThat(data.continuationToken()).isNull();
    }

    @Test
    void aPipelineContextWithoutStageOrActionKeepsItsOtherMembers() {
        JobData data = thirdParty(d -> d.pipelineContext(p -> p.pipelineName("acme-pipeline").pipelineArn("arn")
                .pipelineExecutionId("pe-1")));

        assertThat(data.pipeline()).isEqualTo(new PipelineContext("acme-pipeline", null, null, null, "arn", "pe-1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Nonsense", ""})
    void anUnreadableActionTypeInTheDataFallsBackToTheQueuesActionType(String category) {
        assertThat(thirdParty(d -> d.actionTypeId(a -> a.category(category).owner("ThirdParty").provider("AcmeBuild")
                .version("1"))).actionTypeId()).isEqualTo(QUEUED_TYPE);
        assertThat(thirdParty(d -> d.actionTypeId(a -> a.owner("ThirdParty").provider("AcmeBuild").version("1")))
                .actionTypeId()).isEqualTo(QUEUED_TYPE);
        assertThat(thirdParty(d -> d.actionTypeId(a -> a.category("Build").owner("ThirdParty").version("1")))
                .actionTypeId()).isEqualTo(QUEUED_TYPE);
    }

    @Test
    void theDatasActionTypeIsTheOneTheHandlerSees() {
        assertThat(thirdParty(d -> d.actionTypeId(a -> a.category("Test").owner("ThirdParty").provider("AcmeBuild")
                .version("3"))).actionTypeId()).isEqualTo(ActionTypeId.thirdParty(ActionCategory.TEST, "AcmeBuild", "3"));
    }

    @Test
    void anArtifactWithoutARevisionIsMapped() {
        var withoutRevision = artifact("Source", "b", "k").toBuilder().revision(null).build();

        assertThat(thirdParty(d -> d.inputArtifacts(withoutRevision)).inputArtifacts())
                .containsExactly(Artifact.of("Source", S3Location.of("b", "k")));
    }

    // ---------------------------------------------------------------- malformed data

    @Test
    void missingJobDataIsMalformed() {
        assertMalformed(() -> SdkModel.fromThirdParty("job-1", QUEUE, null), "the job details carry no job data");
        assertMalformed(() -> SdkModel.fromCustom("job-1", "111122223333", QUEUE, null), "the job carries no job data");
    }

    @Test
    void anArtifactWithoutAnyPartOfItsLocationIsMalformedNamingItsKindAndName() {
        var complete = artifact("Source", "b", "k");
        assertMalformed(() -> thirdParty(d -> d.inputArtifacts(complete.toBuilder().name(null).build())),
                "the input artifact 'null' has no S3 location");
        assertMalformed(() -> thirdParty(d -> d.outputArtifacts(complete.toBuilder().location((ArtifactLocation) null)
                .build())), "the output artifact 'Source' has no S3 location");
        assertMalformed(() -> thirdParty(d -> d.inputArtifacts(complete.toBuilder()
                .location(ArtifactLocation.builder().type("S3").build()).build())),
                "the input artifact 'Source' has no S3 location");
        assertMalformed(() -> thirdParty(d -> d.inputArtifacts(artifact("Source", null, "k"))),
                "the input artifact 'Source' has no S3 location");
        assertMalformed(() -> custom(d -> d.outputArtifacts(artifact("Built", "b", null))),
                "the output artifact 'Built' has no S3 location");
    }

    @Test
    void anEncryptionKeyOfAnotherTypeThanKmsIsMalformed() {
        assertMalformed(() -> thirdParty(d -> d.encryptionKey(k -> k.id("k-1").type("AES"))),
                "the job's encryption key has type 'AES'; only KMS is supported");
        assertMalformed(() -> custom(d -> d.encryptionKey(k -> k.id("k-1"))),
                "the job's encryption key has type 'null'; only KMS is supported");
    }

    @Test
    void aKmsKeyWithoutAnIdIsMalformed() {
        assertMalformed(() -> thirdParty(d -> d.encryptionKey(k -> k.type("KMS"))), "the job's encryption key has no id");
        assertMalformed(() -> thirdParty(d -> d.encryptionKey(k -> k.id("").type("KMS"))),
                "the job's encryption key has no id");
    }

    // ---------------------------------------------------------------- credentials

    @Test
    void credentialsWithoutTheirKeyOrSecretAreNone() {
        assertThat(SdkModel.credentials(null)).isNull();
        assertThat(SdkModel.credentials(AWSSessionCredentials.builder().secretAccessKey("secret").sessionToken("s")
                .build())).isNull();
        assertThat(SdkModel.credentials(AWSSessionCredentials.builder().accessKeyId("ASIAKEY").sessionToken("s")
                .build())).isNull();
    }

    @Test
    void longLivedCredentialsHaveNoSessionToken() {
        assertThat(SdkModel.credentials(AWSSessionCredentials.builder().accessKeyId("AKIAKEY").secretAccessKey("secret")
                .build())).isEqualTo(ArtifactCredentials.of("AKIAKEY", "secret", null));
    }

    @Test
    void theActionTypeIsSentWithItsApiNames() {
        assertThat(SdkModel.toSdk(ActionTypeId.custom(ActionCategory.APPROVAL, "AcmeGate", "9")))
                .isEqualTo(software.amazon.awssdk.services.codepipeline.model.ActionTypeId.builder()
                        .category("Approval").owner("Custom").provider("AcmeGate").version("9").build());
    }
}

package dev.pipelineworker.testkit.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.actiontype.ActionTypeDefinition;
import dev.pipelineworker.actiontype.ArtifactCount;
import dev.pipelineworker.actiontype.ConfigurationProperty;
import dev.pipelineworker.actiontype.PropertyType;
import dev.pipelineworker.actiontype.RegistrationFiles;
import dev.pipelineworker.testkit.LocalCodePipeline;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;
import software.amazon.awssdk.services.codepipeline.model.ActionConfigurationProperty;
import software.amazon.awssdk.services.codepipeline.model.ActionOwner;
import software.amazon.awssdk.services.codepipeline.model.ActionType;
import software.amazon.awssdk.services.codepipeline.model.ActionTypeDeclaration;
import software.amazon.awssdk.services.codepipeline.model.ActionTypeNotFoundException;
import software.amazon.awssdk.services.codepipeline.model.ArtifactDetails;
import software.amazon.awssdk.services.codepipeline.model.CodePipelineException;
import software.amazon.awssdk.services.codepipeline.model.GetActionTypeResponse;
import software.amazon.awssdk.services.codepipeline.model.UpdateActionTypeRequest;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

/** The emulator's action type operations and STS's GetCallerIdentity, through the real SDK clients. */
class ActionTypeOperationsTest {

    private static final ActionTypeId THIRD_PARTY = ActionTypeId.thirdParty(ActionCategory.BUILD, "Tool", "1");
    private static final ActionTypeDefinition DEFINITION = ActionTypeDefinition.builder(THIRD_PARTY)
            .executorJobTimeout(Duration.ofMinutes(30))
            .inputArtifacts(ArtifactCount.of(1, 2)).outputArtifacts(ArtifactCount.exactly(1))
            .properties(ConfigurationProperty.required("Project").withKey(),
                    ConfigurationProperty.optional("Token").withSecret())
            .pollingAccounts("111111111111")
            .build();

    private LocalCodePipeline cp;

    @AfterEach
    void close() {
        if (cp != null) {
            cp.close();
        }
    }

    @Test
    void aRegisteredThirdPartyTypeIsWhatGetActionTypeAnswersAndPollsKnowIt() {
        cp = LocalCodePipeline.builder().registeredActionType(RegistrationFiles.of(DEFINITION)).start();
        CodePipelineClient client = cp.client(cp.defaultRegion());

        GetActionTypeResponse response = client.getActionType(r -> r.category("Build").owner("ThirdParty")
                .provider("Tool").version("1"));

        ActionTypeDeclaration declaration = response.actionType();
        assertThat(declaration.executor().jobTimeout()).isEqualTo(1800);
        assertThat(declaration.properties()).extracting(p -> p.name() + ":" + p.optional() + ":" + p.noEcho())
                .containsExactly("Project:false:false", "Token:true:true");
        assertThat(declaration.inputArtifactDetails().maximumCount()).isEqualTo(2);
        assertThat(client.pollForThirdPartyJobs(r -> r.actionTypeId(t -> t.category("Build").owner("ThirdParty")
                .provider("Tool").version("1"))).jobs()).isEmpty();
        assertThatThrownBy(() -> client.getActionType(r -> r.category("Build").owner("ThirdParty")
                .provider("tool").version("1"))).isInstanceOf(ActionTypeNotFoundException.class);

        cp.reset();
        assertThat(client.getActionType(r -> r.category("Build").owner("ThirdParty").provider("Tool").version("1"))
                .actionType().id().provider()).as("a seeded type survives reset").isEqualTo("Tool");
    }

    @Test
    void updateActionTypeChangesARegisteredTypeAndFindsNoOther() {
        cp = LocalCodePipeline.builder().registeredActionType(RegistrationFiles.of(DEFINITION)).start();
        CodePipelineClient client = cp.client(cp.defaultRegion());
        ActionTypeDeclaration declaration = client.getActionType(r -> r.category("Build").owner("ThirdParty")
                .provider("Tool").version("1")).actionType();

        client.updateActionType(UpdateActionTypeRequest.builder().actionType(declaration.toBuilder()
                .executor(declaration.executor().toBuilder().jobTimeout(600).build()).build()).build());

        assertThat(client.getActionType(r -> r.category("Build").owner("ThirdParty").provider("Tool").version("1"))
                .actionType().executor().jobTimeout()).isEqualTo(600);
        assertThatThrownBy(() -> client.updateActionType(UpdateActionTypeRequest.builder()
                .actionType(declaration.toBuilder().id(declaration.id().toBuilder().version("2").build()).build())
                .build())).isInstanceOf(ActionTypeNotFoundException.class);
        assertThatThrownBy(() -> client.updateActionType(UpdateActionTypeRequest.builder()
                .actionType(declaration.toBuilder().executor(declaration.executor().toBuilder().jobTimeout(59)
                        .build()).build()).build()))
                .isInstanceOf(CodePipelineException.class)
                .hasMessageContaining("Value '59' at 'actionType.executor.jobTimeout' failed to satisfy constraint: "
                        + "Member must have value greater than or equal to 60");
    }

    @Test
    void createCustomActionTypeIsValidatedAndListed() {
        cp = LocalCodePipeline.builder().start();
        CodePipelineClient client = cp.client(cp.defaultRegion());

        client.createCustomActionType(r -> r.category("Deploy").provider("Tool").version("2")
                .configurationProperties(ActionConfigurationProperty.builder().name("Stack").required(true).key(true)
                        .secret(false).queryable(true).type("String").build())
                .inputArtifactDetails(a -> a.minimumCount(0).maximumCount(1))
                .outputArtifactDetails(a -> a.minimumCount(0).maximumCount(0)));

        ActionType listed = client.listActionTypes(r -> r.actionOwnerFilter(ActionOwner.CUSTOM)).actionTypes()
                .get(0);
        assertThat(listed.id().provider()).isEqualTo("Tool");
        assertThat(listed.actionConfigurationProperties().get(0).queryable()).isTrue();
        assertThat(listed.inputArtifactDetails()).isEqualTo(ArtifactDetails.builder().minimumCount(0).maximumCount(1)
                .build());
        assertThat(client.listActionTypes(r -> r.actionOwnerFilter(ActionOwner.THIRD_PARTY)).actionTypes()).isEmpty();
        assertThat(client.pollForJobs(r -> r.actionTypeId(t -> t.category("Deploy").owner("Custom")
                .provider("Tool").version("2"))).jobs()).as("a created type is known to polls").isEmpty();
        assertThatThrownBy(() -> client.createCustomActionType(r -> r.category("Deploy").provider("Tool")
                .version("3").inputArtifactDetails(a -> a.minimumCount(0).maximumCount(6))))
                .isInstanceOf(CodePipelineException.class)
                .hasMessageContaining("2 validation errors detected")
                .hasMessageContaining("'inputArtifactDetails.maximumCount'")
                .hasMessageContaining("Value null at 'outputArtifactDetails' failed to satisfy constraint: "
                        + "Member must not be null");
    }

    @Test
    void aRegistrationTheServiceWouldRefuseIsRefusedWhenTheEmulatorIsBuilt() {
        String custom = RegistrationFiles.of(ActionTypeDefinition.builder(
                ActionTypeId.custom(ActionCategory.BUILD, "Tool", "1"))
                .properties(ConfigurationProperty.optional("A").withType(PropertyType.NUMBER)).build());
        assertThatThrownBy(() -> LocalCodePipeline.builder()
                .registeredActionType(custom.replace("\"Number\"", "\"Float\"")).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("configurationProperties.1.member.type");
    }

    @Test
    void stsGetCallerIdentityIsAnsweredOnTheSameEndpoint() {
        cp = LocalCodePipeline.builder().start();
        try (StsClient sts = StsClient.builder().endpointOverride(cp.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDLOCAL", "s")))
                .build()) {
            GetCallerIdentityResponse identity = sts.getCallerIdentity();
            assertThat(identity.account()).isEqualTo("111111111111");
            assertThat(identity.arn()).startsWith("arn:aws:iam::111111111111:");
        }
    }
}

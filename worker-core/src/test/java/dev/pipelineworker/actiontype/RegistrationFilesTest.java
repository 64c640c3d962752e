package dev.pipelineworker.actiontype;

import static dev.pipelineworker.actiontype.SdkModelReader.Constraint.length;
import static dev.pipelineworker.actiontype.SdkModelReader.Constraint.of;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionTypeId;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.codepipeline.model.ActionTypeDeclaration;
import software.amazon.awssdk.services.codepipeline.model.CreateCustomActionTypeRequest;
import software.amazon.awssdk.services.codepipeline.model.UpdateActionTypeRequest;

/**
 * The generated registration files read into the SDK's requests through its model, with the required members,
 * lengths, patterns and ranges of the CodePipeline service model (which the SDK does not carry) written out here, on their own, so that
 * a wrong limit in ActionTypeLimits is caught rather than copied.
 */
class RegistrationFilesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NAME_PART = "[0-9A-Za-z_-]+";

    /** From the service model: ActionTypeDeclaration and its members. */
    private static final Map<String, SdkModelReader.Constraint> DECLARATION = Map.ofEntries(
            Map.entry("actionType.description", length(1, 1024)),
            Map.entry("actionType.executor.policyStatementsTemplate", length(1, 2048)),
            Map.entry("actionType.executor.jobTimeout", length(60, 43_200)),
            Map.entry("actionType.executor.type", of(0, 100, "JobWorker|Lambda")),
            Map.entry("actionType.executor.configuration.jobWorkerExecutorConfiguration.pollingAccounts.size",
                    length(1, 1000)),
            Map.entry("actionType.executor.configuration.jobWorkerExecutorConfiguration.pollingAccounts[]",
                    of(12, 12, "[0-9]{12}")),
            Map.entry("actionType.id.category", of(0, 100, "Source|Build|Deploy|Test|Invoke|Approval|Compute")),
            Map.entry("actionType.id.owner", of(0, 100, "AWS|ThirdParty")),
            Map.entry("actionType.id.provider", of(1, 35, NAME_PART)),
            Map.entry("actionType.id.version", of(1, 9, NAME_PART)),
            Map.entry("actionType.inputArtifactDetails.minimumCount", length(0, 10)),
            Map.entry("actionType.inputArtifactDetails.maximumCount", length(0, 10)),
            Map.entry("actionType.outputArtifactDetails.minimumCount", length(0, 10)),
            Map.entry("actionType.outputArtifactDetails.maximumCount", length(0, 10)),
            Map.entry("actionType.properties.size", length(0, 10)),
            Map.entry("actionType.properties[].name", length(1, 50)),
            Map.entry("actionType.properties[].description", length(1, 160)),
            Map.entry("actionType.urls.configurationUrl", length(1, 2048)),
            Map.entry("actionType.urls.entityUrlTemplate", length(1, 2048)),
            Map.entry("actionType.urls.executionUrlTemplate", length(1, 2048)),
            Map.entry("actionType.urls.revisionUrlTemplate", length(1, 2048)));

    /** From the service model: the required members of UpdateActionTypeInput and below. */
    private static final Set<String> DECLARATION_REQUIRED = Set.of("actionType", "actionType.executor",
            "actionType.id", "actionType.inputArtifactDetails", "actionType.outputArtifactDetails",
            "actionType.executor.configuration", "actionType.executor.type", "actionType.id.category",
            "actionType.id.owner", "actionType.id.provider", "actionType.id.version",
            "actionType.inputArtifactDetails.minimumCount", "actionType.inputArtifactDetails.maximumCount",
            "actionType.outputArtifactDetails.minimumCount", "actionType.outputArtifactDetails.maximumCount",
            "actionType.properties[].name", "actionType.properties[].optional", "actionType.properties[].key",
            "actionType.properties[].noEcho");

    /** From the service model: the required members of CreateCustomActionTypeInput and below. */
    private static final Set<String> CUSTOM_REQUIRED = Set.of("category", "provider", "version",
            "inputArtifactDetails", "outputArtifactDetails", "inputArtifactDetails.minimumCount",
            "inputArtifactDetails.maximumCount", "outputArtifactDetails.minimumCount",
            "outputArtifactDetails.maximumCount", "configurationProperties[].name",
            "configurationProperties[].required", "configurationProperties[].key", "configurationProperties[].secret");

    /** From the service model: CreateCustomActionTypeInput and its members. */
    private static final Map<String, SdkModelReader.Constraint> CUSTOM = Map.ofEntries(
            Map.entry("category", of(0, 100, "Source|Build|Deploy|Test|Invoke|Approval|Compute")),
            Map.entry("provider", of(1, 35, NAME_PART)),
            Map.entry("version", of(1, 9, NAME_PART)),
            Map.entry("settings.thirdPartyConfigurationUrl", length(1, 2048)),
            Map.entry("settings.entityUrlTemplate", length(1, 2048)),
            Map.entry("settings.executionUrlTemplate", length(1, 2048)),
            Map.entry("settings.revisionUrlTemplate", length(1, 2048)),
            Map.entry("configurationProperties.size", length(0, 10)),
            Map.entry("configurationProperties[].name", length(1, 50)),
            Map.entry("configurationProperties[].description", length(1, 160)),
            Map.entry("configurationProperties[].type", of(0, 100, "String|Number|Boolean")),
            Map.entry("inputArtifactDetails.minimumCount", length(0, 5)),
            Map.entry("inputArtifactDetails.maximumCount", length(0, 5)),
            Map.entry("outputArtifactDetails.minimumCount", length(0, 5)),
            Map.entry("outputArtifactDetails.maximumCount", length(0, 5)));

    /** A definition at the limits: ten properties, the longest texts, the widest counts. */
    private static ActionTypeDefinition.Builder atTheLimits(ActionTypeId id) {
        ConfigurationProperty[] properties = IntStream.range(0, 10)
                .mapToObj(i -> ConfigurationProperty.optional("P" + i + "x".repeat(48)).withDescription("d".repeat(160)))
                .toArray(ConfigurationProperty[]::new);
        properties[0] = ConfigurationProperty.required("Project").withKey().withQueryable()
                .withType(PropertyType.STRING).withDescription("The project");
        return ActionTypeDefinition.builder(id)
                .inputArtifacts(ArtifactCount.of(0, 5)).outputArtifacts(ArtifactCount.of(5, 5))
                .properties(properties)
                .configurationUrl("https://tool.example/" + "c".repeat(2027))
                .entityUrlTemplate("https://tool.example/{Config:Project}")
                .executionUrlTemplate("https://tool.example/{Config:Project}/runs/{ExternalExecutionId}")
                .revisionUrlTemplate("https://tool.example/revisions/{RevisionId}");
    }

    @Test
    void theThirdPartyFileIsAnUpdateActionTypeRequestTheServiceModelAccepts() throws Exception {
        ActionTypeDefinition definition = atTheLimits(ActionTypeId.thirdParty(ActionCategory.BUILD, "Tool", "1"))
                .description("t".repeat(1024)).executorJobTimeout(Duration.ofSeconds(43_200))
                .pollingAccounts("111122223333", "444455556666")
                .policyStatementsTemplate("{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\"],"
                        + "\"Resource\":\"*\"}]}")
                .build();
        SdkModelReader reader = new SdkModelReader(DECLARATION, DECLARATION_REQUIRED);

        UpdateActionTypeRequest request = (UpdateActionTypeRequest) reader.read(
                JSON.readTree(RegistrationFiles.thirdParty(definition)), UpdateActionTypeRequest.builder(), "");

        assertThat(reader.problems()).isEmpty();
        ActionTypeDeclaration declaration = request.actionType();
        assertThat(declaration.id().owner()).isEqualTo("ThirdParty");
        assertThat(declaration.executor().typeAsString()).isEqualTo("JobWorker");
        assertThat(declaration.executor().jobTimeout()).isEqualTo(43_200);
        assertThat(declaration.executor().configuration().jobWorkerExecutorConfiguration().pollingAccounts())
                .containsExactly("111122223333", "444455556666");
        assertThat(declaration.properties()).hasSize(10);
        assertThat(declaration.properties().get(0).optional()).isFalse();
        assertThat(declaration.properties().get(1).optional()).isTrue();
        assertThat(declaration.outputArtifactDetails().minimumCount()).isEqualTo(5);
        assertThat(declaration.urls().revisionUrlTemplate()).endsWith("{RevisionId}");
    }

    @Test
    void theCustomFileIsACreateCustomActionTypeRequestTheServiceModelAccepts() throws Exception {
        ActionTypeDefinition definition = atTheLimits(ActionTypeId.custom(ActionCategory.TEST, "Tool", "123456789"))
                .build();
        SdkModelReader reader = new SdkModelReader(CUSTOM, CUSTOM_REQUIRED);

        CreateCustomActionTypeRequest request = (CreateCustomActionTypeRequest) reader.read(
                JSON.readTree(RegistrationFiles.custom(definition)), CreateCustomActionTypeRequest.builder(), "");

        assertThat(reader.problems()).isEmpty();
        assertThat(request.categoryAsString()).isEqualTo("Test");
        assertThat(request.version()).isEqualTo("123456789");
        assertThat(request.configurationProperties()).hasSize(10);
        assertThat(request.configurationProperties().get(0).queryable()).isTrue();
        assertThat(request.configurationProperties().get(0).typeAsString()).isEqualTo("String");
        assertThat(request.inputArtifactDetails().maximumCount()).isEqualTo(5);
        assertThat(request.settings().thirdPartyConfigurationUrl()).hasSize(2048);
    }

    @Test
    void theReaderCatchesWhatTheServiceWouldRefuse() throws Exception {
        SdkModelReader reader = new SdkModelReader(CUSTOM, CUSTOM_REQUIRED);
        reader.read(JSON.readTree("{\"category\":\"Build\",\"provider\":\"Tool\",\"version\":\"1234567890\","
                + "\"configurationProperties\":[{\"name\":\"A\",\"required\":true,\"key\":false}],"
                + "\"inputArtifactDetails\":{\"minimumCount\":0,\"maximumCount\":6},\"extra\":1}"),
                CreateCustomActionTypeRequest.builder(), "");

        assertThat(reader.problems()).contains(
                "version: 10 is outside 1-9",
                "configurationProperties[].secret: required, missing",
                "inputArtifactDetails.maximumCount: 6 is outside 0-5",
                "outputArtifactDetails: required, missing",
                "extra: not a member of the SDK's model");
    }

    @Test
    void eachFileIsForItsOwner() {
        ActionTypeDefinition custom = ActionTypeDefinition.builder(
                ActionTypeId.custom(ActionCategory.BUILD, "Tool", "1")).build();
        assertThatThrownBy(() -> RegistrationFiles.thirdParty(custom))
                .hasMessageContaining("update-action-type registers ThirdParty action types");
        assertThat(RegistrationFiles.of(custom)).isEqualTo(RegistrationFiles.custom(custom));
    }

    @Test
    void aMinimalThirdPartyFileCarriesOnlyWhatWasDeclared() throws Exception {
        ActionTypeDefinition definition = ActionTypeDefinition.builder(
                ActionTypeId.thirdParty(ActionCategory.DEPLOY, "Tool", "2"))
                .properties(ConfigurationProperty.optional("Token").withSecret()).build();

        String file = RegistrationFiles.of(definition);

        assertThat(file).endsWith("}" + System.lineSeparator());
        assertThat(JSON.readTree(file)).isEqualTo(JSON.readTree("""
                {"actionType": {
                  "executor": {"configuration": {"jobWorkerExecutorConfiguration": {}}, "type": "JobWorker",
                               "jobTimeout": 3600},
                  "id": {"category": "Deploy", "owner": "ThirdParty", "provider": "Tool", "version": "2"},
                  "inputArtifactDetails": {"minimumCount": 0, "maximumCount": 0},
                  "outputArtifactDetails": {"minimumCount": 0, "maximumCount": 0},
                  "properties": [{"name": "Token", "optional": true, "key": false, "noEcho": true,
                                  "queryable": false}]}}
                """));
    }

    @Test
    void aThirdPartyFileCarriesEachDeclaredMemberWhereTheDeclarationHasIt() throws Exception {
        ActionTypeDefinition definition = ActionTypeDefinition.builder(
                ActionTypeId.thirdParty(ActionCategory.BUILD, "Tool", "1"))
                .description("Builds").executorJobTimeout(Duration.ofSeconds(600))
                .inputArtifacts(ArtifactCount.of(1, 2)).outputArtifacts(ArtifactCount.exactly(3))
                .properties(ConfigurationProperty.required("Project").withKey().withQueryable()
                        .withDescription("the project"))
                .pollingAccounts("111122223333").policyStatementsTemplate("{\"Statement\":[]}")
                .configurationUrl("https://c").entityUrlTemplate("https://e/{Config:Project}")
                .executionUrlTemplate("https://x").revisionUrlTemplate("https://r").build();

        assertThat(JSON.readTree(RegistrationFiles.thirdParty(definition))).isEqualTo(JSON.readTree("""
                {"actionType": {
                  "description": "Builds",
                  "executor": {"configuration": {"jobWorkerExecutorConfiguration": {
                                   "pollingAccounts": ["111122223333"]}},
                               "type": "JobWorker", "policyStatementsTemplate": "{\\"Statement\\":[]}",
                               "jobTimeout": 600},
                  "id": {"category": "Build", "owner": "ThirdParty", "provider": "Tool", "version": "1"},
                  "inputArtifactDetails": {"minimumCount": 1, "maximumCount": 2},
                  "outputArtifactDetails": {"minimumCount": 3, "maximumCount": 3},
                  "properties": [{"name": "Project", "optional": false, "key": true, "noEcho": false,
                                  "queryable": true, "description": "the project"}],
                  "urls": {"configurationUrl": "https://c", "entityUrlTemplate": "https://e/{Config:Project}",
                           "executionUrlTemplate": "https://x", "revisionUrlTemplate": "https://r"}}}
                """));
    }

    @Test
    void aCustomFileCarriesEachDeclaredMemberAndLeavesOutTheAbsentOnes() throws Exception {
        ActionTypeId id = ActionTypeId.custom(ActionCategory.SOURCE, "Tool", "3");
        ActionTypeDefinition bare = ActionTypeDefinition.builder(id)
                .properties(new ConfigurationProperty("Untyped", false, true, false, false, null, null)).build();
        ActionTypeDefinition full = ActionTypeDefinition.builder(id).outputArtifacts(ArtifactCount.of(1, 4))
                .properties(ConfigurationProperty.required("Count").withType(PropertyType.NUMBER).withDescription("n"))
                .configurationUrl("https://c").entityUrlTemplate("https://e").executionUrlTemplate("https://x")
                .revisionUrlTemplate("https://r").build();

        assertThat(JSON.readTree(RegistrationFiles.of(bare))).isEqualTo(JSON.readTree("""
                {"category": "Source", "provider": "Tool", "version": "3",
                 "configurationProperties": [{"name": "Untyped", "required": false, "key": false, "secret": true,
                                              "queryable": false}],
                 "inputArtifactDetails": {"minimumCount": 0, "maximumCount": 0},
                 "outputArtifactDetails": {"minimumCount": 0, "maximumCount": 0}}
                """));
        assertThat(JSON.readTree(RegistrationFiles.custom(full))).isEqualTo(JSON.readTree("""
                {"category": "Source", "provider": "Tool", "version": "3",
                 "settings": {"thirdPartyConfigurationUrl": "https://c", "entityUrlTemplate": "https://e",
                              "executionUrlTemplate": "https://x", "revisionUrlTemplate": "https://r"},
                 "configurationProperties": [{"name": "Count", "required": true, "key": false, "secret": false,
                                              "queryable": false, "description": "n", "type": "Number"}],
                 "inputArtifactDetails": {"minimumCount": 0, "maximumCount": 0},
                 "outputArtifactDetails": {"minimumCount": 1, "maximumCount": 4}}
                """));
        assertThat(RegistrationFiles.custom(bare)).endsWith("}" + System.lineSeparator());
    }

    @Test
    void aThirdPartyDefinitionHasNoCustomFile() {
        ActionTypeDefinition thirdParty = ActionTypeDefinition.builder(
                ActionTypeId.thirdParty(ActionCategory.BUILD, "Tool", "1")).build();

        assertThatThrownBy(() -> RegistrationFiles.custom(thirdParty)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("create-custom-action-type registers Custom action types; Build/ThirdParty/Tool/1 is "
                        + "ThirdParty");
        assertThat(RegistrationFiles.of(thirdParty)).isEqualTo(RegistrationFiles.thirdParty(thirdParty));
    }
}

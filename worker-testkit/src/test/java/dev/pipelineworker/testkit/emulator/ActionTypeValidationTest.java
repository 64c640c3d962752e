package dev.pipelineworker.testkit.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipelineworker.testkit.LocalCodePipeline;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;
import software.amazon.awssdk.services.codepipeline.model.ActionConfigurationProperty;
import software.amazon.awssdk.services.codepipeline.model.ActionOwner;
import software.amazon.awssdk.services.codepipeline.model.ActionType;
import software.amazon.awssdk.services.codepipeline.model.ActionTypeDeclaration;
import software.amazon.awssdk.services.codepipeline.model.ActionTypeNotFoundException;
import software.amazon.awssdk.services.codepipeline.model.CodePipelineException;
import software.amazon.awssdk.services.codepipeline.model.CreateCustomActionTypeRequest;
import software.amazon.awssdk.services.codepipeline.model.UpdateActionTypeRequest;

/**
 * The action type operations' checks of a declaration and the shapes they answer with: every member of an
 * ActionTypeDeclaration and a CreateCustomActionType input that the service model limits, through the SDK where it
 * can send the case and on the wire where it cannot (a member of the wrong JSON type), and how ListActionTypes shows
 * a third-party declaration (the ActionType shape) next to a custom type.
 */
class ActionTypeValidationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static LocalCodePipeline emulator;
    private static CodePipelineClient sdk;

    /** A third-party declaration using every member the emulator reads. */
    private static ObjectNode declaration() {
        ObjectNode declaration = JSON.createObjectNode().put("description", "A build tool");
        declaration.putObject("id").put("category", "Build").put("owner", "ThirdParty").put("provider", "Tool")
                .put("version", "1");
        ObjectNode executor = declaration.putObject("executor").put("type", "JobWorker").put("jobTimeout", 1800);
        executor.putObject("configuration").putObject("jobWorkerExecutorConfiguration").putArray("pollingAccounts")
                .add("111111111111");
        ArrayNode properties = declaration.putArray("properties");
        properties.addObject().put("name", "Project").put("description", "The project to build")
                .put("optional", false).put("key", true).put("noEcho", false).put("queryable", true);
        properties.addObject().put("name", "Token").put("optional", true).put("key", false).put("noEcho", true);
        declaration.putObject("inputArtifactDetails").put("minimumCount", 1).put("maximumCount", 2);
        declaration.putObject("outputArtifactDetails").put("minimumCount", 0).put("maximumCount", 1);
        declaration.putObject("urls").put("configurationUrl", "https://tool.example/configure")
                .put("entityUrlTemplate", "https://tool.example/projects/{Config:Project}")
                .put("executionUrlTemplate", "https://tool.example/runs/{ExternalExecutionId}")
                .put("revisionUrlTemplate", "https://tool.example/revisions/{RevisionId}");
        return declaration;
    }

    @BeforeAll
    static void start() {
        ObjectNode registration = JSON.createObjectNode();
        registration.set("actionType", declaration());
        emulator = LocalCodePipeline.builder().registeredActionType(registration.toString()).start();
        sdk = emulator.client(emulator.defaultRegion());
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @BeforeEach
    void reset() {
        emulator.reset();
    }

    /** The answer's status, {@code __type} and {@code message}. */
    private record Answer(int status, String type, String message, JsonNode body) {

        Answer refusal() {
            return new Answer(status, type, message, null);
        }
    }

    private static Answer call(String operation, JsonNode request) throws IOException, InterruptedException {
        HttpResponse<String> response = RawRequests.call(emulator.endpoint(), operation, request.toString());
        JsonNode body = JSON.readTree(response.body());
        return new Answer(response.statusCode(), body.path("__type").asText(null), body.path("message").asText(null),
                body);
    }

    private static Answer update(ObjectNode declaration) throws Exception {
        ObjectNode request = JSON.createObjectNode();
        request.set("actionType", declaration);
        return call("UpdateActionType", request).refusal();
    }

    private static Answer validation(int count, String... violations) {
        return new Answer(400, "ValidationException", count + (count == 1 ? " validation error" : " validation errors")
                + " detected: " + String.join("; ", violations), null);
    }

    private static String isNull(String at) {
        return "Value null at '" + at + "' failed to satisfy constraint: Member must not be null";
    }

    private static CodePipelineException refused(Runnable call) {
        return catchThrowableOfType(CodePipelineException.class, call::run);
    }

    private static ActionTypeDeclaration registered() {
        return sdk.getActionType(r -> r.category("Build").owner("ThirdParty").provider("Tool").version("1"))
                .actionType();
    }

    @Test
    void anUpdateOfARegisteredTypeIsAnsweredWithAnEmptyObject() throws Exception {
        ObjectNode request = JSON.createObjectNode();
        request.set("actionType", declaration().put("description", "Changed"));

        Answer answer = call("UpdateActionType", request);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo(JSON.createObjectNode());
        assertThat(registered().description()).isEqualTo("Changed");
    }

    @Test
    void aMissingDeclarationOrIdOrExecutorIsNamedAlone() throws Exception {
        assertThat(call("UpdateActionType", JSON.createObjectNode()).refusal())
                .isEqualTo(validation(1, isNull("actionType")));
        ObjectNode withoutId = declaration();
        withoutId.remove("id");
        assertThat(update(withoutId)).isEqualTo(validation(1, isNull("actionType.id")));
        ObjectNode withoutExecutor = declaration();
        withoutExecutor.remove("executor");
        assertThat(update(withoutExecutor)).isEqualTo(validation(1, isNull("actionType.executor")));
    }

    @Test
    void anExecutorWithoutAJobWorkerConfigurationNeedsNoPollingAccounts() throws Exception {
        ObjectNode lambda = declaration();
        ((ObjectNode) lambda.path("executor")).put("type", "Lambda").putObject("configuration")
                .putObject("lambdaExecutorConfiguration").put("lambdaFunctionArn", "arn:aws:lambda:f");

        assertThat(update(lambda).status()).isEqualTo(200);
        assertThat(registered().executor().typeAsString()).isEqualTo("Lambda");
    }

    @Test
    void pollingAccountsAreOneToAThousandTwelveDigitAccounts() {
        ActionTypeDeclaration declaration = registered();
        String at = "actionType.executor.configuration.jobWorkerExecutorConfiguration.pollingAccounts";

        assertThat(refused(() -> sdk.updateActionType(withAccounts(declaration, List.of()))))
                .hasMessageStartingWith("1 validation error detected: Value at '" + at
                        + "' failed to satisfy constraint: Member must have length between 1 and 1000");
        assertThat(refused(() -> sdk.updateActionType(withAccounts(declaration, accounts(1001)))))
                .hasMessageStartingWith("1 validation error detected: Value at '" + at
                        + "' failed to satisfy constraint: Member must have length between 1 and 1000");
        sdk.updateActionType(withAccounts(declaration, accounts(1000)));
        assertThat(registered().executor().configuration().jobWorkerExecutorConfiguration().pollingAccounts())
                .hasSize(1000);
        assertThat(refused(() -> sdk.updateActionType(withAccounts(declaration, List.of("111111111111", "1234")))))
                .hasMessageStartingWith("1 validation error detected: Value '1234' at '" + at + ".member' failed to"
                        + " satisfy constraint: Member must satisfy regular expression pattern: [0-9]{12}");
    }

    private static List<String> accounts(int count) {
        return IntStream.range(0, count).mapToObj(i -> String.format("%012d", i)).toList();
    }

    private static UpdateActionTypeRequest withAccounts(ActionTypeDeclaration declaration, List<String> accounts) {
        return UpdateActionTypeRequest.builder().actionType(declaration.toBuilder().executor(declaration.executor()
                .toBuilder().configuration(c -> c.jobWorkerExecutorConfiguration(j -> j.pollingAccounts(accounts)))
                .build()).build()).build();
    }

    @Test
    void aThirdPartyDeclarationsPropertiesAndArtifactsAreCheckedUnderItsPath() {
        ActionTypeDeclaration declaration = registered();

        CodePipelineException refused = refused(() -> sdk.updateActionType(u -> u.actionType(declaration.toBuilder()
                .properties(declaration.properties().get(0).toBuilder().name("n".repeat(51)).build())
                .inputArtifactDetails(a -> a.minimumCount(0).maximumCount(11))
                .outputArtifactDetails(a -> a.minimumCount(11).maximumCount(0)).build())));

        assertThat(refused.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
        assertThat(refused.awsErrorDetails().errorMessage()).isEqualTo("3 validation errors detected: "
                + "Value '" + "n".repeat(51) + "' at 'actionType.properties.1.member.name' failed to satisfy constraint:"
                + " Member must have length less than or equal to 50; "
                + "Value '11' at 'actionType.inputArtifactDetails.maximumCount' failed to satisfy constraint: Member"
                + " must have value less than or equal to 10; "
                + "Value '11' at 'actionType.outputArtifactDetails.minimumCount' failed to satisfy constraint: Member"
                + " must have value less than or equal to 10");
        sdk.updateActionType(u -> u.actionType(declaration.toBuilder()
                .inputArtifactDetails(a -> a.minimumCount(10).maximumCount(10)).build()));
        assertThat(registered().inputArtifactDetails().minimumCount()).as("10 is the limit").isEqualTo(10);
    }

    @Test
    void aThirdPartyPropertyHasNoTypeMember() throws Exception {
        ObjectNode declaration = declaration();
        ((ObjectNode) declaration.path("properties").path(0)).put("type", "NotAType");

        assertThat(update(declaration).status()).as("a member outside the model is ignored").isEqualTo(200);
    }

    @Test
    void artifactCountsMustBothBeGiven() {
        CodePipelineException refused = refused(() -> sdk.createCustomActionType(r -> r.category("Build")
                .provider("Counts").version("1").inputArtifactDetails(a -> a.maximumCount(1))
                .outputArtifactDetails(a -> a.minimumCount(0))));

        assertThat(refused.awsErrorDetails().errorMessage()).isEqualTo("2 validation errors detected: "
                + isNull("inputArtifactDetails.minimumCount") + "; " + isNull("outputArtifactDetails.maximumCount"));
    }

    @Test
    void aCustomTypeHasAtMostTenPropertiesAndOneQueryable() {
        CodePipelineException eleven = refused(() -> sdk.createCustomActionType(custom(properties(11, 0))));
        assertThat(eleven.awsErrorDetails().errorMessage()).isEqualTo("1 validation error detected: Value at"
                + " 'configurationProperties' failed to satisfy constraint: Member must have length less than or equal"
                + " to 10");

        CodePipelineException twoQueryable = refused(() -> sdk.createCustomActionType(custom(properties(3, 2))));
        assertThat(twoQueryable.awsErrorDetails().errorCode()).isEqualTo("InvalidActionDeclarationException");
        assertThat(twoQueryable.awsErrorDetails().errorMessage())
                .isEqualTo("Only one configuration property may be queryable");

        sdk.createCustomActionType(custom(properties(10, 1)));
        assertThat(sdk.listActionTypes(r -> r.actionOwnerFilter(ActionOwner.CUSTOM)).actionTypes()).singleElement()
                .satisfies(type -> assertThat(type.actionConfigurationProperties()).hasSize(10)
                        .filteredOn(ActionConfigurationProperty::queryable).hasSize(1));
    }

    private static CreateCustomActionTypeRequest custom(List<ActionConfigurationProperty> properties) {
        return CreateCustomActionTypeRequest.builder().category("Build").provider("Many").version("1")
                .configurationProperties(properties)
                .inputArtifactDetails(a -> a.minimumCount(0).maximumCount(1))
                .outputArtifactDetails(a -> a.minimumCount(0).maximumCount(1)).build();
    }

    private static List<ActionConfigurationProperty> properties(int count, int queryable) {
        return IntStream.range(0, count).mapToObj(i -> ActionConfigurationProperty.builder().name("P" + i)
                .required(false).key(false).secret(false).queryable(i < queryable).build()).toList();
    }

    @Test
    void aPropertysFlagsAreRequiredBooleans() throws Exception {
        ObjectNode request = customRequest();
        ((ObjectNode) request.path("configurationProperties").path(0)).remove("key");
        ((ObjectNode) request.path("configurationProperties").path(0)).putNull("secret");
        assertThat(call("CreateCustomActionType", request).refusal()).isEqualTo(validation(2,
                isNull("configurationProperties.1.member.key"), isNull("configurationProperties.1.member.secret")));

        ObjectNode notBoolean = customRequest();
        ((ObjectNode) notBoolean.path("configurationProperties").path(0)).put("required", "yes");
        assertThat(call("CreateCustomActionType", notBoolean).refusal()).isEqualTo(new Answer(400,
                "SerializationException", "Expected a boolean at 'configurationProperties.1.member.required'", null));

        ObjectNode notAList = customRequest();
        notAList.putObject("configurationProperties");
        assertThat(call("CreateCustomActionType", notAList).refusal()).isEqualTo(new Answer(400,
                "SerializationException", "Expected a list at 'configurationProperties'", null));
    }

    @Test
    void aCustomTypeIsListedAsCreatedWithSettingsOnlyWhenGiven() throws Exception {
        ObjectNode bare = customRequest();
        bare.remove("configurationProperties");
        assertThat(call("CreateCustomActionType", bare).status()).isEqualTo(200);
        ObjectNode withSettings = customRequest().put("provider", "Configured");
        withSettings.putObject("settings").put("entityUrlTemplate", "https://tool.example/{Config:Project}");
        assertThat(call("CreateCustomActionType", withSettings).status()).isEqualTo(200);
        ObjectNode tooLong = customRequest().put("provider", "Long");
        tooLong.putObject("settings").put("revisionUrlTemplate", "u".repeat(2049));
        assertThat(call("CreateCustomActionType", tooLong).message()).contains(
                "at 'settings.revisionUrlTemplate' failed to satisfy constraint: Member must have length less than or"
                        + " equal to 2048");

        JsonNode listed = call("ListActionTypes", JSON.createObjectNode().put("actionOwnerFilter", "Custom")).body()
                .path("actionTypes");

        assertThat(listed).hasSize(2);
        assertThat(listed.path(0).has("settings")).isFalse();
        assertThat(listed.path(0).path("actionConfigurationProperties")).isEqualTo(JSON.createArrayNode());
        assertThat(listed.path(1).path("settings").path("entityUrlTemplate").asText())
                .isEqualTo("https://tool.example/{Config:Project}");
    }

    private static ObjectNode customRequest() {
        ObjectNode request = JSON.createObjectNode().put("category", "Deploy").put("provider", "Bare").put("version", "1");
        request.putArray("configurationProperties").addObject().put("name", "Stack").put("required", true)
                .put("key", true).put("secret", false);
        request.putObject("inputArtifactDetails").put("minimumCount", 0).put("maximumCount", 1);
        request.putObject("outputArtifactDetails").put("minimumCount", 0).put("maximumCount", 1);
        return request;
    }

    @Test
    void listActionTypesShowsAThirdPartyDeclarationAsAnActionTypeAndFiltersByOwner() {
        sdk.createCustomActionType(custom(properties(1, 0)));

        List<ActionType> all = sdk.listActionTypes(r -> { }).actionTypes();
        List<ActionType> thirdParty = sdk.listActionTypes(r -> r.actionOwnerFilter(ActionOwner.THIRD_PARTY))
                .actionTypes();
        List<ActionType> custom = sdk.listActionTypes(r -> r.actionOwnerFilter(ActionOwner.CUSTOM)).actionTypes();

        assertThat(all).extracting(t -> t.id().provider()).containsExactly("Tool", "Many");
        assertThat(custom).extracting(t -> t.id().provider()).containsExactly("Many");
        assertThat(thirdParty).singleElement().satisfies(type -> {
            assertThat(type.id().ownerAsString()).isEqualTo("ThirdParty");
            assertThat(type.settings().thirdPartyConfigurationUrl()).isEqualTo("https://tool.example/configure");
            assertThat(type.settings().executionUrlTemplate())
                    .isEqualTo("https://tool.example/runs/{ExternalExecutionId}");
            assertThat(type.settings().entityUrlTemplate())
                    .isEqualTo("https://tool.example/projects/{Config:Project}");
            assertThat(type.settings().revisionUrlTemplate()).isEqualTo("https://tool.example/revisions/{RevisionId}");
            assertThat(type.actionConfigurationProperties()).extracting(ActionConfigurationProperty::name,
                    ActionConfigurationProperty::required, ActionConfigurationProperty::key,
                    ActionConfigurationProperty::secret, ActionConfigurationProperty::queryable,
                    ActionConfigurationProperty::description).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("Project", true, true, false, true, "The project to build"),
                    org.assertj.core.groups.Tuple.tuple("Token", false, false, true, false, null));
            assertThat(type.inputArtifactDetails().maximumCount()).isEqualTo(2);
            assertThat(type.outputArtifactDetails().minimumCount()).isZero();
        });
        assertThat(refused(() -> sdk.listActionTypes(r -> r.actionOwnerFilter("Nobody"))))
                .hasMessageStartingWith("1 validation error detected: Value 'Nobody' at 'actionOwnerFilter'");
    }

    @Test
    void aDeclarationWithNullPropertiesAndNoUrlsIsListedWithNone() throws Exception {
        ObjectNode plain = declaration();
        plain.putNull("properties");
        plain.remove("urls");
        assertThat(update(plain).status()).isEqualTo(200);

        JsonNode listed = call("ListActionTypes", JSON.createObjectNode().put("actionOwnerFilter", "ThirdParty"))
                .body().path("actionTypes").path(0);

        assertThat(listed.has("settings")).isFalse();
        assertThat(listed.path("actionConfigurationProperties")).isEqualTo(JSON.createArrayNode());
    }

    @Test
    void getActionTypeChecksItsMembersAndHoldsNoAwsTypes() {
        assertThat(refused(() -> sdk.getActionType(r -> r.category("Build").owner("ThirdParty").provider("Tool")
                .version("1.0")))).hasMessageStartingWith("1 validation error detected: Value '1.0' at 'version'");
        assertThat(catchThrowableOfType(ActionTypeNotFoundException.class, () -> sdk.getActionType(r -> r
                .category("Build").owner("AWS").provider("Tool").version("1"))))
                .as("the same names owned by AWS are another type").isNotNull();
        CodePipelineClient elsewhere = emulator.client("eu-west-1");
        assertThat(catchThrowableOfType(ActionTypeNotFoundException.class, () -> elsewhere.getActionType(r -> r
                .category("Build").owner("AWS").provider("Tool").version("1"))))
                .as("in a region without registrations").isNotNull();
    }

    @Test
    void aResetForgetsCreatedTypesAndKeepsTheRegisteredOnesPollable() {
        sdk.createCustomActionType(custom(properties(1, 0)));

        emulator.reset();

        assertThat(sdk.listActionTypes(r -> { }).actionTypes()).extracting(t -> t.id().provider())
                .containsExactly("Tool");
        assertThat(sdk.pollForThirdPartyJobs(r -> r.actionTypeId(t -> t.category("Build").owner("ThirdParty")
                .provider("Tool").version("1"))).jobs()).isEmpty();
        assertThat(catchThrowableOfType(ActionTypeNotFoundException.class, () -> sdk.pollForJobs(r -> r
                .actionTypeId(t -> t.category("Build").owner("Custom").provider("Many").version("1"))))).isNotNull();
    }
}

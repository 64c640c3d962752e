package dev.pipelineworker.internal.preflight;

import static dev.pipelineworker.internal.preflight.PreflightWireMock.check;
import static dev.pipelineworker.internal.preflight.PreflightWireMock.declaration;
import static dev.pipelineworker.internal.preflight.PreflightWireMock.listed;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionOwner;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.JobQueue;
import dev.pipelineworker.PreflightReport;
import dev.pipelineworker.PreflightReport.Check;
import dev.pipelineworker.PreflightReport.Status;
import dev.pipelineworker.actiontype.ActionTypeDefinition;
import dev.pipelineworker.actiontype.ArtifactCount;
import dev.pipelineworker.actiontype.ConfigurationProperty;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/**
 * The registration as the service sends it, compared with the declaration: each property flag in both directions,
 * extra properties (a warning while optional), the artifact counts, the console URLs (a warning) and the
 * executor's job timeout, for a third-party type (GetActionType) and a custom one (ListActionTypes), including the
 * fields the service leaves out. worker-testkit's {@code PreflightTest} and {@code PreflightRegistrationDetailsTest}
 * cover one direction of each mismatch through a registration file the emulator holds.
 */
class RegistrationComparisonTest extends PreflightWireMockTest {

    private static final ActionTypeId TYPE = ActionTypeId.thirdParty(ActionCategory.BUILD, "Tool", "1");
    private static final ActionTypeId CUSTOM = ActionTypeId.custom(ActionCategory.BUILD, "Tool", "1");
    private static final String CONFIGURATION = "https://tool.example.com/setup";
    private static final String ENTITY = "https://tool.example.com/projects/{Config:Project}";
    private static final String EXECUTION = "https://tool.example.com/runs/{ExternalExecutionId}";
    private static final String REVISION = "https://tool.example.com/revisions/{RevisionId}";

    /** {@code id} with a key property, an optional secret one, 1-5 inputs, one output, every URL and {@code change}. */
    private static ActionTypeDefinition declared(ActionTypeId id, UnaryOperator<ActionTypeDefinition.Builder> change) {
        ActionTypeDefinition.Builder builder = ActionTypeDefinition.builder(id)
                .inputArtifacts(ArtifactCount.of(1, 5)).outputArtifacts(ArtifactCount.exactly(1))
                .properties(ConfigurationProperty.required("Project").withKey().withQueryable(),
                        ConfigurationProperty.optional("Token").withSecret())
                .configurationUrl(CONFIGURATION).entityUrlTemplate(ENTITY).executionUrlTemplate(EXECUTION)
                .revisionUrlTemplate(REVISION);
        if (id.owner() == ActionOwner.THIRD_PARTY) {
            builder.executorJobTimeout(Duration.ofMinutes(30));
        }
        return change.apply(builder).build();
    }

    private static final ActionTypeDefinition DEFINITION = declared(TYPE, UnaryOperator.identity());
    private static final ActionTypeDefinition CUSTOM_DEFINITION = declared(CUSTOM, UnaryOperator.identity());

    /** The report of a worker declaring {@link #DEFINITION} where GetActionType answers {@code registered}. */
    private PreflightReport thirdParty(ObjectNode registered) {
        aws.stubGetActionType(registered);
        return aws.run(JobQueue.of(TYPE, Region.US_WEST_2), DEFINITION);
    }

    /** The report of a worker declaring {@link #CUSTOM_DEFINITION} where ListActionTypes lists {@code registered}. */
    private PreflightReport custom(ObjectNode registered) {
        aws.stubListActionTypes(List.of(List.of(registered)));
        return aws.run(JobQueue.of(CUSTOM, Region.US_WEST_2), CUSTOM_DEFINITION);
    }

    private static ObjectNode property(ObjectNode type, String arrayName, int index) {
        return (ObjectNode) type.get(arrayName).get(index);
    }

    @Test
    void aThirdPartyRegistrationAsDeclaredPassesEveryComparison() {
        PreflightReport report = thirdParty(declaration(DEFINITION));

        assertThat(check(report, "registration.properties").message()).isEqualTo("2 properties as declared");
        assertThat(check(report, "registration.artifacts").message()).isEqualTo("input 1-5, output 1 as declared");
        assertThat(check(report, "registration.urls").message()).isEqualTo("console URLs as declared");
        assertThat(check(report, "registration.executorTimeout").message()).isEqualTo("1800 s as declared");
        assertThat(report.checks()).filteredOn(c -> c.name().startsWith("registration"))
                .allSatisfy(c -> assertThat(c.status()).as(c.name()).isEqualTo(Status.PASS))
                .allSatisfy(c -> assertThat(c.fix()).isEmpty());
    }

    @Test
    void aCustomRegistrationAsDeclaredPassesAndHasNoExecutorTimeout() {
        PreflightReport report = custom(listed(CUSTOM_DEFINITION));

        assertThat(report.checks()).filteredOn(c -> c.name().startsWith("registration")).extracting(Check::name)
                .containsExactly("registration", "registration.properties", "registration.artifacts",
                        "registration.urls");
        assertThat(report.checks()).filteredOn(c -> c.name().startsWith("registration"))
                .allSatisfy(c -> assertThat(c.status()).as(c.name()).isEqualTo(Status.PASS));
    }

    @Test
    void aThirdPartyPropertysFlagsAreReadFromOptionalNoEchoKeyAndQueryable() {
        ObjectNode registered = declaration(DEFINITION);
        property(registered, "properties", 0).put("optional", true).put("key", false).put("queryable", false);
        property(registered, "properties", 1).put("optional", false).put("noEcho", false).put("key", true)
                .put("queryable", true);

        Check properties = check(thirdParty(registered), "registration.properties");

        assertThat(properties.status()).isEqualTo(Status.FAIL);
        assertThat(properties.message()).isEqualTo(String.join("; ",
                "'Project' is required in the definition but optional as registered",
                "'Project' is a key in the definition but not as registered",
                "'Project' is queryable in the definition but not as registered",
                "'Token' is optional in the definition but required as registered",
                "'Token' is secret in the definition but not as registered",
                "'Token' is not a key in the definition but as registered",
                "'Token' is not queryable in the definition but as registered"));
        assertThat(properties.fix()).isEqualTo("update the registration from the generated file, or the definition, "
                + "so that both declare the same properties");
    }

    @Test
    void aCustomPropertysFlagsAreReadFromRequiredSecretKeyAndQueryable() {
        ObjectNode registered = listed(CUSTOM_DEFINITION);
        property(registered, "actionConfigurationProperties", 0).put("required", false).put("key", false);
        property(registered, "actionConfigurationProperties", 1).put("required", true).put("secret", false)
                .put("queryable", true);

        Check properties = check(custom(registered), "registration.properties");

        assertThat(properties.status()).isEqualTo(Status.FAIL);
        assertThat(properties.message()).isEqualTo(String.join("; ",
                "'Project' is required in the definition but optional as registered",
                "'Project' is a key in the definition but not as registered",
                "'Token' is optional in the definition but required as registered",
                "'Token' is secret in the definition but not as registered",
                "'Token' is not queryable in the definition but as registered"));
    }

    @Test
    void aSecretRegisteredButNotDeclaredIsNamed() {
        ObjectNode registered = declaration(DEFINITION);
        property(registered, "properties", 0).put("noEcho", true);

        assertThat(check(thirdParty(registered), "registration.properties").message())
                .isEqualTo("'Project' is not secret in the definition but as registered");
    }

    @Test
    void flagsTheServiceLeavesOutAreFalse() {
        ActionTypeDefinition plain = ActionTypeDefinition.builder(CUSTOM)
                .properties(ConfigurationProperty.optional("Depth")).build();
        ObjectNode registered = listed(plain);
        ((ArrayNode) registered.get("actionConfigurationProperties")).removeAll().addObject().put("name", "Depth");
        aws.stubListActionTypes(List.of(List.of(registered)));

        PreflightReport report = aws.run(JobQueue.of(CUSTOM, Region.US_WEST_2), plain);

        assertThat(check(report, "registration.properties").message()).isEqualTo("1 properties as declared");
    }

    @Test
    void anOptionalPropertyRegisteredButNotDeclaredIsAWarning() {
        ObjectNode registered = declaration(DEFINITION);
        ((ArrayNode) registered.get("properties")).addObject().put("name", "Legacy").put("optional", true)
                .put("noEcho", false).put("key", false).put("queryable", false);

        PreflightReport report = thirdParty(registered);

        Check properties = check(report, "registration.properties");
        assertThat(properties.status()).isEqualTo(Status.WARN);
        assertThat(properties.message()).isEqualTo("'Legacy' is registered but not declared");
        assertThat(report.passed()).as("an optional extra does not stop a worker").isTrue();
    }

    @Test
    void aRequiredPropertyRegisteredButNotDeclaredFails() {
        ObjectNode registered = declaration(DEFINITION);
        ArrayNode properties = (ArrayNode) registered.get("properties");
        properties.addObject().put("name", "Legacy").put("optional", true);
        properties.addObject().put("name", "Region").put("optional", false);

        Check check = check(thirdParty(registered), "registration.properties");

        assertThat(check.status()).isEqualTo(Status.FAIL);
        assertThat(check.message()).isEqualTo("'Legacy' is registered but not declared; 'Region' is registered "
                + "(required) but not declared");
    }

    @Test
    void anOptionalExtraBesideAMismatchFails() {
        ObjectNode registered = declaration(DEFINITION);
        ArrayNode properties = (ArrayNode) registered.get("properties");
        properties.remove(1);
        properties.addObject().put("name", "Legacy").put("optional", true);

        Check check = check(thirdParty(registered), "registration.properties");

        assertThat(check.status()).isEqualTo(Status.FAIL);
        assertThat(check.message()).isEqualTo("'Token' is declared but not registered; 'Legacy' is registered but "
                + "not declared");
    }

    @Test
    void bothArtifactCountsAreCompared() {
        ObjectNode registered = declaration(DEFINITION);
        ((ObjectNode) registered.get("inputArtifactDetails")).put("minimumCount", 0);
        ((ObjectNode) registered.get("outputArtifactDetails")).put("maximumCount", 2);

        Check artifacts = check(thirdParty(registered), "registration.artifacts");

        assertThat(artifacts.status()).isEqualTo(Status.FAIL);
        assertThat(artifacts.message()).isEqualTo("input artifacts 1-5 declared, 0-5 registered; output artifacts 1 "
                + "declared, 1-2 registered");
        assertThat(artifacts.fix()).isEqualTo("make the definition's artifact counts and the registration's agree");
    }

    @Test
    void aCustomTypesArtifactCountsAreComparedToo() {
        ObjectNode registered = listed(CUSTOM_DEFINITION);
        ((ObjectNode) registered.get("outputArtifactDetails")).put("minimumCount", 0).put("maximumCount", 0);

        assertThat(check(custom(registered), "registration.artifacts").message())
                .isEqualTo("output artifacts 1 declared, 0 registered");
    }

    @Test
    void countsTheServiceLeavesOutAreZero() {
        ActionTypeDefinition noArtifacts = declared(TYPE, b -> b.inputArtifacts(ArtifactCount.none())
                .outputArtifacts(ArtifactCount.none()));
        ObjectNode registered = declaration(noArtifacts);
        registered.putObject("inputArtifactDetails");
        registered.putObject("outputArtifactDetails");
        aws.stubGetActionType(registered);

        Check artifacts = check(aws.run(JobQueue.of(TYPE, Region.US_WEST_2), noArtifacts), "registration.artifacts");

        assertThat(artifacts.status()).isEqualTo(Status.PASS);
        assertThat(artifacts.message()).isEqualTo("input 0, output 0 as declared");
    }

    @Test
    void aRegistrationWithoutUrlsNamesEachDeclaredOneAsNotSet() {
        ObjectNode registered = declaration(DEFINITION);
        registered.remove("urls");

        Check urls = check(thirdParty(registered), "registration.urls");

        assertThat(urls.status()).isEqualTo(Status.WARN);
        assertThat(urls.message()).isEqualTo(String.join("; ",
                "the configuration URL is '" + CONFIGURATION + "' in the definition but not set as registered",
                "the entity URL template is '" + ENTITY + "' in the definition but not set as registered",
                "the execution URL template is '" + EXECUTION + "' in the definition but not set as registered",
                "the revision URL template is '" + REVISION + "' in the definition but not set as registered"));
        assertThat(urls.fix()).isEqualTo("update the registration from the generated file, or the definition, so "
                + "that the console links agree");
    }

    @Test
    void eachUrlIsReadFromItsOwnField() {
        ObjectNode registered = declaration(DEFINITION);
        ((ObjectNode) registered.get("urls")).put("configurationUrl", "https://other/setup")
                .put("revisionUrlTemplate", "https://other/{RevisionId}");

        assertThat(check(thirdParty(registered), "registration.urls").message()).isEqualTo(
                "the configuration URL is '" + CONFIGURATION + "' in the definition but 'https://other/setup' as "
                        + "registered; the revision URL template is '" + REVISION + "' in the definition but "
                        + "'https://other/{RevisionId}' as registered");
    }

    @Test
    void aCustomTypesUrlsAreReadFromItsSettings() {
        ObjectNode registered = listed(CUSTOM_DEFINITION);
        ((ObjectNode) registered.get("settings")).put("thirdPartyConfigurationUrl", "https://other/setup")
                .put("executionUrlTemplate", "https://other/{ExternalExecutionId}");

        assertThat(check(custom(registered), "registration.urls").message()).isEqualTo(
                "the configuration URL is '" + CONFIGURATION + "' in the definition but 'https://other/setup' as "
                        + "registered; the execution URL template is '" + EXECUTION + "' in the definition but "
                        + "'https://other/{ExternalExecutionId}' as registered");
    }

    @Test
    void aCustomTypeWithoutSettingsHasNoUrls() {
        ObjectNode registered = listed(CUSTOM_DEFINITION);
        registered.remove("settings");

        Check urls = check(custom(registered), "registration.urls");

        assertThat(urls.status()).isEqualTo(Status.WARN);
        assertThat(urls.message()).startsWith("the configuration URL is '" + CONFIGURATION + "' in the definition but "
                + "not set as registered; the entity URL template");
    }

    @Test
    void aDifferentExecutorTimeoutFails() {
        ObjectNode registered = declaration(DEFINITION);
        ((ObjectNode) registered.get("executor")).put("jobTimeout", 3600);

        Check timeout = check(thirdParty(registered), "registration.executorTimeout");

        assertThat(timeout.status()).isEqualTo(Status.FAIL);
        assertThat(timeout.message()).isEqualTo("the executor's jobTimeout is 3600 s as registered, 1800 s declared");
        assertThat(timeout.fix()).isEqualTo("update the registration from the generated file (aws codepipeline "
                + "update-action-type)");
    }

    @Test
    void anExecutorWithoutATimeoutOrNoExecutorFails() {
        ObjectNode withoutTimeout = declaration(DEFINITION);
        ((ObjectNode) withoutTimeout.get("executor")).remove("jobTimeout");
        assertThat(check(thirdParty(withoutTimeout), "registration.executorTimeout").message())
                .isEqualTo("the executor's jobTimeout is not set as registered, 1800 s declared");

        ObjectNode withoutExecutor = declaration(DEFINITION);
        withoutExecutor.remove("executor");
        PreflightReport report = thirdParty(withoutExecutor);
        assertThat(check(report, "registration.executorTimeout").status()).isEqualTo(Status.FAIL);
        assertThat(check(report, "jobTimeout").message()).as("the declared timeout applies")
                .isEqualTo("the worker's 1500 s is shorter than the declared 1800 s");
    }
}

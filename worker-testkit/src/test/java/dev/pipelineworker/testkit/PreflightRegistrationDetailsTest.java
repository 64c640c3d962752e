package dev.pipelineworker.testkit;

import static dev.pipelineworker.testkit.PreflightTest.check;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.JobHandler;
import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.JobWorker;
import dev.pipelineworker.OutcomeJournal;
import dev.pipelineworker.PreflightReport;
import dev.pipelineworker.PreflightReport.Check;
import dev.pipelineworker.PreflightReport.Status;
import dev.pipelineworker.actiontype.ActionTypeDefinition;
import dev.pipelineworker.actiontype.ArtifactCount;
import dev.pipelineworker.actiontype.ConfigurationProperty;
import dev.pipelineworker.actiontype.RegistrationFiles;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * JobWorker.preflight() against the emulator, as in {@code PreflightTest}: the registration's property flags (key,
 * queryable) and console URL templates are compared with the declaration, each mismatch named.
 */
class PreflightRegistrationDetailsTest {

    private static final ActionTypeId TYPE = ActionTypeId.thirdParty(ActionCategory.BUILD, "Tool", "1");
    private static final ActionTypeId CUSTOM = ActionTypeId.custom(ActionCategory.BUILD, "Tool", "1");
    private static final JobHandler HANDLER = context -> JobOutcome.success();
    private static final String ENTITY = "https://tool.example.com/projects/{Config:Project}";
    private static final String EXECUTION = "https://tool.example.com/runs/{ExternalExecutionId}";

    private static final ConfigurationProperty[] DECLARED_PROPERTIES = {
            ConfigurationProperty.required("Project").withKey().withQueryable(), ConfigurationProperty.optional("Depth")};

    /** {@code id} with {@code properties}, the URL templates above and {@code change}; no other difference. */
    private static ActionTypeDefinition declared(ActionTypeId id, UnaryOperator<ActionTypeDefinition.Builder> change,
                                                 ConfigurationProperty... properties) {
        ActionTypeDefinition.Builder builder = ActionTypeDefinition.builder(id)
                .inputArtifacts(ArtifactCount.of(1, 5)).outputArtifacts(ArtifactCount.exactly(1))
                .entityUrlTemplate(ENTITY).executionUrlTemplate(EXECUTION)
                .properties(properties);
        if (id.equals(TYPE)) {
            builder.executorJobTimeout(Duration.ofMinutes(30));
        }
        return change.apply(builder).build();
    }

    private static final ActionTypeDefinition DEFINITION = declared(TYPE, UnaryOperator.identity(),
            DECLARED_PROPERTIES);

    /** The report of a worker declaring {@code definition}, against an emulator holding {@code registered}. */
    private static PreflightReport preflight(ActionTypeDefinition definition, ActionTypeDefinition registered) {
        try (LocalCodePipeline cp = LocalCodePipeline.builder().registeredActionType(RegistrationFiles.of(registered))
                .start();
             JobWorker worker = cp.workerFor(definition, HANDLER).jobTimeout(Duration.ofMinutes(25))
                     .outcomeJournal(OutcomeJournal.disabled()).build()) {
            return worker.preflight();
        }
    }

    @Test
    void theGeneratedRegistrationsFlagsAndUrlsPass() {
        PreflightReport report = preflight(DEFINITION, DEFINITION);

        assertThat(check(report, "registration.properties").status()).as(report.render()).isEqualTo(Status.PASS);
        assertThat(check(report, "registration.urls").status()).as(report.render()).isEqualTo(Status.PASS);
        assertThat(report.passed()).as(report.render()).isTrue();
    }

    @Test
    void aPropertyThatIsAKeyInTheDefinitionButNotAsRegisteredFails() {
        PreflightReport report = preflight(DEFINITION, declared(TYPE, UnaryOperator.identity(),
                ConfigurationProperty.required("Project").withQueryable(), ConfigurationProperty.optional("Depth")));

        Check properties = check(report, "registration.properties");
        assertThat(properties.status()).as(report.render()).isEqualTo(Status.FAIL);
        assertThat(properties.message()).isEqualTo("'Project' is a key in the definition but not as registered");
    }

    @Test
    void aPropertyQueryableInTheDefinitionButNotAsRegisteredFails() {
        ActionTypeDefinition registered = declared(TYPE, UnaryOperator.identity(),
                ConfigurationProperty.required("Project").withKey(), ConfigurationProperty.optional("Depth"));
        PreflightReport report = preflight(DEFINITION, registered);

        Check properties = check(report, "registration.properties");
        assertThat(properties.status()).as(report.render()).isEqualTo(Status.FAIL);
        assertThat(properties.message()).isEqualTo("'Project' is queryable in the definition but not as registered");
    }

    @Test
    void aDifferentUrlTemplateIsAWarningNamingBothValues() {
        PreflightReport report = preflight(DEFINITION, declared(TYPE, b -> b
                .executionUrlTemplate("https://tool.example.com/old/{ExternalExecutionId}")
                .revisionUrlTemplate("https://tool.example.com/revisions/{RevisionId}"), DECLARED_PROPERTIES));

        Check urls = check(report, "registration.urls");
        assertThat(urls.status()).as(report.render()).isEqualTo(Status.WARN);
        assertThat(urls.message()).isEqualTo("the execution URL template is '" + EXECUTION + "' in the definition "
                + "but 'https://tool.example.com/old/{ExternalExecutionId}' as registered; the revision URL template "
                + "is not set in the definition but 'https://tool.example.com/revisions/{RevisionId}' as registered");
        assertThat(urls.fix()).contains("generated file");
        assertThat(report.passed()).as("console links do not stop a worker").isTrue();
    }

    @Test
    void aCustomTypesUrlsAreComparedThroughItsSettings() {
        ActionTypeDefinition custom = declared(CUSTOM, UnaryOperator.identity(), DECLARED_PROPERTIES);
        PreflightReport report = preflight(custom, declared(CUSTOM, b -> b.entityUrlTemplate(
                "https://tool.example.com/elsewhere/{Config:Project}"), DECLARED_PROPERTIES));

        Check urls = check(report, "registration.urls");
        assertThat(urls.status()).as(report.render()).isEqualTo(Status.WARN);
        assertThat(urls.message()).startsWith("the entity URL template is '" + ENTITY + "' in the definition");
        assertThat(check(report, "registration.properties").status()).isEqualTo(Status.PASS);
    }
}

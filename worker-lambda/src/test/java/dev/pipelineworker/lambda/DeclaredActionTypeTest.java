package dev.pipelineworker.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.actiontype.ActionTypeDefinition;
import dev.pipelineworker.actiontype.ConfigurationProperty;
import dev.pipelineworker.lambda.testing.LambdaEvent;
import dev.pipelineworker.lambda.testing.LambdaResponse;
import dev.pipelineworker.lambda.testing.LocalLambdaInvoker;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A function given its declared action type checks each job's configuration as a polling worker does. */
class DeclaredActionTypeTest {

    private static final ActionTypeDefinition DEFINITION = ActionTypeDefinition.builder(
                    ActionTypeId.thirdParty(ActionCategory.DEPLOY, "Declared", "3"))
            .properties(ConfigurationProperty.required("Project"), ConfigurationProperty.optional("Depth"))
            .build();
    private static final LambdaOptions DECLARED = LambdaOptions.defaults().withActionType(DEFINITION);

    private final AtomicInteger runs = new AtomicInteger();

    @Test
    void aJobWithoutARequiredPropertyFailsAsConfigurationErrorNamingItAndTheHandlerDoesNotRun() {
        LambdaResponse response = LocalLambdaInvoker.of(ctx -> {
            runs.incrementAndGet();
            return JobOutcome.success("ran");
        }, DECLARED).invoke(LambdaEvent.builder().configuration("Depth", "2").build());

        assertThat(response.failureType()).isEqualTo("ConfigurationError");
        assertThat(response.summary()).contains("'Project'").contains(DEFINITION.id().toString());
        assertThat(runs).as("handler runs").hasValue(0);
    }

    @Test
    void readingAKeyTheDefinitionDoesNotDeclareIsAnErrorNamingTheKey() {
        LambdaResponse response = LocalLambdaInvoker.of(ctx -> JobOutcome.success(
                ctx.configuration().optionalString("Branch").orElse("main")), DECLARED)
                .invoke(LambdaEvent.builder().configuration("Project", "p").build());

        assertThat(response.failureType()).isEqualTo("JobFailed");
        assertThat(response.summary()).contains("configuration key 'Branch' is not declared by the action type "
                + DEFINITION.id());
    }

    @Test
    void aDeclaredJobRunsWithTheDefinitionsTypeAndProperties() {
        LambdaResponse response = LocalLambdaInvoker.of(ctx -> JobOutcome.success(ctx.actionTypeId() + " "
                + ctx.configuration().requireString("Project") + " "
                + ctx.configuration().declaredProperty("Project").orElseThrow().required()), DECLARED)
                .invoke(LambdaEvent.builder().configuration("Project", "p").build());

        assertThat(response.summary()).isEqualTo(DEFINITION.id() + " p true");
    }

    @Test
    void withoutADefinitionNothingIsCheckedAndAnActionTypeIdGivenLaterDropsTheDefinition() {
        LambdaOptions idOnly = DECLARED.withActionType(DEFINITION.id());
        LambdaResponse response = LocalLambdaInvoker.of(ctx -> JobOutcome.success(
                ctx.configuration().optionalString("Branch").orElse("main")), idOnly)
                .invoke(LambdaEvent.builder().build());

        assertThat(LambdaOptions.defaults().actionTypeDefinition()).isEmpty();
        assertThat(DECLARED.actionTypeDefinition()).contains(DEFINITION);
        assertThat(DECLARED.actionType()).contains(DEFINITION.id());
        assertThat(idOnly.actionTypeDefinition()).isEmpty();
        assertThat(response.summary()).isEqualTo("main");
    }
}

package dev.pipelineworker.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.actiontype.ActionTypeDefinition;
import dev.pipelineworker.actiontype.ConfigurationProperty;
import org.junit.jupiter.api.Test;

/** HandlerTestEnvironment with a declared action type: the checks the worker makes, in a unit test. */
class DeclaredActionTypeTest {

    private static final ActionTypeDefinition DEFINITION = ActionTypeDefinition.builder(TestJob.DEFAULT_ACTION_TYPE)
            .properties(ConfigurationProperty.required("Project"), ConfigurationProperty.optional("Depth"))
            .build();

    private final HandlerTestEnvironment env = HandlerTestEnvironment.create().actionType(DEFINITION);

    @Test
    void aHandlerReadingAPropertyTheDefinitionDoesNotDeclareFailsClearly() {
        JobResult result = env.run(context -> JobOutcome.success(
                context.configuration().optionalString("Branch").orElse("main")),
                TestJob.builder().configuration("Project", "p").build());

        assertThat(result.isFailure()).isTrue();
        assertThat(result.thrown()).get().isInstanceOf(IllegalStateException.class).asString()
                .contains("configuration key 'Branch' is not declared by the action type "
                        + TestJob.DEFAULT_ACTION_TYPE);
    }

    @Test
    void aJobWithoutARequiredPropertyFailsAsConfigurationErrorBeforeTheHandler() {
        JobResult result = env.run(context -> {
            throw new AssertionError("the handler must not run");
        }, TestJob.builder().configuration("Depth", "2").build());

        assertThat(result.failure().type()).isEqualTo(FailureType.CONFIGURATION_ERROR);
        assertThat(result.failure().message()).contains("'Project'");
    }

    @Test
    void declaredPropertiesReadAsUsual() {
        JobResult result = env.run(context -> JobOutcome.success(context.configuration().requireString("Project")
                + context.configuration().declaredProperty("Project").orElseThrow().required()),
                TestJob.builder().configuration("Project", "p").build());

        assertThat(result.summary()).isEqualTo("ptrue");
    }
}

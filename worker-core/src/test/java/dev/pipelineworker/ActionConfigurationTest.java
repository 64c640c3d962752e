package dev.pipelineworker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipelineworker.actiontype.ActionTypeDefinition;
import dev.pipelineworker.actiontype.ConfigurationProperty;
import java.util.HashMap;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class ActionConfigurationTest {

    private final ActionConfiguration config = ActionConfiguration.of(Map.of(
            "Name", "release", "Count", "12", "Bad", "twelve", "Flag", "TRUE", "Type", "permission-error",
            "Secret", "hunter2", "Blank", "  "));

    @Test
    void typedAccessorsReadValues() {
        assertThat(config.requireString("Name")).isEqualTo("release");
        assertThat(config.requireInt("Count")).isEqualTo(12);
        assertThat(config.optionalInt("Count", 0, 20)).hasValue(12);
        assertThat(config.requireBoolean("Flag")).isTrue();
        assertThat(config.requireEnum("Type", FailureType.class)).isEqualTo(FailureType.PERMISSION_ERROR);
        assertThat(config.optionalString("Blank")).isEmpty();
        assertThat(config.optionalInt("Missing")).isEmpty();
    }

    @Test
    void missingRequiredValuesFailAsConfigurationErrorNamingTheKey() {
        assertConfigurationError(() -> config.requireString("Missing"), "'Missing' is required");
        assertConfigurationError(() -> config.requireInt("Blank"), "'Blank' is required");
    }

    @Test
    void malformedValuesFailAsConfigurationErrorNamingTheKeyAndTheRule() {
        assertConfigurationError(() -> config.requireInt("Bad"), "'Bad' must be an integer");
        assertConfigurationError(() -> config.optionalInt("Count", 0, 10), "'Count' must be between 0 and 10");
        assertConfigurationError(() -> config.requireBoolean("Name"), "'Name' must be true or false");
        assertConfigurationError(() -> config.requireEnum("Name", FailureType.class), "'Name' must be one of JOB_FAILED");
    }

    @Test
    void valuesNeverAppearInToStringOrErrors() {
        assertThat(config.toString()).contains("Secret").doesNotContain("hunter2");
        assertThatThrownBy(() -> config.requireInt("Secret")).message().doesNotContain("hunter2");
        assertThatThrownBy(() -> config.requireEnum("Secret", FailureType.class)).message().doesNotContain("hunter2");
    }

    @Test
    void aConfigurationIsACopyAndNoValuesIsTheEmptyConfiguration() {
        Map<String, String> values = new HashMap<>(Map.of("Name", "release"));

        ActionConfiguration copy = ActionConfiguration.of(values);
        values.put("Late", "x");

        assertThat(copy.keys()).containsExactly("Name");
        assertThatThrownBy(() -> copy.asMap().put("More", "y")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(ActionConfiguration.of(null)).isSameAs(ActionConfiguration.empty());
        assertThat(ActionConfiguration.of(Map.of())).isSameAs(ActionConfiguration.empty());
        assertThat(ActionConfiguration.empty().asMap()).isEmpty();
        assertThat(copy).isEqualTo(ActionConfiguration.of(Map.of("Name", "release")))
                .hasSameHashCodeAs(ActionConfiguration.of(Map.of("Name", "release")))
                .isNotEqualTo(ActionConfiguration.empty()).isNotEqualTo(Map.of("Name", "release"));
    }

    @Test
    void numbersAreTrimmedAndRangesIncludeTheirBounds() {
        ActionConfiguration numbers = ActionConfiguration.of(Map.of("Padded", " 7 ", "Low", "0", "High", "10"));

        assertThat(numbers.requireInt("Padded")).isEqualTo(7);
        assertThat(numbers.requireInt("Low", 0, 10)).isZero();
        assertThat(numbers.requireInt("High", 0, 10)).isEqualTo(10);
        assertThat(numbers.optionalInt("Missing", 0, 10)).isEmpty();
        assertConfigurationError(() -> numbers.requireInt("Low", 1, 10), "'Low' must be between 1 and 10");
        assertConfigurationError(() -> numbers.requireInt("High", 0, 9), "'High' must be between 0 and 9");
        assertConfigurationError(() -> numbers.requireInt("Missing", 0, 9), "'Missing' is required but missing");
    }

    @Test
    void booleansAreTrueOrFalseInAnyCase() {
        ActionConfiguration flags = ActionConfiguration.of(Map.of("On", " True ", "Off", "FALSE"));

        assertThat(flags.requireBoolean("On")).isTrue();
        assertThat(flags.requireBoolean("Off")).isFalse();
        assertThat(flags.optionalBoolean("Missing")).isEmpty();
        assertConfigurationError(() -> flags.requireBoolean("Missing"), "'Missing' is required");
    }

    @Test
    void enumNamesIgnoreCaseUnderscoresAndHyphensAndAWrongOneListsTheConstants() {
        ActionConfiguration types = ActionConfiguration.of(Map.of("A", "job-failed", "B", "JobFailed",
                "C", " revision_unavailable ", "D", "Jobfail"));

        assertThat(types.requireEnum("A", FailureType.class)).isEqualTo(FailureType.JOB_FAILED);
        assertThat(types.requireEnum("B", FailureType.class)).isEqualTo(FailureType.JOB_FAILED);
        assertThat(types.requireEnum("C", FailureType.class)).isEqualTo(FailureType.REVISION_UNAVAILABLE);
        assertThat(types.optionalEnum("Missing", FailureType.class)).isEmpty();
        assertConfigurationError(() -> types.requireEnum("D", FailureType.class), "configuration key 'D' must be one "
                + "of JOB_FAILED, CONFIGURATION_ERROR, PERMISSION_ERROR, REVISION_OUT_OF_SYNC, REVISION_UNAVAILABLE, "
                + "SYSTEM_UNAVAILABLE");
        assertConfigurationError(() -> types.requireEnum("Missing", FailureType.class), "'Missing' is required");
    }

    @Test
    void aDeclaredConfigurationRefusesToReadAKeyItsDefinitionDoesNotDeclare() {
        ActionTypeDefinition definition = ActionTypeDefinition.builder(
                ActionTypeId.custom(ActionCategory.BUILD, "Tool", "1"))
                .properties(ConfigurationProperty.required("Name"), ConfigurationProperty.optional("Count")).build();

        ActionConfiguration declared = config.declaredBy(definition);

        assertThat(declared.requireString("Name")).isEqualTo("release");
        assertThat(declared.declaredProperty("Count")).hasValue(ConfigurationProperty.optional("Count"));
        assertThat(declared.declaredProperty("Flag")).isEmpty();
        assertThat(config.declaredProperty("Name")).as("undeclared").isEmpty();
        assertThatThrownBy(() -> declared.optionalString("Flag")).isInstanceOf(IllegalStateException.class)
                .hasMessage("configuration key 'Flag' is not declared by the action type Build/Custom/Tool/1; add it "
                        + "to the ActionTypeDefinition's properties (and to the registration), or correct the key");
        assertThat(declared).as("equal by values").isEqualTo(config);
        assertThatThrownBy(() -> config.declaredBy(null)).hasMessage("definition");
    }

    private static void assertConfigurationError(ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(JobFailureException.class, e -> {
            assertThat(e.type()).isEqualTo(FailureType.CONFIGURATION_ERROR);
            assertThat(e.getMessage()).contains(message);
        });
    }
}

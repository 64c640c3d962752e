package dev.pipelineworker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    private static void assertConfigurationError(ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(JobFailureException.class, e -> {
            assertThat(e.type()).isEqualTo(FailureType.CONFIGURATION_ERROR);
            assertThat(e.getMessage()).contains(message);
        });
    }
}

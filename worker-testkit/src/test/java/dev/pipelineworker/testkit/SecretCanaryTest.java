package dev.pipelineworker.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretCanaryTest {

    private final String token = "ClientToken" + SecretCanary.random(40);
    private final SecretCanary canary = SecretCanary.of(Map.of("client token", token));

    @Test
    void aSecretIsFoundWholeOrCutShortAndCleanTextsReportNothing() {
        String truncated = "token=" + token.substring(0, 24) + "... [truncated]";

        assertThat(canary.leaks(Arrays.asList("job done", null, truncated, "header: " + token)))
                .containsOnlyKeys("client token")
                .hasEntrySatisfying("client token", texts -> assertThat(texts).hasSize(2).contains(truncated));
        assertThat(canary.leaks(List.of("job done", token.substring(0, 19)))).isEmpty();
        assertThat(canary.size()).isEqualTo(1);
        assertThat(canary.toString()).doesNotContain(token.substring(0, 20));
    }

    @Test
    void aSecretTooShortToBeUniqueIsRefused() {
        assertThatThrownBy(() -> SecretCanary.of(Map.of("pin", "1234")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'pin'").hasMessageContaining("20");
        assertThat(SecretCanary.random(33)).hasSize(33).matches("[A-Za-z0-9]+");
    }
}

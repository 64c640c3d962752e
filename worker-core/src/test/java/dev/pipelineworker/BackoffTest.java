package dev.pipelineworker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void withoutJitterTheDelayDoublesUpToTheCap() {
        Backoff backoff = Backoff.exponential(Duration.ofMillis(100), Duration.ofMillis(500)).withJitter(0);
        Random random = new Random(1);

        assertThat(backoff.delay(1, random)).isEqualTo(Duration.ofMillis(100));
        assertThat(backoff.delay(2, random)).isEqualTo(Duration.ofMillis(200));
        assertThat(backoff.delay(3, random)).isEqualTo(Duration.ofMillis(400));
        assertThat(backoff.delay(4, random)).isEqualTo(Duration.ofMillis(500));
        assertThat(backoff.delay(60, random)).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void jitterSpreadsDelaysWithinItsBoundsAndIsRepeatableForASeed() {
        Backoff backoff = Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(10));
        Random random = new Random(42);
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < 1_000; i++) {
            long millis = backoff.delay(1, random).toMillis();
            min = Math.min(min, millis);
            max = Math.max(max, millis);
        }

        assertThat(min).isBetween(800L, 850L);
        assertThat(max).isBetween(1150L, 1200L);
        assertThat(backoff.delay(3, new Random(7))).isEqualTo(backoff.delay(3, new Random(7)));
    }

    @Test
    void invalidSettingsAreRefused() {
        assertThatThrownBy(() -> Backoff.exponential(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(2)).withJitter(1.5))
                .hasMessageContaining("jitter");
    }
}

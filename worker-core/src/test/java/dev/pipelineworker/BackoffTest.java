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
                .isInstanceOf(IllegalArgumentException.class).hasMessage("backoff needs 0 <= initial <= max");
        assertThatThrownBy(() -> Backoff.exponential(Duration.ofMillis(-1), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("backoff needs 0 <= initial <= max");
        assertThatThrownBy(() -> Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(2)).withJitter(1.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("backoff jitter must be within 0-1, got 1.5");
        assertThatThrownBy(() -> Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(2)).withJitter(-0.1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jitter");
        assertThatThrownBy(() -> Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(2)).withMultiplier(0.9))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("backoff multiplier must be at least 1, got 0.9");
        assertThatThrownBy(() -> new Backoff(null, Duration.ofSeconds(1), 2, 0)).hasMessage("initial");
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, null, 2, 0)).hasMessage("max");
    }

    @Test
    void theBoundariesOfEachSettingAreAccepted() {
        Backoff constant = Backoff.exponential(Duration.ofMillis(300), Duration.ofMillis(300)).withMultiplier(1.0)
                .withJitter(0.0);
        Random random = new Random(1);

        assertThat(constant.delay(1, random)).isEqualTo(Duration.ofMillis(300));
        assertThat(constant.delay(9, random)).isEqualTo(Duration.ofMillis(300));
        assertThat(Backoff.exponential(Duration.ZERO, Duration.ZERO).delay(3, random)).isEqualTo(Duration.ZERO);
        assertThat(constant.withJitter(1.0).jitter()).isEqualTo(1.0);
    }

    @Test
    void theMultiplierSetsTheGrowthAndAttemptsBeforeTheFirstCountAsTheFirst() {
        Backoff tripling = Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(1)).withMultiplier(3)
                .withJitter(0);
        Random random = new Random(1);

        assertThat(tripling.delay(0, random)).isEqualTo(Duration.ofMillis(100));
        assertThat(tripling.delay(2, random)).isEqualTo(Duration.ofMillis(300));
        assertThat(tripling.delay(3, random)).isEqualTo(Duration.ofMillis(900));
        assertThat(tripling.delay(4, random)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void jitterSpreadsEachWaySymmetricallyAndNeverPastTheMaximum() {
        Backoff backoff = Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(4)).withJitter(0.25);

        assertThat(backoff.delay(1, FixedDraws.of(0.0))).isEqualTo(Duration.ofMillis(750));
        assertThat(backoff.delay(1, FixedDraws.of(0.5))).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.delay(1, FixedDraws.of(0.75))).isEqualTo(Duration.ofMillis(1125));
        assertThat(backoff.delay(3, FixedDraws.of(0.0))).isEqualTo(Duration.ofSeconds(3));
        assertThat(backoff.delay(3, FixedDraws.of(0.99))).as("capped").isEqualTo(Duration.ofSeconds(4));
    }

}

package dev.pipelineworker.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class TestClockTest {

    @Test
    void standsStillUntilAdvancedAndZonedCopiesShareTheTime() {
        TestClock clock = new TestClock(Instant.EPOCH);
        Clock paris = clock.withZone(ZoneId.of("Europe/Paris"));

        assertThat(clock.advance(Duration.ofSeconds(5))).isEqualTo(Instant.ofEpochSecond(5));
        assertThat(clock.instant()).isEqualTo(Instant.ofEpochSecond(5));
        assertThat(paris.instant()).isEqualTo(Instant.ofEpochSecond(5));
        assertThat(paris.getZone()).isEqualTo(ZoneId.of("Europe/Paris"));
    }

    @Test
    void neverGoesBack() {
        TestClock clock = new TestClock(Instant.EPOCH);

        assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThat(clock.instant()).isEqualTo(Instant.EPOCH);
    }
}

package dev.pipelineworker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** An outage's repeated warning: one line a window for each kind, saying how many were suppressed. */
class RateLimitedLogTest {

    private static final Instant START = Instant.parse("2025-06-01T10:00:00Z");

    private final CapturedLog lines = new CapturedLog("test.RateLimitedLog");
    private final SettableClock clock = new SettableClock();
    private final RateLimitedLog log = new RateLimitedLog(lines.logger(), clock, Duration.ofSeconds(60));

    @AfterEach
    void releaseLogs() {
        lines.close();
    }

    @Test
    void aWarningRepeatedWithinTheWindowIsCountedAndTheCountLoggedWithTheNextWindowsFirst() {
        log.warn("poll", "polling failed", null);
        clock.at(START.plusSeconds(30));
        log.warn("poll", "polling failed", null);
        clock.at(START.plusSeconds(59));
        log.warn("poll", "polling failed", null);
        clock.at(START.plusSeconds(60));
        log.warn("poll", "polling failed", null);
        clock.at(START.plusSeconds(121));
        log.warn("poll", "polling failed", null);

        assertThat(lines.events()).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                "polling failed",
                "polling failed (2 similar warnings suppressed in the last 60 s)",
                "polling failed");
        assertThat(lines.events()).allSatisfy(line -> assertThat(line.getLevel()).isEqualTo(Level.WARN));
    }

    @Test
    void eachKeyHasAWindowOfItsOwn() {
        log.warn("poll us-east-1", "polling us-east-1 failed", null);
        log.warn("poll eu-west-2", "polling eu-west-2 failed", null);
        log.warn("poll us-east-1", "polling us-east-1 failed", null);

        assertThat(lines.events()).extracting(ILoggingEvent::getFormattedMessage)
                .containsExactly("polling us-east-1 failed", "polling eu-west-2 failed");
    }

    @Test
    void anErrorIsDescribedOnTheLineWithoutItsStackTrace() {
        log.warn("report", "reporting failed", new IllegalStateException("connection reset"));

        assertThat(lines.events()).singleElement().satisfies(line -> {
            assertThat(line.getFormattedMessage()).isEqualTo("reporting failed: IllegalStateException: connection reset");
            assertThat(line.getThrowableProxy()).isNull();
        });
    }

    @Test
    void anErrorWithoutAMessageIsDescribedByItsType() {
        assertThat(RateLimitedLog.describe(new IllegalStateException())).isEqualTo("IllegalStateException");
        assertThat(RateLimitedLog.describe(new IllegalStateException("gone"))).isEqualTo("IllegalStateException: gone");
    }

    private static final class SettableClock extends Clock {
        private volatile Instant now = START;

        void at(Instant instant) {
            now = instant;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}

package dev.pipelineworker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The start-up warning that a library logger which prints secrets (raw HTTP, signing input) is at DEBUG. */
class LeakyLoggersTest {

    private static final String WIRE = "org.apache.http.wire";
    private static final String SIGNER = "software.amazon.awssdk.auth.signer";

    private final CapturedLog lines = new CapturedLog("test.LeakyLoggers");

    @AfterEach
    void restoreLevels() {
        lines.close();
        logger(WIRE).setLevel(null);
        logger(SIGNER).setLevel(null);
    }

    @Test
    void atTheUsualLevelsNothingIsEnabledAndNothingIsSaid() {
        assertThat(LeakyLoggers.enabled()).isEmpty();

        LeakyLoggers.warnIfEnabled(lines.logger());

        assertThat(lines.events()).isEmpty();
    }

    @Test
    void theLoggersAtDebugOrBelowAreNamedInOneWarning() {
        logger(WIRE).setLevel(Level.DEBUG);
        logger(SIGNER).setLevel(Level.TRACE);

        assertThat(LeakyLoggers.enabled()).containsExactly(WIRE, SIGNER);
        LeakyLoggers.warnIfEnabled(lines.logger());

        assertThat(lines.events()).singleElement().satisfies(line -> {
            assertThat(line.getLevel()).isEqualTo(Level.WARN);
            assertThat(line.getFormattedMessage()).startsWith("DEBUG logging is on for [" + WIRE + ", " + SIGNER + "]")
                    .contains("artifact credentials, session tokens, client tokens and configuration values");
        });
    }

    private static Logger logger(String name) {
        return (Logger) LoggerFactory.getLogger(name);
    }
}

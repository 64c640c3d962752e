package dev.pipelineworker.integration;

import dev.pipelineworker.testkit.LocalCodePipeline;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the integration tests: each test gets a fresh {@link EmulatorTestbed} in {@link #cp}; afterwards its
 * workers are closed and no request may have been refused as malformed by the emulator, which checks each against
 * the service's model (every result's limits included). A subclass's own {@code @AfterEach} runs before this one.
 */
abstract class EmulatorTest {

    EmulatorTestbed cp;

    /** Every wait names what it waits for; these defaults keep the waits of a fast local emulator short. */
    @BeforeAll
    static void awaitQuickly() {
        Awaitility.setDefaultTimeout(EmulatorTestbed.WAIT);
        Awaitility.setDefaultPollInterval(Duration.ofMillis(10));
        Awaitility.setDefaultPollDelay(Duration.ZERO);
    }

    @BeforeEach
    final void startTestbed() {
        cp = new EmulatorTestbed();
    }

    /** Replaces this test's testbed by one whose emulator is configured otherwise. */
    final void restartTestbed(UnaryOperator<LocalCodePipeline.Builder> customisation) {
        cp.close();
        cp = new EmulatorTestbed(customisation);
    }

    @AfterEach
    final void closeWorkersAndCheckTheirRequests() {
        cp.close();
        cp.assertNoRequestRefusedAsMalformed();
    }
}

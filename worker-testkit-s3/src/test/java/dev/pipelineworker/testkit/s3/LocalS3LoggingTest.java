package dev.pipelineworker.testkit.s3;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Starting S3Mock must not take over the JVM's logging: the worker's own INFO lines stay visible in tests. */
class LocalS3LoggingTest {

    @Test
    void startingLeavesTheLevelsAndAppendersAsTheyWere() {
        LoggerContext logback = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = logback.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Level rootLevel = root.getLevel();
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        root.addAppender(appender);
        try (LocalS3 s3 = LocalS3.start("logging-test")) {
            LoggerFactory.getLogger("dev.pipelineworker.Probe").info("an INFO line while S3Mock runs at {}",
                    s3.endpoint());

            assertThat(root.getLevel()).isEqualTo(rootLevel).isEqualTo(Level.INFO);
            assertThat(appender.list).extracting(ILoggingEvent::getFormattedMessage)
                    .contains("an INFO line while S3Mock runs at " + s3.endpoint());
        } finally {
            root.detachAppender(appender);
        }
        assertThat(System.getProperty("org.springframework.boot.logging.LoggingSystem")).isNull();
    }
}

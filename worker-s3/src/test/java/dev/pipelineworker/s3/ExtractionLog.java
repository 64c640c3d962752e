package dev.pipelineworker.s3;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** What the one-pass extraction logs while it is open: which path an extraction took, and why. */
final class ExtractionLog implements AutoCloseable {

    static final String ONE_PASS = "in one pass (";
    static final String FALLBACK = "is extracted from a downloaded file, not in one pass: ";

    private final Logger logger = (Logger) LoggerFactory.getLogger("dev.pipelineworker.s3.internal.RangedZipExtraction");
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Level previous;

    ExtractionLog() {
        previous = logger.getLevel();
        logger.setLevel(Level.DEBUG);
        appender.start();
        logger.addAppender(appender);
    }

    List<String> messages() {
        return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        logger.setLevel(previous);
        appender.stop();
    }
}

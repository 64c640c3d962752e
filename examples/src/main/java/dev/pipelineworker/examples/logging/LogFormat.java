package dev.pipelineworker.examples.logging;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import java.util.Locale;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * How the example worker's log lines look: {@code text}, what {@code logback.xml} configures (one readable line per
 * event on stderr), or {@code json}, one {@link JsonLineEncoder JSON object} per line on stdout. JSON goes to stdout
 * because nothing else writes there, so every line a collector reads from it is JSON; the JVM's and some libraries'
 * own messages go to stderr.
 */
public enum LogFormat {
    /** One line per event, for people, as {@code logback.xml} says. */
    TEXT,
    /** One JSON object per line on stdout, for log collectors. */
    JSON;

    /** The format a flag value names, in any case. */
    public static LogFormat of(String name) {
        for (LogFormat format : values()) {
            if (format.flag().equalsIgnoreCase(name)) {
                return format;
            }
        }
        throw new IllegalArgumentException("unknown log format '" + name + "'; expected text or json");
    }

    /** The name on the command line. */
    public String flag() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Makes the root logger write in this format, before the first log line: for {@link #JSON} its appenders (the
     * configuration's) are replaced by a console appender on stdout with a {@link JsonLineEncoder}; levels stay as
     * configured. Does nothing for {@link #TEXT}, or when SLF4J is bound to another backend.
     */
    public void apply() {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (this == TEXT || !(factory instanceof LoggerContext context)) {
            return;
        }
        JsonLineEncoder encoder = new JsonLineEncoder();
        encoder.setContext(context);
        encoder.start();
        ConsoleAppender<ILoggingEvent> stdout = new ConsoleAppender<>();
        stdout.setContext(context);
        stdout.setName("JSON");
        stdout.setTarget("System.out");
        stdout.setEncoder(encoder);
        stdout.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.detachAndStopAllAppenders();
        root.addAppender(stdout);
    }
}

package dev.pipelineworker.lambda.internal;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/**
 * An SLF4J logger writing to one invocation's {@link LambdaLogger}, so that what the core logs
 * while it runs the handler reaches the function's log stream whether or not the function ships
 * an SLF4J binding. Info and above, one line each, prefixed with the level; a throwable is left
 * out (only debug lines carry one, and its message may quote what the handler read).
 */
final class LambdaContextLogger extends LegacyAbstractLogger {

    private static final long serialVersionUID = 1L;

    private final transient Context context;

    LambdaContextLogger(Context context) {
        this.name = "dev.pipelineworker.lambda";
        this.context = context;
    }

    @Override
    public boolean isTraceEnabled() {
        return false;
    }

    @Override
    public boolean isDebugEnabled() {
        return false;
    }

    @Override
    public boolean isInfoEnabled() {
        return true;
    }

    @Override
    public boolean isWarnEnabled() {
        return true;
    }

    @Override
    public boolean isErrorEnabled() {
        return true;
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments,
                                               Throwable throwable) {
        LambdaJobRunner.log(context, level + " " + MessageFormatter.basicArrayFormat(pattern, arguments));
    }
}

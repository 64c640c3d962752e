package dev.pipelineworker.lambda.testing;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A Lambda {@link Context} for local invocations. Its remaining time counts down in real time from
 * what it was set to, as the Lambda runtime's does; its logger keeps every line so a test can check
 * what was logged (and that no secret was).
 */
public final class FakeLambdaContext implements Context {

    /** The default function name. */
    public static final String DEFAULT_FUNCTION_NAME = "pipeline-worker-test";

    private final String functionName;
    private final List<String> lines = new ArrayList<>();
    private final LambdaLogger logger = new LambdaLogger() {
        @Override
        public void log(String message) {
            synchronized (lines) {
                lines.add(message.endsWith("\n") ? message.substring(0, message.length() - 1) : message);
            }
        }

        @Override
        public void log(byte[] message) {
            log(new String(message, StandardCharsets.UTF_8));
        }
    };
    private volatile long remainingNanos;
    private volatile long setAt;

    private FakeLambdaContext(String functionName, Duration remaining) {
        this.functionName = Objects.requireNonNull(functionName, "functionName");
        setRemainingTime(remaining);
    }

    /** A context for {@link #DEFAULT_FUNCTION_NAME} with {@code remaining} time left from now. */
    public static FakeLambdaContext withRemainingTime(Duration remaining) {
        return new FakeLambdaContext(DEFAULT_FUNCTION_NAME, remaining);
    }

    /** A context for the named function with {@code remaining} time left from now. */
    public static FakeLambdaContext of(String functionName, Duration remaining) {
        return new FakeLambdaContext(functionName, remaining);
    }

    /** Sets the time left, from now; it counts down from there. */
    public void setRemainingTime(Duration remaining) {
        if (remaining.isNegative()) {
            throw new IllegalArgumentException("remaining time must not be negative, got " + remaining);
        }
        this.remainingNanos = remaining.toNanos();
        this.setAt = System.nanoTime();
    }

    /** Every line logged through {@link #getLogger()}, in order, without trailing newlines. */
    public List<String> logLines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    @Override
    public int getRemainingTimeInMillis() {
        long left = remainingNanos - (System.nanoTime() - setAt);
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, left / 1_000_000));
    }

    @Override
    public String getAwsRequestId() {
        return "00000000-0000-4000-8000-00000000a11d";
    }

    @Override
    public String getLogGroupName() {
        return "/aws/lambda/" + functionName;
    }

    @Override
    public String getLogStreamName() {
        return "local";
    }

    @Override
    public String getFunctionName() {
        return functionName;
    }

    @Override
    public String getFunctionVersion() {
        return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
        return "arn:aws:lambda:us-east-1:111111111111:function:" + functionName;
    }

    @Override
    public CognitoIdentity getIdentity() {
        return null;
    }

    @Override
    public ClientContext getClientContext() {
        return null;
    }

    @Override
    public int getMemoryLimitInMB() {
        return 512;
    }

    @Override
    public LambdaLogger getLogger() {
        return logger;
    }
}

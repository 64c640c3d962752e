package dev.pipelineworker.lambda.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipelineworker.lambda.testing.FakeLambdaContext;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What the core logs reaches the invocation's log: info and above, one line each, without throwables. */
class LambdaContextLoggerTest {

    @Test
    void infoAndAboveAreWrittenWithTheirLevelAndDebugAndTraceAreNot() {
        FakeLambdaContext context = FakeLambdaContext.withRemainingTime(Duration.ofMinutes(1));
        LambdaContextLogger logger = new LambdaContextLogger(context);

        logger.trace("trace {}", 1);
        logger.debug("debug {}", 2, new IllegalStateException("quoted input"));
        logger.info("info {} of {}", 3, 4);
        logger.warn("warn {}", 5);
        logger.error("error {}", 6, new IllegalStateException("quoted input"));

        assertThat(context.logLines()).containsExactly("INFO info 3 of 4", "WARN warn 5", "ERROR error 6");
        assertThat(logger.getName()).isEqualTo("dev.pipelineworker.lambda");
    }

    @Test
    void withoutAContextLoggingIsANoOpRatherThanAFailure() {
        LambdaContextLogger logger = new LambdaContextLogger(null);

        logger.error("nowhere to go");

        assertThat(logger.isErrorEnabled()).isTrue();
    }
}

package dev.pipelineworker.testkit;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The emulator's settings are checked when it is built, before anything listens. */
class LocalCodePipelineBuilderTest {

    private static void builds(UnaryOperator<LocalCodePipeline.Builder> configuration) {
        assertThatCode(() -> configuration.apply(LocalCodePipeline.builder()).build().close())
                .doesNotThrowAnyException();
    }

    @Test
    void thePortIsZeroTo65535() {
        builds(b -> b.port(0));
        builds(b -> b.port(65535));
        assertThatThrownBy(() -> LocalCodePipeline.builder().port(-1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("port must be 0-65535, got -1");
        assertThatThrownBy(() -> LocalCodePipeline.builder().port(65536).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("port must be 0-65535, got 65536");
    }

    @Test
    void timeoutsAndTheContinuationDelayMayBeZeroButNotNegative() {
        builds(b -> b.ackTimeout(Duration.ZERO).jobTimeout(Duration.ZERO).continuationDelay(Duration.ZERO));
        Duration negative = Duration.ofMillis(-1);
        assertThatThrownBy(() -> LocalCodePipeline.builder().ackTimeout(negative).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("ackTimeout must not be negative");
        assertThatThrownBy(() -> LocalCodePipeline.builder().jobTimeout(negative).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("jobTimeout must not be negative");
        assertThatThrownBy(() -> LocalCodePipeline.builder().continuationDelay(negative).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("continuationDelay must not be negative");
        assertThatThrownBy(() -> LocalCodePipeline.builder().jobTimeout(null).build())
                .isInstanceOf(NullPointerException.class).hasMessage("jobTimeout");
    }
}

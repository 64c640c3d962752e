package dev.pipelineworker.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.JobOutcome;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/** The options are an immutable builder: each setter changes its member only, and refuses what cannot work. */
class LambdaOptionsTest {

    @Test
    void eachSetterChangesItsMemberInACopy() {
        ObjectMapper mapper = new ObjectMapper();
        ActionTypeId type = ActionTypeId.custom(ActionCategory.DEPLOY, "Deployer", "2");
        Clock clock = Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC);

        LambdaOptions options = LambdaOptions.defaults()
                .withSafetyMargin(Duration.ofSeconds(3))
                .withObjectMapper(mapper)
                .withActionType(type)
                .withOutputVariablesAllowed(false)
                .withRegion(Region.AP_SOUTHEAST_2)
                .withClock(clock);

        assertThat(options.safetyMargin()).isEqualTo(Duration.ofSeconds(3));
        assertThat(options.objectMapper()).containsSame(mapper);
        assertThat(options.actionType()).contains(type);
        assertThat(options.outputVariablesAllowed()).isFalse();
        assertThat(options.region()).contains(Region.AP_SOUTHEAST_2);
        assertThat(options.clock()).isSameAs(clock);
        assertThat(LambdaOptions.defaults().safetyMargin()).isEqualTo(LambdaOptions.DEFAULT_SAFETY_MARGIN);
        assertThat(LambdaOptions.defaults().objectMapper()).isEmpty();
        assertThat(LambdaOptions.defaults().outputVariablesAllowed()).isTrue();
    }

    @Test
    void theSafetyMarginIsZeroOrMoreAndLessThanFifteenMinutes() {
        assertThat(LambdaOptions.defaults().withSafetyMargin(Duration.ZERO).safetyMargin()).isZero();
        assertThat(LambdaOptions.defaults().withSafetyMargin(Duration.ofMinutes(15).minusMillis(1)).safetyMargin())
                .isEqualTo(Duration.ofMinutes(15).minusMillis(1));
        assertThatThrownBy(() -> LambdaOptions.defaults().withSafetyMargin(Duration.ofMinutes(15)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("less than 15 minutes");
        assertThatThrownBy(() -> LambdaOptions.defaults().withSafetyMargin(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theFunctionWritesItsWholeResultThroughABufferedStream() throws IOException {
        JobHandlerLambda function = JobHandlerLambda.of(ctx -> JobOutcome.success(), LambdaOptions.defaults());
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        BufferedOutputStream buffered = new BufferedOutputStream(written, 1024);

        function.handleRequest(new ByteArrayInputStream("{}".getBytes(StandardCharsets.UTF_8)), buffered, null);

        assertThat(written.toString(StandardCharsets.UTF_8)).startsWith("{\"result\":\"fail\"");
        assertThat(function.options()).isSameAs(LambdaOptions.defaults());
        assertThat(function.handler()).isNotNull();
    }
}

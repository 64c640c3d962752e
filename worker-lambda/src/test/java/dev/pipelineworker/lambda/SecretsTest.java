package dev.pipelineworker.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.lambda.testing.FakeLambdaContext;
import dev.pipelineworker.lambda.testing.LambdaEvent;
import dev.pipelineworker.lambda.testing.LambdaResponse;
import dev.pipelineworker.lambda.testing.LocalLambdaInvoker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Action credentials and configuration values never reach a log line, a toString or a result. */
class SecretsTest {

    @Test
    void noSecretReachesLogsResultsOrToString() {
        LambdaEvent event = LambdaEvent.fromJson(Payloads.text("events/build-job.json"));
        List<String> seen = new ArrayList<>();
        LocalLambdaInvoker invoker = LocalLambdaInvoker.of(ctx -> {
            seen.add(ctx.toString());
            seen.add(ctx.configuration().toString());
            seen.add(String.valueOf(ctx.artifacts()));
            String mode = ctx.configuration().requireString("Include");
            if (mode.equals("src/**")) {
                ctx.configuration().requireInt("ApiToken"); // fails: the message must name the key only
            }
            return JobOutcome.success();
        });
        FakeLambdaContext context = FakeLambdaContext.withRemainingTime(Duration.ofMinutes(1));

        LambdaResponse response = invoker.invoke(event, context);

        assertThat(response.failureType()).isEqualTo("ConfigurationError");
        assertThat(response.summary()).isEqualTo("configuration key 'ApiToken' must be an integer");
        List<String> texts = new ArrayList<>(seen);
        texts.addAll(context.logLines());
        texts.add(response.json());
        texts.add(event.toString());
        texts.add(response.artifactAccess().orElseThrow().toString());
        texts.add(LambdaOptions.defaults().toString());
        assertThat(context.logLines()).isNotEmpty();
        assertThat(texts).allSatisfy(text -> assertThat(text).doesNotContain("SECRET").doesNotContain("ASIAEXAMPLE"));
    }
}

package dev.pipelineworker.internal.channel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipelineworker.FailureType;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a report says about itself: whether it continues the job, and whether it has details to send. */
class ReportTest {

    @Test
    void aSuccessWithATokenIsAContinuation() {
        assertThat(new Report.Success(null, null, null, null, "state", null).isContinuation()).isTrue();
        assertThat(new Report.Success("done", null, null, null, null, null).isContinuation()).isFalse();
    }

    @Test
    void anyOneExecutionDetailIsEnoughToSendThem() {
        assertThat(new Report.Success(null, null, null, null, null, null).hasExecutionDetails()).isFalse();
        assertThat(new Report.Success("done", null, null, null, null, null).hasExecutionDetails()).isTrue();
        assertThat(new Report.Success(null, "run-1", null, null, null, null).hasExecutionDetails()).isTrue();
        assertThat(new Report.Success(null, null, 0, null, null, null).hasExecutionDetails()).isTrue();
    }

    @Test
    void theOutputVariablesAreACopyAndNeverNull() {
        Map<String, String> variables = new HashMap<>(Map.of("Url", "https://acme.example"));
        Report.Success report = new Report.Success(null, null, null, null, null, variables);
        variables.put("Late", "x");

        assertThat(report.outputVariables()).containsExactly(Map.entry("Url", "https://acme.example"));
        assertThat(new Report.Success(null, null, null, null, null, null).outputVariables()).isEmpty();
    }

    @Test
    void aReportShowsItsKindButNotItsContent() {
        assertThat(new Report.Success("secret summary", null, null, null, null, null)).hasToString("success");
        assertThat(new Report.Success(null, null, null, null, "secret-state", null)).hasToString("continuation");
        assertThat(new Report.Failure(FailureType.CONFIGURATION_ERROR, "secret message", null))
                .hasToString("failure(ConfigurationError)");
    }
}

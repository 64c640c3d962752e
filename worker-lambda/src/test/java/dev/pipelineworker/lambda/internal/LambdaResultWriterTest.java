package dev.pipelineworker.lambda.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipelineworker.CurrentRevision;
import dev.pipelineworker.FailureType;
import dev.pipelineworker.internal.channel.Report;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each kind of report as the Lambda result payload: members present when set, left out when not. */
class LambdaResultWriterTest {

    private final LambdaResultWriter writer = new LambdaResultWriter(new ObjectMapper());

    private static Report.Success success(String summary, String externalId, Integer percent, CurrentRevision revision,
                                          String token, Map<String, String> variables) {
        return new Report.Success(summary, externalId, percent, revision, token, variables);
    }

    private String written(Report report) {
        return writer.write(report).toString();
    }

    @Test
    void aFailureCarriesItsTypeAndMessageAndItsExternalIdWhenSet() {
        assertThat(written(new Report.Failure(FailureType.CONFIGURATION_ERROR, "bad config", null)))
                .isEqualTo("{\"result\":\"fail\",\"failureType\":\"ConfigurationError\",\"status\":{\"summary\":\"bad config\"}}");
        assertThat(written(new Report.Failure(FailureType.PERMISSION_ERROR, "denied", "ext-1")))
                .isEqualTo("{\"result\":\"fail\",\"failureType\":\"PermissionsError\",\"status\":"
                        + "{\"summary\":\"denied\",\"externalExecutionId\":\"ext-1\"}}");
    }

    @Test
    void aBareSuccessHasNoStatus() {
        assertThat(written(success(null, null, null, null, null, Map.of()))).isEqualTo("{\"result\":\"success\"}");
    }

    @Test
    void aSuccessCarriesWhicheverStatusMembersAreSet() {
        assertThat(written(success("done", null, null, null, null, Map.of())))
                .isEqualTo("{\"result\":\"success\",\"status\":{\"summary\":\"done\"}}");
        assertThat(written(success(null, "ext-2", null, null, null, Map.of())))
                .isEqualTo("{\"result\":\"success\",\"status\":{\"externalExecutionId\":\"ext-2\"}}");
        assertThat(written(success("done", "ext-2", null, null, null, Map.of("K", "v"))))
                .isEqualTo("{\"result\":\"success\",\"status\":{\"externalExecutionId\":\"ext-2\",\"summary\":\"done\"},"
                        + "\"outputVariables\":{\"K\":\"v\"}}");
    }

    @Test
    void aContinuationCarriesItsTokenAndNeverOutputVariables() {
        assertThat(written(success("half", null, 50, null, "tok", Map.of("K", "v"))))
                .isEqualTo("{\"result\":\"continue\",\"continuation\":{\"State\":\"tok\"},\"status\":{\"summary\":\"half\"}}");
    }

    @Test
    void thePercentageAndTheRevisionAreNamedAsDropped() {
        CurrentRevision revision = CurrentRevision.of("r-1", "c-1");

        assertThat(LambdaResultWriter.droppedMembers(success(null, null, null, null, null, Map.of()))).isEmpty();
        assertThat(LambdaResultWriter.droppedMembers(success(null, null, 10, null, null, Map.of())))
                .isEqualTo("percentComplete");
        assertThat(LambdaResultWriter.droppedMembers(success(null, null, null, revision, null, Map.of())))
                .isEqualTo("currentRevision");
        assertThat(LambdaResultWriter.droppedMembers(success(null, null, 10, revision, null, Map.of())))
                .isEqualTo("percentComplete, currentRevision");
        assertThat(LambdaResultWriter.droppedMembers(new Report.Failure(FailureType.JOB_FAILED, "m", null))).isEmpty();
    }

    @Test
    void thePermissionFailureIsSpelledTheLambdaWay() {
        assertThat(LambdaResultWriter.lambdaName(FailureType.PERMISSION_ERROR)).isEqualTo("PermissionsError");
        assertThat(LambdaResultWriter.lambdaName(FailureType.JOB_FAILED)).isEqualTo("JobFailed");
        assertThat(LambdaResultWriter.lambdaName(FailureType.REVISION_OUT_OF_SYNC)).isEqualTo("RevisionOutOfSync");
    }
}

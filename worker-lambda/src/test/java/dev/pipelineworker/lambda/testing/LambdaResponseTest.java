package dev.pipelineworker.lambda.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobOutcome;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

/** The response's accessors read as assertions: each kind of result, and what they say when it is another. */
class LambdaResponseTest {

    private static final LambdaEvent EVENT = LambdaEvent.builder().outputArtifacts("out").build();

    record Step(int step) {
    }

    private static LambdaResponse invoke(JobOutcome outcome) {
        return LocalLambdaInvoker.of(ctx -> outcome).invoke(EVENT);
    }

    @Test
    void aSuccessIsOnlyASuccessAndReadsBackAsItsOutcome() {
        LambdaResponse response = invoke(JobOutcome.success("done").withExternalExecutionId("ext-1")
                .withOutputVariables(Map.of("K", "v")));

        assertThat(response.isSuccess()).isTrue();
        assertThat(response.isContinue()).isFalse();
        assertThat(response.isFailure()).isFalse();
        assertThat(response.result()).isEqualTo("success");
        assertThat(response.event()).isSameAs(EVENT);
        assertThat(response.toOutcome()).isEqualTo(JobOutcome.success("done").withExternalExecutionId("ext-1")
                .withOutputVariables(Map.of("K", "v")));
        assertThatThrownBy(response::failureType).isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("expected a 'fail' result but the function returned {\"result\":\"success\"");
        assertThatThrownBy(response::continuationToken).isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("expected a 'continue' result");
    }

    @Test
    void aContinuationIsOnlyAContinuationAndCarriesItsState() {
        LambdaResponse response = invoke(JobOutcome.continueWithState(new Step(2)).withSummary("half"));

        assertThat(response.isContinue()).isTrue();
        assertThat(response.isSuccess()).isFalse();
        assertThat(response.isFailure()).isFalse();
        assertThat(response.continuationState(Step.class)).isEqualTo(new Step(2));
        assertThat(response.toOutcome()).isEqualTo(JobOutcome.continueWith(response.continuationToken())
                .withSummary("half"));
        assertThat(response.nextEvent().json()).contains("\"continuationToken\":\"" + response.continuationToken()
                .replace("\"", "\\\""));
    }

    @Test
    void aContinuationWithNullStateIsAnAssertionError() {
        LambdaResponse response = new LambdaResponse(EVENT,
                "{\"result\":\"continue\",\"continuation\":{\"State\":\"{\\\"pw\\\":1,\\\"state\\\":null}\"}}", Map.of(), null);

        assertThatThrownBy(() -> response.continuationState(Step.class)).isInstanceOf(AssertionError.class)
                .hasMessage("the continuation state is null");
    }

    @Test
    void aFailureReadsBackWithItsTypeInEitherSpelling() {
        LambdaResponse denied = invoke(JobOutcome.fail(FailureType.PERMISSION_ERROR, "denied"));
        LambdaResponse failed = invoke(JobOutcome.fail(FailureType.CONFIGURATION_ERROR, "bad"));

        assertThat(denied.isFailure()).isTrue();
        assertThat(denied.isSuccess()).isFalse();
        assertThat(denied.failureType()).isEqualTo("PermissionsError");
        assertThat(denied.toOutcome()).isEqualTo(JobOutcome.fail(FailureType.PERMISSION_ERROR, "denied"));
        assertThat(failed.toOutcome()).isEqualTo(JobOutcome.fail(FailureType.CONFIGURATION_ERROR, "bad"));
    }

    @Test
    void anUnknownResultOrFailureTypeIsAnAssertionError() {
        LambdaResponse unknownType = new LambdaResponse(EVENT,
                "{\"result\":\"fail\",\"failureType\":\"Meltdown\",\"status\":{\"summary\":\"m\"}}", Map.of(), null);
        LambdaResponse unknownResult = new LambdaResponse(EVENT, "{\"result\":\"maybe\"}", Map.of(), null);

        assertThatThrownBy(unknownType::toOutcome).isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("unknown failureType 'Meltdown'");
        assertThatThrownBy(unknownResult::toOutcome).isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("expected a 'fail' result");
        assertThatThrownBy(() -> new LambdaResponse(EVENT, "not json", Map.of(), null))
                .isInstanceOf(AssertionError.class).hasMessageStartingWith("the function wrote a result that is not JSON");
    }

    @Test
    void anOutputNotWrittenIsAnAssertionErrorAndDirectoriesAreNotFiles() throws IOException {
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(zip)) {
            out.putNextEntry(new ZipEntry("dir/"));
            out.closeEntry();
            out.putNextEntry(new ZipEntry("dir/a.txt"));
            out.write("alpha".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        LambdaResponse response = new LambdaResponse(EVENT, "{\"result\":\"success\"}",
                Map.of("out", zip.toByteArray()), null);

        assertThat(response.outputTexts("out")).containsExactly(Map.entry("dir/a.txt", "alpha"));
        assertThatThrownBy(() -> response.outputBytes("other")).isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("no output artifact 'other' was written; written: [out]");
    }

    @Test
    void theInvokerOfAFunctionKeepsItsHandlerAndOptions() {
        LocalLambdaInvoker invoker = LocalLambdaInvoker.of(dev.pipelineworker.lambda.JobHandlerLambda.of(
                ctx -> JobOutcome.success("from " + ctx.actionTypeId().provider()),
                dev.pipelineworker.lambda.LambdaOptions.defaults().withActionType(
                        dev.pipelineworker.ActionTypeId.custom(dev.pipelineworker.ActionCategory.TEST, "Given", "3"))));

        assertThat(invoker.invoke(EVENT).summary()).isEqualTo("from Given");
    }
}

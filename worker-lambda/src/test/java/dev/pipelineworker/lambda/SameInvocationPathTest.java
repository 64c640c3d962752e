package dev.pipelineworker.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.MdcKeys;
import dev.pipelineworker.lambda.testing.FakeLambdaContext;
import dev.pipelineworker.lambda.testing.LambdaEvent;
import dev.pipelineworker.lambda.testing.LambdaResponse;
import dev.pipelineworker.lambda.testing.LocalLambdaInvoker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import software.amazon.awssdk.regions.Region;

/** The function runs the handler through the core's invocation path: the job's MDC, its scratch directory, its logs. */
class SameInvocationPathTest {

    private static final LambdaEvent EVENT = LambdaEvent.builder().jobId("lambda-job-1").actionExecutionId("exec-42")
            .build();

    @Test
    void theHandlerSeesTheJobInTheMdc() {
        AtomicReference<Map<String, String>> seen = new AtomicReference<>();

        AtomicReference<String> region = new AtomicReference<>();

        LambdaResponse response = LocalLambdaInvoker.of(ctx -> {
            seen.set(MDC.getCopyOfContextMap());
            region.set(ctx.region().id());
            return JobOutcome.success();
        }, LambdaOptions.defaults().withRegion(Region.EU_WEST_1)).invoke(EVENT);

        assertThat(response.isSuccess()).isTrue();
        assertThat(region).hasValue("eu-west-1");
        // The Lambda event names no pipeline, stage or action: those keys are absent, not empty.
        assertThat(seen.get()).isEqualTo(Map.of(MdcKeys.JOB_ID, "lambda-job-1", MdcKeys.ACTION_EXECUTION_ID, "exec-42",
                MdcKeys.REGION, "eu-west-1"));
    }

    @Test
    void theScratchDirectoryIsUnderTheTemporaryDirectoryAndDeletedAfterTheInvocation() {
        AtomicReference<Path> given = new AtomicReference<>();

        LambdaResponse response = LocalLambdaInvoker.of(ctx -> {
            given.set(ctx.scratchDirectory());
            Files.writeString(Files.createDirectories(ctx.scratchDirectory().resolve("in")).resolve("a.txt"), "a");
            return JobOutcome.success("worked in " + ctx.scratchDirectory().getFileName());
        }).invoke(EVENT);

        assertThat(response.summary()).isEqualTo("worked in lambda-job-1");
        assertThat(given.get().startsWith(Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath()))
                .as("%s is under java.io.tmpdir", given.get()).isTrue();
        assertThat(given.get()).doesNotExist();
    }

    @Test
    void aHandlerFailureIsLoggedToTheInvocationsLogOnce() {
        FakeLambdaContext context = FakeLambdaContext.withRemainingTime(Duration.ofMinutes(1));

        LocalLambdaInvoker.of(ctx -> {
            throw new IllegalStateException("no");
        }).invoke(EVENT, context);

        assertThat(context.logLines()).filteredOn(line -> line.contains("the handler threw"))
                .containsExactly("WARN job lambda-job-1: the handler threw java.lang.IllegalStateException");
    }
}

package dev.pipelineworker.testkit.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.EncryptionKey;
import dev.pipelineworker.JobHandler;
import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.JobWorker;
import dev.pipelineworker.testkit.LocalCodePipeline;
import dev.pipelineworker.testkit.emulator.JobInfo;
import dev.pipelineworker.testkit.emulator.JobSpec;
import dev.pipelineworker.testkit.emulator.RecordedResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/** A real worker in this JVM, built from {@link LocalWorkers#workerFor}, serving jobs from the emulator with artifacts in LocalS3. */
class LocalWorkersTest {

    private static final String KEY_ID = "0d5f3c1e-7a2b-4c8d-9e1f-2a3b4c5d6e7f";
    private static final Duration WAIT = Duration.ofSeconds(30);

    /** Upper-cases every file of its one input into its one output. */
    private static final JobHandler SHOUT = ctx -> {
        Path in = ctx.artifacts().extractInput(ctx.inputArtifacts().get(0).name(), ctx.scratchDirectory().resolve("in"));
        Path out = Files.createDirectories(ctx.scratchDirectory().resolve("out"));
        try (var files = Files.list(in)) {
            for (Path file : files.toList()) {
                Files.writeString(out.resolve(file.getFileName()), Files.readString(file).toUpperCase());
            }
        }
        ctx.artifacts().writeOutputZip(ctx.outputArtifacts().get(0).name(), out);
        return JobOutcome.success("shouted on " + ctx.actionTypeId().owner());
    };

    private static LocalS3 s3;

    @BeforeAll
    static void startS3() {
        s3 = LocalS3.start("workers-test", "arn:aws:kms:us-east-1:111122223333:key/" + KEY_ID);
    }

    @AfterAll
    static void stopS3() {
        s3.close();
    }

    @Test
    void aThirdPartyWorkerReadsAndWritesItsArtifactsWithTheEmulatorsClientToken() {
        ActionTypeId type = ActionTypeId.thirdParty(ActionCategory.BUILD, "Shout", "1");
        s3.putZip("third-party/in.zip", Map.of("a.txt", "alpha", "b.txt", "beta"));
        try (LocalCodePipeline codePipeline = LocalCodePipeline.builder().continuationDelay(Duration.ZERO).start();
             LocalWorkers local = LocalWorkers.of(codePipeline, s3);
             JobWorker worker = local.workerFor(type, SHOUT).build().start()) {
            JobInfo job = codePipeline.enqueue(JobSpec.builder(type)
                    .inputArtifact("source", s3.bucket(), "third-party/in.zip")
                    .outputArtifact("shouted", s3.bucket(), "third-party/out.zip")
                    .encryptionKey(EncryptionKey.kms(KEY_ID))
                    .build());

            RecordedResult result = codePipeline.awaitFinalResult(job.actionExecutionId(), WAIT);

            assertThat(result).isInstanceOfSatisfying(RecordedResult.Success.class,
                    success -> assertThat(success.executionDetails().summary()).isEqualTo("shouted on THIRD_PARTY"));
            assertThat(s3.getZipTexts("third-party/out.zip")).containsExactlyInAnyOrderEntriesOf(
                    Map.of("a.txt", "ALPHA", "b.txt", "BETA"));
            try (var client = s3.newClient()) {
                assertThat(client.headObject(b -> b.bucket(s3.bucket()).key("third-party/out.zip"))
                        .serverSideEncryption()).isEqualTo(ServerSideEncryption.AWS_KMS);
            }
        }
    }

    @Test
    void aCustomWorkerIsWiredTheSameWay() {
        ActionTypeId type = ActionTypeId.custom(ActionCategory.DEPLOY, "Shout", "1");
        s3.putZip("custom/in.zip", Map.of("c.txt", "gamma"));
        try (LocalCodePipeline codePipeline = LocalCodePipeline.builder().start();
             LocalWorkers local = LocalWorkers.of(codePipeline, s3);
             JobWorker worker = local.workerFor(type, SHOUT).build().start()) {
            JobInfo job = codePipeline.enqueue(JobSpec.builder(type)
                    .inputArtifact("source", s3.bucket(), "custom/in.zip")
                    .outputArtifact("shouted", s3.bucket(), "custom/out.zip")
                    .build());

            assertThat(codePipeline.awaitFinalResult(job.actionExecutionId(), WAIT))
                    .isInstanceOf(RecordedResult.Success.class);
            assertThat(s3.getZipTexts("custom/out.zip")).containsExactly(Map.entry("c.txt", "GAMMA"));
        }
    }
}

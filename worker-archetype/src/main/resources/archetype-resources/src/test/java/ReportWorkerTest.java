package ${package};

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.pipelineworker.JobWorker;
import dev.pipelineworker.testkit.LocalCodePipeline;
import dev.pipelineworker.testkit.emulator.JobInfo;
import dev.pipelineworker.testkit.emulator.JobSpec;
import dev.pipelineworker.testkit.emulator.RecordedResult;
import dev.pipelineworker.testkit.s3.LocalS3;
import dev.pipelineworker.testkit.s3.LocalWorkerExtension;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole worker in this JVM, as it runs in production: it polls a local CodePipeline, claims the job, reads and
 * writes its artifacts in a local S3 with the job's credentials, and reports the result.
 */
class ReportWorkerTest {

    @RegisterExtension
    static final LocalWorkerExtension LOCAL = LocalWorkerExtension.forWorker(WorkerMain.ACTION_TYPE, ReportHandler::new);

    @Test
    void theWorkerServesAJobWithItsArtifactsInS3(LocalCodePipeline codePipeline, LocalS3 s3, JobWorker.Builder worker) {
        s3.putZip("pipeline/source.zip", Map.of("README.md", "hello\n", "src/Main.java", "class Main {}\n"));

        try (JobWorker running = worker.build()) {
            running.start();
            JobInfo job = codePipeline.enqueue(JobSpec.builder(WorkerMain.ACTION_TYPE)
                    .inputArtifact("source", s3.bucket(), "pipeline/source.zip")
                    .outputArtifact("report", s3.bucket(), "pipeline/report.zip")
                    .build());

            RecordedResult result = codePipeline.awaitFinalResult(job.actionExecutionId(), Duration.ofSeconds(30));

            assertInstanceOf(RecordedResult.Success.class, result);
        }
        assertEquals("Files\nREADME.md 6 bytes\nsrc/Main.java 14 bytes\n",
                s3.getZipTexts("pipeline/report.zip").get("report.txt"));
    }
}

package dev.pipelineworker.examples.readme;

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

class LineCountWorkerTest {

    // A local CodePipeline and a local S3 in this JVM, and a JobWorker.Builder wired to both.
    @RegisterExtension
    static final LocalWorkerExtension LOCAL =
            LocalWorkerExtension.forWorker(LineCountWorker.ACTION_TYPE, LineCountHandler::new);

    @Test
    void theWorkerCountsTheLinesOfAnArtifactInS3(LocalCodePipeline codePipeline, LocalS3 s3,
                                                 JobWorker.Builder worker) {
        s3.putZip("pipeline/source.zip", Map.of("src/Main.java", "class Main {\n}\n"));

        try (JobWorker running = worker.build()) {
            running.start();
            JobInfo job = codePipeline.enqueue(JobSpec.builder(LineCountWorker.ACTION_TYPE)
                    .inputArtifact("source", s3.bucket(), "pipeline/source.zip")
                    .outputArtifact("counts", s3.bucket(), "pipeline/counts.zip")
                    .build());

            RecordedResult result = codePipeline.awaitFinalResult(job.actionExecutionId(), Duration.ofSeconds(30));

            RecordedResult.Success success = assertInstanceOf(RecordedResult.Success.class, result);
            assertEquals("2 lines in *.java files", success.executionDetails().summary());
        }
        assertEquals("2\n", s3.getZipTexts("pipeline/counts.zip").get("line-count.txt"));
    }
}

package dev.pipelineworker.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.Artifact;
import dev.pipelineworker.S3Location;
import dev.pipelineworker.spring.boot.test.AutoConfigurePipelineWorkerEmulator;
import dev.pipelineworker.testkit.LocalCodePipeline;
import dev.pipelineworker.testkit.emulator.JobInfo;
import dev.pipelineworker.testkit.emulator.JobSpec;
import dev.pipelineworker.testkit.emulator.RecordedResult;
import dev.pipelineworker.testkit.s3.LocalS3;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The example application as it runs, against the emulator and LocalS3: a job in each of its two regions, its
 * readiness probe and its Prometheus meters.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigurePipelineWorkerEmulator
@AutoConfigureObservability(tracing = false) // a @SpringBootTest leaves out the Prometheus registry without it
class ManifestWorkerApplicationTest {

    static final ActionTypeId MANIFEST = ActionTypeId.thirdParty(ActionCategory.BUILD, "Manifest", "1");
    static final Duration WAIT = Duration.ofSeconds(30);

    @Autowired
    LocalCodePipeline codePipeline;
    @Autowired
    LocalS3 s3;
    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void freshJournal(DynamicPropertyRegistry registry) throws IOException {
        Path journal = Files.createTempDirectory("manifest-worker-test-journal-");
        registry.add("pipeline-worker.workers.manifest.journal-dir", journal::toString);
    }

    /** A job of the manifest action with one input artifact, {@code source}, in {@code region}. */
    static JobSpec manifestJob(LocalS3 s3, String name, String region, Map<String, String> configuration) {
        s3.putZip("inputs/" + name + ".zip", Map.of("a.txt", "alpha", "src/b.md", "beta"));
        return JobSpec.builder(MANIFEST)
                .actionName(name)
                .configuration(configuration)
                .inputArtifact(Artifact.of("source", S3Location.of(s3.bucket(), "inputs/" + name + ".zip")))
                .outputArtifact("out", s3.bucket(), "outputs/" + name + ".zip")
                .region(region)
                .build();
    }

    @Test
    void aJobInEachRegionRunsEndToEnd() {
        for (String region : new String[] {"us-east-1", "eu-west-1"}) {
            JobInfo job = codePipeline.enqueue(manifestJob(s3, "Pack-" + region, region, Map.of()));

            RecordedResult result = codePipeline.awaitFinalResult(job.actionExecutionId(), WAIT);

            assertThat(result).isInstanceOf(RecordedResult.Success.class);
            assertThat(result.region()).isEqualTo(region);
            assertThat(s3.getZipTexts("outputs/Pack-" + region + ".zip"))
                    .containsOnlyKeys("a.txt", "src/b.md", "manifest.json");
        }
    }

    @Test
    void theReadinessProbeIsUpOnceTheWorkerHasPolled() throws Exception {
        await().atMost(WAIT).untilAsserted(() -> {
            HttpResponse<String> readiness = get("/actuator/health/readiness");
            assertThat(readiness.statusCode()).isEqualTo(200);
            assertThat(readiness.body()).contains("\"pipelineWorkers\"").contains("\"state\":\"READY\"");
        });
        assertThat(get("/actuator/health/liveness").body()).doesNotContain("pipelineWorkers");
    }

    @Test
    void prometheusListsTheWorkersMeters() throws Exception {
        await().atMost(WAIT).untilAsserted(() -> assertThat(get("/actuator/prometheus").body())
                .contains("pipeline_worker_polls_total{")
                .contains("pipeline_worker_slots_free{")
                .contains("worker=\"manifest\"")
                .contains("region=\"eu-west-1\""));
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}

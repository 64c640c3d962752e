package dev.pipelineworker.opentelemetry;

import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobFailureException;
import dev.pipelineworker.JobHandler;
import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.testkit.SecretCanary;
import dev.pipelineworker.testkit.SecretCanary.JobSecrets;
import dev.pipelineworker.testkit.emulator.JobInfo;
import dev.pipelineworker.testkit.emulator.RecordedResult;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The span half of the secrets test: jobs whose data carries artifact credentials, a client token and secret
 * configuration values run down every path (success, a continuation whose state holds a secret, a failure and an
 * exception whose messages quote one, a typed accessor failing on one), and no exported span's name, attribute,
 * event, link or status holds any of them. The secrets are the testkit's {@link JobSecrets}, as in
 * reliability-tests' {@code SecretLeakTest}.
 */
class SpanSecretsTest {

    private final JobSecrets secrets = JobSecrets.random();
    private final SecretCanary canary = secrets.canary();
    private final String clientId = UUID.randomUUID().toString();

    @Test
    void noSpanCarriesACredentialAClientTokenOrAConfigurationValue() {
        List<String> jobIds = new ArrayList<>();
        try (RecordedSpans spans = new RecordedSpans();
                WorkerBench bench = new WorkerBench(clientId, secrets.clientToken())) {
            bench.start(bench.worker(handler()).observer(PipelineWorkerTracing.create(spans.openTelemetry())));
            List<String> modes = List.of("SUCCEED", "CONTINUE", "FAIL_QUOTING", "THROW_QUOTING", "BAD_PORT");
            for (String mode : modes) {
                JobInfo job = bench.enqueue(secrets.plantIn(bench.job("exec-" + mode)
                        .configuration("Mode", mode)
                        .configuration("Target", "prod")
                        .configuration(JobSecrets.PORT, secrets.port())));
                RecordedResult last = bench.emulator().awaitFinalResult(job.actionExecutionId(), WorkerBench.WAIT);
                assertThat(last).as(mode).isInstanceOf(
                        mode.equals("SUCCEED") || mode.equals("CONTINUE") ? RecordedResult.Success.class
                                : RecordedResult.Failure.class);
                bench.emulator().jobsForAction(job.actionExecutionId()).forEach(j -> jobIds.add(j.jobId()));
            }
            assertThat(jobIds).hasSize(modes.size() + 1);
            jobIds.forEach(spans::awaitJob);

            List<SpanData> exported = spans.all();
            List<String> texts = texts(exported);
            System.out.println("SPAN SECRET FIGURES: spans=" + exported.size() + ", texts checked=" + texts.size()
                    + ", secrets=" + canary.size() + ", leaks=" + canary.leaks(texts).size());
            assertThat(exported).as("every job span and its three phases").hasSize(jobIds.size() * 4);
            assertThat(exported).filteredOn(s -> !s.getParentSpanContext().isValid())
                    .allSatisfy(s -> assertThat(s.getAttributes().get(stringKey("cicd.pipeline.task.run.id")))
                            .startsWith("exec-"));
            canary.assertNoLeaks(texts);
        }
    }

    /** The check itself finds a secret wherever a span could carry one. */
    @Test
    void aSecretPlantedInASpanIsFound() {
        try (RecordedSpans spans = new RecordedSpans()) {
            var tracer = spans.openTelemetry().getTracer("planted");
            tracer.spanBuilder("plain").startSpan().addEvent("login", Attributes.of(
                    stringKey("key"), secrets.apiKey())).end();
            tracer.spanBuilder("plain").startSpan()
                    .setStatus(StatusCode.ERROR, "token " + secrets.clientToken()).end();
            tracer.spanBuilder("plain").setAttribute("password", secrets.dbPassword()).startSpan().end();

            assertThat(canary.leaks(texts(spans.all()))).containsOnlyKeys("configuration value ApiKey", "client token",
                    "configuration value DbPassword");
        }
    }

    private JobHandler handler() {
        return context -> switch (context.configuration().requireString("Mode")) {
            case "SUCCEED" -> JobOutcome.success("deployed to " + context.configuration().requireString("Target"));
            case "CONTINUE" -> context.continuationToken().isPresent() ? JobOutcome.success("done")
                    : JobOutcome.continueWithState(Map.of("password", context.configuration().requireString("DbPassword")));
            // Messages must carry no secrets by contract; these break it to show that spans never carry messages.
            case "FAIL_QUOTING" -> throw new JobFailureException(FailureType.CONFIGURATION_ERROR,
                    "rejected key " + context.configuration().requireString("ApiKey"));
            case "THROW_QUOTING" -> throw new IllegalStateException(
                    "cannot log in with " + context.configuration().requireString("DbPassword"));
            case "BAD_PORT" -> JobOutcome.success("port " + context.configuration().requireInt("Port"));
            default -> throw new AssertionError("unknown mode");
        };
    }

    /** Every text a span exports: its whole rendering, and each name, attribute, event, link and status apart. */
    private static List<String> texts(List<SpanData> spans) {
        List<String> texts = new ArrayList<>();
        for (SpanData span : spans) {
            texts.add(span.toString());
            texts.add(span.getName());
            texts.add(span.getStatus().getDescription());
            span.getAttributes().forEach((key, value) -> texts.add(key.getKey() + "=" + value));
            for (EventData event : span.getEvents()) {
                texts.add(event.getName());
                event.getAttributes().forEach((key, value) -> texts.add(key.getKey() + "=" + value));
            }
            for (LinkData link : span.getLinks()) {
                link.getAttributes().forEach((key, value) -> texts.add(key.getKey() + "=" + value));
            }
            texts.add(span.getInstrumentationScopeInfo().toString());
        }
        return texts;
    }
}

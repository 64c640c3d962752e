package dev.pipelineworker.micrometer;

import static dev.pipelineworker.micrometer.Bench.SDK_MAX_ATTEMPTS;
import static dev.pipelineworker.micrometer.Bench.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pipelineworker.ClientTokenProvider;
import dev.pipelineworker.JobHandler;
import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.JobWorker;
import dev.pipelineworker.testkit.SecretCanary.JobSecrets;
import dev.pipelineworker.testkit.emulator.Fault;
import dev.pipelineworker.testkit.emulator.FaultRule;
import dev.pipelineworker.testkit.emulator.JobInfo;
import dev.pipelineworker.testkit.emulator.JobSpec;
import dev.pipelineworker.testkit.emulator.Operation;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The metric half of the secrets test (reliability-tests' {@code SecretLeakTest} covers logs, {@code toString}s,
 * listener arguments, the journal and the results): jobs carrying random artifact credentials, a client token and
 * secret configuration values run down every path (success, continuation, typed-accessor failure, a handler
 * exception whose message quotes a secret, a retried and an abandoned report, poll errors), with pipeline tags on.
 * No meter name, tag, description or unit may contain any secret.
 */
class MetricSecretsTest {

    private final JobSecrets secrets = JobSecrets.random();
    private final String clientId = UUID.randomUUID().toString();

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Bench bench = new Bench();

    @AfterEach
    void close() {
        bench.close();
        registry.close();
    }

    @Test
    void noMeterCarriesASecret() {
        bench.emulator().registerClient(clientId, secrets.clientToken());
        bench.emulator().injectFault(FaultRule.nextCalls(SDK_MAX_ATTEMPTS, Fault.serverError(500),
                Operation.POLL_FOR_THIRD_PARTY_JOBS));
        bench.emulator().injectFault(FaultRule.nextCalls(SDK_MAX_ATTEMPTS, Fault.throttling(),
                Operation.PUT_THIRD_PARTY_JOB_SUCCESS_RESULT));
        JobHandler handler = context -> {
            String mode = context.configuration().requireString("Mode");
            return switch (mode) {
                case "continue" -> context.continuationToken().isPresent() ? JobOutcome.success()
                        : JobOutcome.continueWith(context.configuration().requireString("ApiKey"));
                case "accessor" -> JobOutcome.success("port " + context.configuration().requireInt("DbPassword"));
                case "throw" -> throw new IllegalStateException("cannot log in with "
                        + context.configuration().requireString("DbPassword"));
                default -> JobOutcome.success();
            };
        };
        PipelineWorkerMetrics metrics = PipelineWorkerMetrics.builder(registry).includePipelineTags(true)
                .tag("service", "secrets").build();
        JobWorker worker = bench.build(metrics.instrument(bench.thirdParty(handler)
                .clientTokens(ClientTokenProvider.fromMap(Map.of(clientId, secrets.clientToken())))));
        metrics.bindTo(worker);
        worker.start();

        List<JobInfo> jobs = new ArrayList<>();
        for (String mode : List.of("success", "continue", "accessor", "throw")) {
            jobs.add(bench.enqueue(secretJob(mode)));
        }
        for (JobInfo job : jobs) {
            bench.emulator().awaitFinalResult(job.actionExecutionId(), WAIT);
        }
        bench.emulator().injectFault(FaultRule.withProbability(1.0, Fault.serverError(500),
                Operation.PUT_THIRD_PARTY_JOB_SUCCESS_RESULT));
        bench.enqueue(secretJob("success"));
        await("the abandoned report").atMost(WAIT).until(() -> registry.find(MeterNames.REPORTS_ABANDONED)
                .counters().stream().mapToDouble(c -> c.count()).sum() == 1);

        List<String> texts = texts();
        assertThat(String.join("\n", texts)).as("the check sees the tags")
                .contains("deploy-pipeline", "Release", "Ship", "MeteredBuild", "secrets", "JobFailed",
                        "ConfigurationError", "error");
        secrets.canary().assertNoLeaks(texts);
    }

    private JobSpec.Builder secretJob(String mode) {
        return secrets.plantIn(Bench.job(Bench.THIRD_PARTY).clientId(clientId)
                .configuration("Mode", mode));
    }

    /** Every meter's name, tags, description and base unit, the registry's own rendering, and each measurement. */
    private List<String> texts() {
        List<String> texts = new ArrayList<>();
        for (Meter meter : registry.getMeters()) {
            Meter.Id id = meter.getId();
            texts.add(id.getName());
            for (Tag tag : id.getTags()) {
                texts.add(tag.getKey() + "=" + tag.getValue());
            }
            texts.add(String.valueOf(id.getDescription()));
            texts.add(String.valueOf(id.getBaseUnit()));
            for (Measurement measurement : meter.measure()) {
                texts.add(measurement.toString());
            }
        }
        texts.add(registry.getMetersAsString());
        return texts;
    }
}

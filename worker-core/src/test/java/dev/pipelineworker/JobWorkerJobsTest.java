package dev.pipelineworker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pipelineworker.actiontype.ActionTypeDefinition;
import dev.pipelineworker.actiontype.ConfigurationProperty;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.codepipeline.model.JobStatus;

/**
 * What the settings that reach each job do to it: the declared definition that checks a job's configuration before
 * the handler runs, the listeners and observers that hear it, in the order added.
 */
class JobWorkerJobsTest {

    private static final ActionTypeId TYPE = ActionTypeId.custom(ActionCategory.DEPLOY, "Jobs", "1");
    private static final ActionTypeDefinition DEFINITION = ActionTypeDefinition.builder(TYPE)
            .properties(ConfigurationProperty.required("Stack"), ConfigurationProperty.optional("Region")).build();
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String JOB = "88888888-8888-8888-8888-888888888888";

    private final CustomJobsFake codePipeline = new CustomJobsFake();
    private JobWorker worker;

    @AfterEach
    void stop() {
        if (worker != null) {
            worker.close();
        }
    }

    private void run(JobWorker.Builder builder, Map<String, String> configuration) {
        codePipeline.queue(JOB, JobStatus.IN_PROGRESS, configuration);
        worker = builder.codePipelineClient(codePipeline).outcomeJournal(OutcomeJournal.disabled())
                .idleBackoff(Backoff.exponential(Duration.ofMillis(5), Duration.ofMillis(20)).withJitter(0)).build();
        worker.start();
        await().atMost(WAIT).until(() -> codePipeline.results.containsKey(JOB));
    }

    @Test
    void aJobWithoutAPropertyTheDefinitionRequiresFailsBeforeTheHandlerRuns() {
        AtomicInteger runs = new AtomicInteger();

        run(JobWorker.builder(DEFINITION, context -> {
            runs.incrementAndGet();
            return JobOutcome.success();
        }), Map.of("Region", "eu-west-1"));

        assertThat(runs).hasValue(0);
        assertThat(codePipeline.results.get(JOB)).isEqualTo("ConfigurationError: configuration key 'Stack' is "
                + "required by the action type Deploy/Custom/Jobs/1 but missing");
    }

    @Test
    void theHandlerOfADeclaredTypeReadsItsConfigurationAsDeclared() {
        List<String> seen = new CopyOnWriteArrayList<>();

        run(JobWorker.builder(DEFINITION, context -> {
            seen.add(context.configuration().requireString("Stack"));
            seen.add(String.valueOf(context.configuration().declaredProperty("Stack").map(p -> p.required())
                    .orElse(null)));
            return JobOutcome.success();
        }), Map.of("Stack", "prod"));

        assertThat(seen).containsExactly("prod", "true");
        assertThat(codePipeline.results.get(JOB)).isEqualTo("success");
    }

    @Test
    void withoutADefinitionAJobRunsWithWhateverConfigurationItHas() {
        List<String> seen = new CopyOnWriteArrayList<>();

        run(JobWorker.builder(TYPE, context -> {
            seen.add(context.configuration().optionalString("Anything").orElse("none"));
            return JobOutcome.success();
        }), Map.of());

        assertThat(seen).containsExactly("none");
    }

    @Test
    void aGivenArtifactStoreFactoryOpensTheStoreOfEachJobThatTouchesItsArtifacts() {
        List<String> opened = new CopyOnWriteArrayList<>();
        ArtifactStoreFactory factory = access -> {
            opened.add(access.jobId());
            return new ArtifactStore() {
                @Override
                public InputStream openInput(String artifactName) {
                    return new ByteArrayInputStream(artifactName.getBytes(StandardCharsets.UTF_8));
                }

                @Override
                public void writeOutput(String artifactName, InputStream content, long contentLength) {
                    throw new UnsupportedOperationException();
                }
            };
        };
        List<String> read = new CopyOnWriteArrayList<>();

        run(JobWorker.builder(TYPE, context -> {
            try (InputStream in = context.artifacts().openInput("source")) {
                read.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            return JobOutcome.success();
        }).artifactStoreFactory(factory), Map.of());

        assertThat(opened).containsExactly(JOB);
        assertThat(read).containsExactly("source");
    }

    @Test
    void aGivenJournalHoldsEachJobUntilItsResultIsAcceptedAndIsClosedWithTheWorker() throws Exception {
        RecordingJournal journal = new RecordingJournal();
        codePipeline.queue(JOB, JobStatus.IN_PROGRESS, Map.of());

        worker = JobWorker.builder(TYPE, context -> JobOutcome.success()).codePipelineClient(codePipeline)
                .outcomeJournal(journal).build();
        worker.start();
        await().atMost(WAIT).until(() -> codePipeline.results.containsKey(JOB));
        await().atMost(WAIT).until(() -> journal.deleted.contains(JOB));
        worker.close();

        assertThat(journal.written).contains(JOB);
        assertThat(journal.readAll()).isEmpty();
        assertThat(journal.closed).hasValue(1);
    }

    /** An in-memory journal that records what it is asked. */
    private static final class RecordingJournal implements OutcomeJournal {
        final Map<String, byte[]> entries = new ConcurrentHashMap<>();
        final List<String> written = new CopyOnWriteArrayList<>();
        final List<String> deleted = new CopyOnWriteArrayList<>();
        final AtomicInteger closed = new AtomicInteger();

        @Override
        public void write(String jobId, byte[] entry) {
            written.add(jobId);
            entries.put(jobId, entry);
        }

        @Override
        public void delete(String jobId) {
            deleted.add(jobId);
            entries.remove(jobId);
        }

        @Override
        public Map<String, byte[]> readAll() {
            return Map.copyOf(entries);
        }

        @Override
        public void close() {
            closed.incrementAndGet();
        }
    }

    @Test
    void listenersAndObserversHearEachJobInTheOrderAdded() {
        List<String> heard = new CopyOnWriteArrayList<>();
        JobWorkerListener first = new JobWorkerListener() {
            @Override
            public void claimed(JobQueue queue, String jobId) {
                heard.add("first claimed " + queue.id());
            }

            @Override
            public void succeeded(JobQueue queue, String jobId) {
                heard.add("first succeeded");
            }
        };
        JobWorkerListener second = new JobWorkerListener() {
            @Override
            public void claimed(JobQueue queue, String jobId) {
                heard.add("second claimed");
            }
        };
        JobObserver observer = (queue, jobId) -> {
            heard.add("observed " + jobId);
            return JobObserver.JobObservation.NONE;
        };

        run(JobWorker.builder(TYPE, context -> JobOutcome.success()).listener(first).listener(second)
                .observer(observer), Map.of());

        await().atMost(WAIT).until(() -> heard.contains("first succeeded"));
        assertThat(heard).containsSubsequence("observed " + JOB, "first claimed Custom/Deploy/Jobs/1@us-east-1",
                "second claimed", "first succeeded");
    }
}

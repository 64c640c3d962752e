package dev.pipelineworker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;
import software.amazon.awssdk.services.codepipeline.model.JobStatus;

/** What a worker creates or discovers, it closes; what it is given, it leaves open. */
class JobWorkerOwnershipTest {

    private static final ActionTypeId TYPE = ActionTypeId.custom(ActionCategory.DEPLOY, "Owned", "1");

    private final List<CodePipelineClient> clients = new ArrayList<>();

    @AfterEach
    void closeClients() {
        clients.forEach(CodePipelineClient::close);
        ClosingFactory.CLOSED.set(0);
    }

    private JobWorker.Builder builder() {
        return JobWorker.builder(TYPE, context -> JobOutcome.success()).outcomeJournal(OutcomeJournal.disabled())
                .regions("us-east-1").codePipelineClients(region -> {
                    CodePipelineClient client = CodePipelineClient.builder().region(region)
                            .credentialsProvider(AnonymousCredentialsProvider.create()).build();
                    clients.add(client);
                    return client;
                });
    }

    @Test
    void anArtifactStoreFactoryFoundOnTheClassPathIsClosedWithTheWorkerAndAGivenOneIsNot(@TempDir Path dir)
            throws Exception {
        Path services = Files.createDirectories(dir.resolve("META-INF/services"));
        Files.writeString(services.resolve(ArtifactStoreFactory.class.getName()), ClosingFactory.class.getName());
        ClassLoader original = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader withFactory = new URLClassLoader(new URL[] {dir.toUri().toURL()}, original)) {
            Thread.currentThread().setContextClassLoader(withFactory);
            builder().build().close();
        } finally {
            Thread.currentThread().setContextClassLoader(original);
        }
        assertThat(ClosingFactory.CLOSED).as("the discovered factory").hasValue(1);

        try (URLClassLoader withFactory = new URLClassLoader(new URL[] {dir.toUri().toURL()}, original)) {
            Thread.currentThread().setContextClassLoader(withFactory);
            builder().artifactStoreFactory(new ArtifactStoreFactory() {
                @Override
                public ArtifactStore open(ArtifactAccess access) {
                    throw new UnsupportedOperationException("no store in this test");
                }
            }).build().close();
        } finally {
            Thread.currentThread().setContextClassLoader(original);
        }
        assertThat(ClosingFactory.CLOSED).as("with a factory given, none is discovered").hasValue(1);

        ClosingFactory given = new ClosingFactory();
        builder().artifactStoreFactory(given).build().close();

        assertThat(ClosingFactory.CLOSED).as("a given factory stays open").hasValue(1);
    }

    @Test
    void theThreadsAWorkerMakesAreNamedDaemonsAndEndWhenItCloses() {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        CustomJobsFake codePipeline = new CustomJobsFake();
        codePipeline.queue("12121212-1212-1212-1212-121212121212", JobStatus.IN_PROGRESS);
        // The job thread is taken from the handler: it may have ended by the time the result is seen.
        AtomicReference<Thread> jobThread = new AtomicReference<>();
        JobWorker worker = JobWorker.builder(TYPE, context -> {
            jobThread.set(Thread.currentThread());
            return JobOutcome.success();
        }).codePipelineClient(codePipeline).outcomeJournal(OutcomeJournal.disabled()).build();
        worker.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> codePipeline.results.size() == 1);
        Set<Thread> made = new HashSet<>(Thread.getAllStackTraces().keySet());
        made.removeAll(before);
        made.add(jobThread.get());
        made.removeIf(thread -> !thread.getName().startsWith("pipeline-worker"));

        assertThat(made).extracting(Thread::getName).anyMatch(name -> name.startsWith("pipeline-worker-job-"))
                .anyMatch(name -> name.startsWith("pipeline-worker-timer-"))
                .anyMatch(name -> name.startsWith("pipeline-worker-poller"));
        assertThat(made).allMatch(Thread::isDaemon, "daemon");

        worker.close();

        await().atMost(Duration.ofSeconds(20)).until(() -> made.stream().noneMatch(Thread::isAlive));
    }

    /** A factory that counts how often it was closed. */
    public static final class ClosingFactory implements ArtifactStoreFactory, AutoCloseable {
        static final AtomicInteger CLOSED = new AtomicInteger();

        @Override
        public ArtifactStore open(ArtifactAccess access) {
            throw new UnsupportedOperationException("no store in this test");
        }

        @Override
        public void close() {
            CLOSED.incrementAndGet();
        }
    }
}

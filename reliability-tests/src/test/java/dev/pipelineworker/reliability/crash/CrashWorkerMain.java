package dev.pipelineworker.reliability.crash;

import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.Backoff;
import dev.pipelineworker.ClientTokenProvider;
import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.JobQueue;
import dev.pipelineworker.JobWorker;
import dev.pipelineworker.JobWorkerListener;
import dev.pipelineworker.OutcomeJournal;
import dev.pipelineworker.internal.channel.Report;
import dev.pipelineworker.internal.journal.JournalEntry;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;

/**
 * The worker process the crash tests kill with SIGKILL: a real {@link JobWorker} with a file journal in
 * the directory the test names, polling the test's emulator. It prints marker lines
 * ({@value #MARK}{@code <EVENT> <jobId>}) on stdout so the test knows where the worker is when it kills it.
 *
 * <p>Arguments: {@code <endpoint> <journalDir> <clientId> <clientToken> <mode> [maxConcurrentJobs [regions]]}, where
 * mode is {@code normal} or {@code block-delete} (the journal's delete prints {@code DELETE_BLOCKED} and never
 * returns, so the test can kill the worker after CodePipeline accepted a result but before its journal
 * entry is gone), and maxConcurrentJobs (default {@value #DEFAULT_MAX_CONCURRENT_JOBS}) is also the size of
 * the first poll's batch, and regions (comma-separated, default {@code us-east-1}) are the regions served, each
 * through a client signing for it. The journal underneath is always the real {@link OutcomeJournal#inDirectory(Path)}.
 *
 * <p>The handler reads the job's configuration: {@code sleepMillis} (default 0) is how long it works.
 * It returns a success whose summary is {@code handled <jobId>}.
 */
public final class CrashWorkerMain {

    static final String MARK = "@@MARK ";
    static final int DEFAULT_MAX_CONCURRENT_JOBS = 4;
    static final ActionTypeId TYPE = ActionTypeId.thirdParty(ActionCategory.BUILD, "CrashTest", "1");

    private CrashWorkerMain() {
    }

    public static void main(String[] args) throws Exception {
        URI endpoint = URI.create(args[0]);
        Path journalDir = Path.of(args[1]);
        String clientId = args[2];
        String clientToken = args[3];
        boolean blockDelete = "block-delete".equals(args[4]);
        int maxConcurrentJobs = args.length > 5 ? Integer.parseInt(args[5]) : DEFAULT_MAX_CONCURRENT_JOBS;
        String[] regions = (args.length > 6 ? args[6] : "us-east-1").split(",");

        Backoff quick = Backoff.exponential(Duration.ofMillis(20), Duration.ofMillis(100));
        JobWorker worker = JobWorker.builder(TYPE, context -> {
                    String jobId = context.jobId();
                    mark("HANDLER_STARTED " + jobId);
                    int sleep = context.configuration().optionalInt("sleepMillis").orElse(0);
                    if (sleep > 0) {
                        Thread.sleep(sleep);
                    }
                    mark("HANDLER_DONE " + jobId);
                    return JobOutcome.success("handled " + jobId);
                })
                .regions(regions)
                .codePipelineClients(region -> CodePipelineClient.builder()
                        .endpointOverride(endpoint)
                        .region(region)
                        .credentialsProvider(StaticCredentialsProvider.create(
                                AwsBasicCredentials.create("AKIACRASHTESTEXAMPLE", "crash-test-secret")))
                        .build())
                .clientTokens(ClientTokenProvider.fromMap(Map.of(clientId, clientToken)))
                .outcomeJournal(new MarkingJournal(OutcomeJournal.inDirectory(journalDir), blockDelete))
                .maxConcurrentJobs(maxConcurrentJobs)
                .idleBackoff(quick)
                .errorBackoff(quick)
                .throttleBackoff(quick)
                // Keep trying for as long as the test needs: a crash, not a give-up, is what is tested here.
                .reportRetries(1000, Backoff.exponential(Duration.ofMillis(50), Duration.ofMillis(200)))
                .jobTimeout(Duration.ofMinutes(5))
                .listener(new MarkingListener())
                .build();
        worker.start();
        mark("STARTED");
        Thread.sleep(Long.MAX_VALUE);
    }

    static synchronized void mark(String line) {
        System.out.println(MARK + line);
        System.out.flush();
    }

    /** The real journal, announcing each durable write and delete; optionally never finishing a delete. */
    private static final class MarkingJournal implements OutcomeJournal {
        private final OutcomeJournal delegate;
        private final boolean blockDelete;

        MarkingJournal(OutcomeJournal delegate, boolean blockDelete) {
            this.delegate = delegate;
            this.blockDelete = blockDelete;
        }

        @Override
        public void write(String jobId, byte[] entry) throws IOException {
            delegate.write(jobId, entry);
            mark(stage(JournalEntry.fromBytes(entry)) + " " + jobId);
        }

        /** The claim before its acknowledgement, after it, the handler's outcome, or a failure of the worker's. */
        private static String stage(JournalEntry entry) {
            if (entry.report() == null) {
                return entry.pendingClaim() != null ? "JOURNAL_CLAIMING" : "JOURNAL_CLAIMED";
            }
            return entry.report() instanceof Report.Success ? "JOURNAL_FINISHED" : "JOURNAL_FAILED";
        }

        @Override
        public void delete(String jobId) throws IOException {
            if (blockDelete) {
                mark("DELETE_BLOCKED " + jobId);
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted");
                }
            }
            delegate.delete(jobId);
            mark("JOURNAL_DELETED " + jobId);
        }

        @Override
        public Map<String, byte[]> readAll() throws IOException {
            Map<String, byte[]> all = delegate.readAll();
            mark("JOURNAL_READ " + all.size());
            return all;
        }

        @Override
        public void close() throws IOException {
            delegate.close();
        }
    }

    private static final class MarkingListener implements JobWorkerListener {
        private final AtomicBoolean polled = new AtomicBoolean();

        @Override
        public void polled(JobQueue queue, int requested, int received) {
            if (polled.compareAndSet(false, true)) {
                mark("FIRST_POLL");
            }
        }

        @Override
        public void claimed(JobQueue queue, String jobId) {
            mark("CLAIMED " + jobId);
        }

        @Override
        public void succeeded(JobQueue queue, String jobId) {
            mark("SUCCEEDED " + jobId);
        }

        @Override
        public void failed(JobQueue queue, String jobId, FailureType type) {
            mark("FAILED " + jobId + " " + type.apiName());
        }

        @Override
        public void reportAbandoned(JobQueue queue, String jobId, Throwable error) {
            mark("ABANDONED " + jobId + " " + error.getClass().getSimpleName());
        }
    }
}

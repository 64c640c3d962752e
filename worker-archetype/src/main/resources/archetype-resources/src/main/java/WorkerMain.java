package ${package};

import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.ClientTokenProvider;
import dev.pipelineworker.JobWorker;
import dev.pipelineworker.OutcomeJournal;
import java.nio.file.Path;
import java.util.Map;

/**
 * Serves the action type from CodePipeline with {@link ReportHandler} until SIGTERM or Ctrl-C, then lets running jobs
 * finish and exits 0. Configured by the environment: CLIENT_ID and CLIENT_TOKEN (the third-party client the action
 * type was registered with), JOURNAL_DIR (optional: a persistent directory for the outcome journal), and the standard
 * AWS credentials and region.
 */
public final class WorkerMain {

    /** The action type this worker serves; register it with the same four values. */
    public static final ActionTypeId ACTION_TYPE = ActionTypeId.thirdParty(ActionCategory.BUILD, "Report", "1");

    private WorkerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        JobWorker.Builder worker = JobWorker.builder(ACTION_TYPE, new ReportHandler())
                .clientTokens(ClientTokenProvider.fromMap(Map.of(env("CLIENT_ID"), env("CLIENT_TOKEN"))));
        String journal = System.getenv("JOURNAL_DIR");
        if (journal != null && !journal.isEmpty()) {
            worker.outcomeJournal(OutcomeJournal.inDirectory(Path.of(journal)));
        }
        worker.build().runUntilSignal();
    }

    private static String env(String name) {
        String value = System.getenv(name);
        if (value == null || value.isEmpty()) {
            throw new IllegalStateException("set the environment variable " + name);
        }
        return value;
    }
}

package dev.pipelineworker.examples.readme;

import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.ClientTokenProvider;
import dev.pipelineworker.JobWorker;
import dev.pipelineworker.OutcomeJournal;
import java.nio.file.Path;
import java.util.Map;

/** Serves the third-party action Test/LineCount/1 until SIGTERM or Ctrl-C. */
public final class LineCountWorker {

    public static final ActionTypeId ACTION_TYPE = ActionTypeId.thirdParty(ActionCategory.TEST, "LineCount", "1");

    public static void main(String[] args) throws InterruptedException {
        JobWorker.builder(ACTION_TYPE, new LineCountHandler())
                .clientTokens(ClientTokenProvider.fromMap(Map.of(env("CLIENT_ID"), env("CLIENT_TOKEN"))))
                .outcomeJournal(OutcomeJournal.inDirectory(Path.of(env("JOURNAL_DIR"))))
                .maxConcurrentJobs(4)
                .build()
                .runUntilSignal(); // drains running jobs on SIGTERM, then returns: exit status 0
    }

    private static String env(String name) {
        String value = System.getenv(name);
        if (value == null || value.isEmpty()) {
            throw new IllegalStateException("set the environment variable " + name);
        }
        return value;
    }
}

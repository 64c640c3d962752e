package dev.pipelineworker.examples.deploy;

import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.Backoff;
import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.JobWorker;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.Random;

/**
 * The defaults of {@link JobWorker.Builder} that a deployment's stop deadline depends on, read from a fresh builder
 * (its fields: the builder has no getters), so that a changed default shows up in {@link DeploymentManifestsTest}.
 */
final class WorkerDefaults {

    private WorkerDefaults() {
    }

    /** How long running jobs get to finish after SIGTERM, unless {@code --shutdown-grace} says otherwise. */
    static Duration shutdownGrace() {
        return field("shutdownGrace", Duration.class);
    }

    /**
     * The longest a result can wait between attempts in all, when CodePipeline is throttling or down: every wait
     * of {@code reportRetries} at its jitter's top.
     */
    static Duration reportRetryBudget() {
        int attempts = field("reportMaxAttempts", Integer.class);
        Backoff backoff = field("reportBackoff", Backoff.class);
        Random highest = new Random() {
            @Override
            public double nextDouble() {
                return Math.nextDown(1.0);
            }
        };
        Duration budget = Duration.ZERO;
        for (int retry = 1; retry < attempts; retry++) {
            budget = budget.plus(backoff.delay(retry, highest));
        }
        return budget;
    }

    private static <T> T field(String name, Class<T> type) {
        JobWorker.Builder builder = JobWorker.builder(ActionTypeId.thirdParty(ActionCategory.BUILD, "Defaults", "1"),
                job -> JobOutcome.success("unused"));
        try {
            Field field = JobWorker.Builder.class.getDeclaredField(name);
            field.setAccessible(true);
            return type.cast(field.get(builder));
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("JobWorker.Builder has no field " + name + ": update WorkerDefaults", e);
        }
    }
}

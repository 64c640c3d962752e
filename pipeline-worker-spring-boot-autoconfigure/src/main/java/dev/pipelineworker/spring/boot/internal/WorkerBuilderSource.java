package dev.pipelineworker.spring.boot.internal;

import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.JobHandler;
import dev.pipelineworker.JobWorker;

/**
 * Where each worker's builder starts, before the properties are applied: {@link JobWorker#builder} in an
 * application, the emulator's {@code LocalWorkers} in a test.
 */
public interface WorkerBuilderSource {

    /** Builders as {@link JobWorker#builder} makes them: AWS as the environment configures it. */
    WorkerBuilderSource AWS = new WorkerBuilderSource() {
        @Override
        public JobWorker.Builder builder(ActionTypeId actionType, JobHandler handler) {
            return JobWorker.builder(actionType, handler);
        }

        @Override
        public boolean suppliesAwsAccess() {
            return false;
        }
    };

    /** A builder for a worker serving {@code actionType} with {@code handler}. */
    JobWorker.Builder builder(ActionTypeId actionType, JobHandler handler);

    /**
     * Whether the builders come with their CodePipeline clients, client tokens and artifact store already set, so
     * that the application's beans for those must not replace them (the emulator's, in a test).
     */
    boolean suppliesAwsAccess();
}

package dev.pipelineworker.spring.boot.internal;

import dev.pipelineworker.JobWorker;

/** Something that instruments each worker in two steps: its builder, then the built worker (meters). */
public interface WorkerInstrumentation {

    /** Adds listeners or observers to the builder of the worker {@code workerName}; what to do once it is built. */
    Binding instrument(String workerName, JobWorker.Builder builder);

    /** The instrumentation of one worker: bound once it is built, closed after it stopped. */
    interface Binding extends AutoCloseable {

        /** Binds to the built worker (before it starts). */
        void bindTo(JobWorker worker);

        @Override
        void close();
    }
}

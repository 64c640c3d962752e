package dev.pipelineworker.spring.boot.internal;

import dev.pipelineworker.JobWorker;
import dev.pipelineworker.spring.boot.JobWorkerCustomizer;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import org.springframework.beans.factory.DisposableBean;

/**
 * Runs each worker's jobs on virtual threads, one per job, when the application asks for virtual threads
 * ({@code spring.threads.virtual.enabled}) on Java 21 or later. The starter is compiled for Java 17, where
 * {@code Executors.newVirtualThreadPerTaskExecutor()} does not exist, so it is looked up at run time. The executors
 * are shut down after the workers (which leave a given executor running).
 */
public final class VirtualThreadExecutors implements JobWorkerCustomizer, DisposableBean {

    private final MethodHandle factory;
    private final List<ExecutorService> executors = new ArrayList<>();

    private VirtualThreadExecutors(MethodHandle factory) {
        this.factory = factory;
    }

    /** The customizer, or empty when this Java has no virtual threads. */
    public static Optional<VirtualThreadExecutors> ifAvailable() {
        try {
            return Optional.of(new VirtualThreadExecutors(MethodHandles.publicLookup().findStatic(
                    java.util.concurrent.Executors.class, "newVirtualThreadPerTaskExecutor",
                    MethodType.methodType(ExecutorService.class))));
        } catch (NoSuchMethodException | IllegalAccessException e) {
            return Optional.empty();
        }
    }

    @Override
    public synchronized void customize(String workerName, JobWorker.Builder builder) {
        ExecutorService executor = newExecutor();
        executors.add(executor);
        builder.executor(executor);
    }

    private ExecutorService newExecutor() {
        try {
            return (ExecutorService) factory.invoke();
        } catch (Throwable e) {
            throw new IllegalStateException("could not create a virtual-thread executor", e);
        }
    }

    @Override
    public synchronized void destroy() {
        executors.forEach(ExecutorService::shutdownNow);
        executors.clear();
    }
}

package dev.pipelineworker.internal.runtime;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;

/**
 * The default job executor: a virtual thread per job when the JVM has them (Java 21 or later), else a fixed pool of
 * one platform thread per slot. The handler API is blocking, so a job in flight holds its thread for as long as it
 * runs; a virtual thread costs a few KiB of heap while it waits, a platform thread its stack and a kernel thread.
 * Detected at run time, so the same jar runs on Java 17.
 */
public final class JobThreads {

    private static final MethodHandle VIRTUAL_EXECUTOR = virtualExecutor();

    private JobThreads() {
    }

    /** Whether {@link #defaultExecutor} gives virtual threads on this JVM. */
    public static boolean virtual() {
        return VIRTUAL_EXECUTOR != null;
    }

    /**
     * An executor for {@code maxConcurrentJobs} jobs at once whose threads are named {@code prefix-N}: virtual
     * threads when the JVM has them, else {@code maxConcurrentJobs} daemon platform threads from {@code platform}.
     */
    public static ExecutorService defaultExecutor(int maxConcurrentJobs, String prefix, ThreadFactory platform) {
        if (VIRTUAL_EXECUTOR != null) {
            try {
                return (ExecutorService) VIRTUAL_EXECUTOR.invoke(prefix + "-", 1L);
            } catch (Throwable e) {
                throw new IllegalStateException("virtual threads are present but cannot be started", e);
            }
        }
        return Executors.newFixedThreadPool(maxConcurrentJobs, platform);
    }

    /**
     * {@code (prefix, start) -> Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name(prefix, start).factory())},
     * or null before Java 21 (on 19 and 20 virtual threads are a preview, off by default).
     */
    private static MethodHandle virtualExecutor() {
        if (Runtime.version().feature() < 21) {
            return null;
        }
        try {
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            Class<?> builder = Class.forName("java.lang.Thread$Builder");
            Class<?> ofVirtual = Class.forName("java.lang.Thread$Builder$OfVirtual");
            MethodHandle newBuilder = lookup.findStatic(Thread.class, "ofVirtual", MethodType.methodType(ofVirtual));
            MethodHandle name = lookup.findVirtual(ofVirtual, "name",
                    MethodType.methodType(ofVirtual, String.class, long.class));
            MethodHandle factory = lookup.findVirtual(builder, "factory", MethodType.methodType(ThreadFactory.class));
            MethodHandle perTask = lookup.findStatic(Executors.class, "newThreadPerTaskExecutor",
                    MethodType.methodType(ExecutorService.class, ThreadFactory.class));
            // (String, long) -> OfVirtual, then -> ThreadFactory, then -> ExecutorService
            MethodHandle named = MethodHandles.foldArguments(name, newBuilder);
            MethodHandle factoryOf = MethodHandles.filterReturnValue(named,
                    factory.asType(MethodType.methodType(ThreadFactory.class, ofVirtual)));
            return MethodHandles.filterReturnValue(factoryOf, perTask);
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }
}

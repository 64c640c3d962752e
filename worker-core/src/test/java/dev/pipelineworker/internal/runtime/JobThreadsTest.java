package dev.pipelineworker.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class JobThreadsTest {

    @Test
    void jobsRunOnVirtualThreadsExactlyWhenTheJvmHasThem() throws Exception {
        ExecutorService executor = JobThreads.defaultExecutor(2, "test-job", Executors.defaultThreadFactory());
        try {
            Thread thread = executor.submit(Thread::currentThread).get(10, TimeUnit.SECONDS);
            boolean expectVirtual = Runtime.version().feature() >= 21;
            assertThat(JobThreads.virtual()).isEqualTo(expectVirtual);
            assertThat(isVirtual(thread)).as("virtual on Java %s", Runtime.version()).isEqualTo(expectVirtual);
            if (expectVirtual) {
                assertThat(thread.getName()).startsWith("test-job-");
            }
        } finally {
            executor.shutdownNow();
        }
    }

    private static boolean isVirtual(Thread thread) throws Exception {
        if (Runtime.version().feature() < 21) {
            return false;
        }
        return (boolean) Thread.class.getMethod("isVirtual").invoke(thread);
    }
}

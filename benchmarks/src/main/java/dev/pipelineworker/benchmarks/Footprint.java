package dev.pipelineworker.benchmarks;

import dev.pipelineworker.ClientTokenProvider;
import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.JobWorker;
import dev.pipelineworker.testkit.LocalCodePipeline;
import dev.pipelineworker.testkit.emulator.JobSpec;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;

/**
 * Footprint of a worker in a JVM of its own ({@code -Xmx256m}): resident memory and threads of a bare
 * JVM, of an idle worker with default settings (64 slots), and with 64 jobs blocked in the handler.
 * The emulator stays in the harness's JVM, so none of its memory is counted.
 */
final class Footprint {

    private Footprint() {
    }

    static void run(BenchMain main) throws Exception {
        System.out.println("== 4. footprint (child JVM -Xmx256m, default settings, maxConcurrentJobs=64)");
        try (LocalCodePipeline cp = LocalCodePipeline.builder().actionType(Orchestration.TYPE).start()) {
            String clientId = cp.defaultClientId();
            try (Bench.Child child = new Bench.Child(List.of("-Xmx256m"), Child.class, cp.endpoint().toString(),
                    clientId, cp.clientToken(clientId).orElseThrow())) {
                long[] base = parse(child.expect("BASE"));
                long[] idle = parse(child.expect("IDLE"));
                for (int i = 0; i < 64; i++) {
                    cp.enqueue(JobSpec.builder(Orchestration.TYPE).build());
                }
                long[] busy = parse(child.expect("BUSY"));
                child.expect("DONE");
                main.row("idle worker RSS MiB / threads", Bench.fmt("%.0f / %d", idle[0] / 1024.0, idle[1]),
                        Bench.fmt("bare JVM %.0f / %d", base[0] / 1024.0, base[1]),
                        Bench.fmt("+%.0f MiB", (idle[0] - base[0]) / 1024.0), "report");
                main.row("64 jobs blocked in handler: RSS MiB / threads / heap after GC MiB",
                        Bench.fmt("%.0f / %d / %.1f", busy[0] / 1024.0, busy[1], busy[2] / 1048576.0),
                        Bench.fmt("idle %.0f / %d / %.1f", idle[0] / 1024.0, idle[1], idle[2] / 1048576.0),
                        "", "report");
                main.row("per in-flight job: RSS KiB / threads / heap KiB",
                        Bench.fmt("%.0f / %.2f / %.1f", (busy[0] - idle[0]) / 64.0, (busy[1] - idle[1]) / 64.0,
                                (busy[2] - idle[2]) / 64.0 / 1024),
                        "", "", "report");
            }
        }
    }

    private static long[] parse(String line) {
        String[] p = line.split(" ");
        return new long[] {Long.parseLong(p[0]), Long.parseLong(p[1]), Long.parseLong(p[2])};
    }

    /** The child: prints "rss-KiB threads heap-bytes" at each stage. */
    static final class Child {
        public static void main(String[] args) throws Exception {
            print("BASE");
            URI endpoint = URI.create(args[0]);
            CountDownLatch release = new CountDownLatch(1);
            AtomicInteger entered = new AtomicInteger();
            CountDownLatch allIn = new CountDownLatch(64);
            CountDownLatch allDone = new CountDownLatch(64);
            try (CodePipelineClient client = Bench.client(endpoint, new Bench.CallTimer());
                 JobWorker worker = JobWorker.builder(Orchestration.TYPE, ctx -> {
                     entered.incrementAndGet();
                     allIn.countDown();
                     release.await();
                     allDone.countDown();
                     return JobOutcome.success();
                 })
                         .codePipelineClient(client)
                         .clientTokens(ClientTokenProvider.fromMap(Map.of(args[1], args[2])))
                         .maxConcurrentJobs(64)
                         .build()) {
                worker.start();
                Thread.sleep(3000);
                print("IDLE");
                allIn.await();
                Thread.sleep(1000);
                print("BUSY");
                release.countDown();
                allDone.await();
            }
            System.out.println("DONE");
            System.out.flush();
        }

        private static void print(String stage) {
            System.gc();
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            System.out.println(stage + " " + Bench.procStatus("VmRSS") + " " + Bench.procStatus("Threads") + " " + heap);
            System.out.flush();
        }
    }

    static BufferedReader reader(java.io.InputStream in) {
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }
}

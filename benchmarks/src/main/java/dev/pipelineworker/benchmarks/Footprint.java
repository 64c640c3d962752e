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
 * JVM, of an idle worker with default settings (64 and 1,000 slots), and with as many jobs blocked in the handler,
 * on this JVM and on each of {@code bench.footprintJdks}.
 * The emulator stays in the harness's JVM, so none of its memory is counted.
 */
final class Footprint {

    private Footprint() {
    }

    static void run(BenchMain main) throws Exception {
        // -Dbench.footprintJdks=/path/to/jdk25,... also measures on those JVMs (their java.home), side by side.
        List<String> homes = new java.util.ArrayList<>(List.of(System.getProperty("java.home")));
        String more = System.getProperty("bench.footprintJdks", "");
        for (String home : more.split(",")) {
            if (!home.isBlank()) {
                homes.add(home.trim());
            }
        }
        for (String home : homes) {
            for (int jobs : new int[] {64, 1000}) {
                measure(main, home, jobs);
            }
        }
    }

    private static void measure(BenchMain main, String javaHome, int jobs) throws Exception {
        String jdk = "Java " + javaVersion(javaHome);
        System.out.println("== 4. footprint (child JVM -Xmx256m on " + jdk + ", default executor, maxConcurrentJobs="
                + jobs + ")");
        try (LocalCodePipeline cp = LocalCodePipeline.builder().actionType(Orchestration.TYPE).start()) {
            String clientId = cp.defaultClientId();
            try (Bench.Child child = new Bench.Child(javaHome, List.of("-Xmx256m"), Child.class,
                    cp.endpoint().toString(), clientId, cp.clientToken(clientId).orElseThrow(),
                    Integer.toString(jobs))) {
                long[] base = parse(child.expect("BASE"));
                long[] idle = parse(child.expect("IDLE"));
                for (int i = 0; i < jobs; i++) {
                    cp.enqueue(JobSpec.builder(Orchestration.TYPE).build());
                }
                long[] busy = parse(child.expect("BUSY"));
                child.expect("DONE");
                String on = ", " + jdk;
                main.row("idle worker (" + jobs + " slots) RSS MiB / threads" + on,
                        Bench.fmt("%.0f / %d", idle[0] / 1024.0, idle[1]),
                        Bench.fmt("bare JVM %.0f / %d", base[0] / 1024.0, base[1]),
                        Bench.fmt("+%.0f MiB", (idle[0] - base[0]) / 1024.0), "report");
                main.row(jobs + " jobs blocked in handler: RSS MiB / threads / heap after GC MiB" + on,
                        Bench.fmt("%.0f / %d / %.1f", busy[0] / 1024.0, busy[1], busy[2] / 1048576.0),
                        Bench.fmt("idle %.0f / %d / %.1f", idle[0] / 1024.0, idle[1], idle[2] / 1048576.0),
                        "", "report");
                double rssPerJob = (busy[0] - idle[0]) / (double) jobs;
                double threadsPerJob = (busy[1] - idle[1]) / (double) jobs;
                main.row("per in-flight job (" + jobs + " in flight): RSS KiB / platform threads / heap KiB" + on,
                        Bench.fmt("%.0f / %.2f / %.1f", rssPerJob, threadsPerJob, (busy[2] - idle[2]) / (double) jobs
                                / 1024),
                        "", "", jobs == 1000 ? BenchMain.verdict(rssPerJob <= 128 && threadsPerJob < 0.5 ? 1 : 0, 1,
                                "≤128 KiB, no platform thread per job") : "report");
            }
        }
    }

    /** The {@code java.version} of the JVM at {@code javaHome}, from its release file. */
    private static String javaVersion(String javaHome) {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of(javaHome, "release"))) {
                if (line.startsWith("JAVA_VERSION=")) {
                    return line.substring("JAVA_VERSION=".length()).replace("\"", "");
                }
            }
        } catch (java.io.IOException e) {
            return javaHome.equals(System.getProperty("java.home")) ? System.getProperty("java.version") : "?";
        }
        return "?";
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
            int jobs = Integer.parseInt(args[3]);
            CountDownLatch allIn = new CountDownLatch(jobs);
            CountDownLatch allDone = new CountDownLatch(jobs);
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
                         .maxConcurrentJobs(jobs)
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

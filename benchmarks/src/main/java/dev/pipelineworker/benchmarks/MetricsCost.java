package dev.pipelineworker.benchmarks;

import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.JobQueue;
import dev.pipelineworker.JobWorkerListener;
import dev.pipelineworker.micrometer.PipelineWorkerMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import software.amazon.awssdk.regions.Region;

/**
 * What worker-micrometer costs a job. Section 1's saturated orchestration (no-op handler, default journal, no call
 * latency: the worker's own CPU is all a job costs, the worst case for any per-job addition) at c=1 and c=64,
 * without and with the meters (a Prometheus registry, the gauges bound, a scrape every second), run in pairs whose
 * order alternates (without, with; with, without; ...) so that a drift of the shared machine falls on both. The
 * figure is the median of the pairs' ratios. Then the listener alone: its events for one job called in a loop on
 * one thread, in CPU time, against the CPU a whole job costs.
 */
final class MetricsCost {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private MetricsCost() {
    }

    static void run(BenchMain main, Orchestration orchestration) throws Exception {
        int repeats = Bench.intProp("bench.metricsRepeats", BenchMain.QUICK ? 2 : 8);
        Orchestration.Variant plain = Orchestration.Variant.worker("worker", null, null);
        Orchestration.Variant metered = plain.withMetrics("worker + micrometer");
        System.out.println("== 7. metrics: the worker with and without worker-micrometer (Prometheus registry, "
                + "scraped every " + Orchestration.SCRAPE_INTERVAL.toSeconds() + " s), " + repeats + " pairs");
        record Scenario(int concurrency, int jobs) {
        }
        double cpuPerJobWithout = Double.NaN;
        for (Scenario s : List.of(new Scenario(1, BenchMain.QUICK ? 100 : 2000),
                new Scenario(64, BenchMain.QUICK ? 300 : 6000))) {
            List<Orchestration.Result> without = new ArrayList<>();
            List<Orchestration.Result> with = new ArrayList<>();
            List<Double> rateRatios = new ArrayList<>();
            List<Double> cpuRatios = new ArrayList<>();
            for (int r = 0; r < repeats; r++) {
                boolean plainFirst = r % 2 == 0;
                Orchestration.Result first = orchestration.saturated(plainFirst ? plain : metered, s.concurrency(),
                        s.jobs(), 0);
                Orchestration.Result second = orchestration.saturated(plainFirst ? metered : plain, s.concurrency(),
                        s.jobs(), 0);
                Orchestration.Result p = plainFirst ? first : second;
                Orchestration.Result m = plainFirst ? second : first;
                without.add(p);
                with.add(m);
                rateRatios.add(m.jobsPerSecond() / p.jobsPerSecond());
                cpuRatios.add(m.cpuMillisPerJob() / p.cpuMillisPerJob());
                System.out.printf("    c=%d pair %d (%s first): without %6.0f jobs/s cpu/job %.3f ms, with %6.0f jobs/s "
                                + "cpu/job %.3f ms, ratio %.3f%n", s.concurrency(), r + 1, plainFirst ? "without" : "with",
                        p.jobsPerSecond(), p.cpuMillisPerJob(), m.jobsPerSecond(), m.cpuMillisPerJob(),
                        rateRatios.get(r));
            }
            String label = Bench.fmt("metrics c=%d, no latency", s.concurrency());
            double rateRatio = Bench.median(rateRatios);
            double cpuRatio = Bench.median(cpuRatios);
            main.row(label + ": jobs/s, with / without worker-micrometer", BenchMain.rate(with),
                    BenchMain.rate(without), Bench.fmt("%.3f", rateRatio), BenchMain.verdict(rateRatio, 0.98,
                            "≤2% cost"));
            main.row(label + ": CPU ms per job (whole JVM), with / without", Bench.fmt("%.3f",
                            BenchMain.med(with, Orchestration.Result::cpuMillisPerJob)),
                    Bench.fmt("%.3f", BenchMain.med(without, Orchestration.Result::cpuMillisPerJob)),
                    Bench.fmt("%.3f", cpuRatio), "report");
            main.row(label + ": p50 / p99 enqueue→accepted ms, with / without", BenchMain.lat(with),
                    BenchMain.lat(without), Bench.fmt("%.2f", BenchMain.med(with, Orchestration.Result::p50Millis)
                            / BenchMain.med(without, Orchestration.Result::p50Millis)), "report");
            main.note(Bench.fmt("metrics c=%d: the pairs' jobs/s ratios %s; CPU ratios %s", s.concurrency(),
                    joined(rateRatios), joined(cpuRatios)));
            if (s.concurrency() == 64) {
                cpuPerJobWithout = BenchMain.med(without, Orchestration.Result::cpuMillisPerJob);
            }
        }
        double listenerMicros = listenerNanosPerJob(BenchMain.QUICK ? 100_000 : 2_000_000) / 1000;
        main.row("metrics: the listener's CPU per job (poll, claim, handler, success, accepted result; one thread)",
                Bench.fmt("%.2f µs", listenerMicros), Bench.fmt("a job %.0f µs", cpuPerJobWithout * 1000),
                Bench.fmt("%.4f", listenerMicros / (cpuPerJobWithout * 1000)), "report");
    }

    /**
     * The listener's events for one successful job, called {@code jobs} times on this thread after a warm-up:
     * CPU nanoseconds per job. The queue's meters exist after the first job, as in a running worker.
     */
    private static double listenerNanosPerJob(int jobs) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try {
            JobWorkerListener listener = PipelineWorkerMetrics.of(registry).listener();
            JobQueue queue = JobQueue.of(Orchestration.TYPE, Region.US_EAST_1);
            JobOutcome outcome = JobOutcome.success();
            Duration handler = Duration.ofMillis(3);
            Duration report = Duration.ofMillis(2);
            String[] jobIds = new String[1024];
            for (int i = 0; i < jobIds.length; i++) {
                jobIds[i] = "job-" + i;
            }
            oneJobEach(listener, queue, outcome, handler, report, jobIds, jobs / 4);
            long started = THREADS.getCurrentThreadCpuTime();
            oneJobEach(listener, queue, outcome, handler, report, jobIds, jobs);
            return (double) (THREADS.getCurrentThreadCpuTime() - started) / jobs;
        } finally {
            registry.close();
        }
    }

    private static void oneJobEach(JobWorkerListener listener, JobQueue queue, JobOutcome outcome, Duration handler,
                                   Duration report, String[] jobIds, int jobs) {
        for (int i = 0; i < jobs; i++) {
            String jobId = jobIds[i & (jobIds.length - 1)];
            listener.polled(queue, 1, 1);
            listener.claimed(queue, jobId);
            listener.handlerFinished(queue, jobId, handler, outcome);
            listener.succeeded(queue, jobId);
            listener.resultAccepted(queue, jobId, report, handler.plus(report));
        }
    }

    private static String joined(List<Double> values) {
        return values.stream().map(v -> Bench.fmt("%.3f", v)).collect(Collectors.joining(", ", "[", "]"));
    }
}

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
 * What worker-micrometer costs a job, measured two ways.
 *
 * <p>End to end: section 1's saturated orchestration (no-op handler, default journal, no call latency: the worker's
 * own CPU is all a job costs, the worst case for any per-job addition) at c=1 and c=64, without and with the meters
 * (a Prometheus registry, the gauges bound, a scrape every second), in pairs whose order alternates (without, with;
 * with, without; ...) so that a drift of the shared machine falls on both. The figure is the median of the pairs'
 * ratios with a distribution-free confidence interval (order statistics of the pairs); a 2% difference is only
 * resolved when the interval is narrower than that, which a shared 2-core machine seldom allows.
 *
 * <p>Accounted: the CPU the meters add to a job, measured where it is spent, against the CPU a job costs in the run
 * without them. The listener's events for one job are called in a loop on one thread (CPU time); each scrape of the
 * metered runs is timed on the scraper's thread. Both are small and steady enough to be measured far below 2%.
 */
final class MetricsCost {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final double TARGET = 0.98;

    private MetricsCost() {
    }

    static void run(BenchMain main, Orchestration orchestration) throws Exception {
        int repeats = Bench.intProp("bench.metricsRepeats", BenchMain.QUICK ? 2 : 12);
        Orchestration.Variant plain = Orchestration.Variant.worker("worker", null, null);
        Orchestration.Variant metered = plain.withMetrics("worker + micrometer");
        System.out.println("== 6. metrics: the worker with and without worker-micrometer (Prometheus registry, "
                + "scraped every " + Orchestration.SCRAPE_INTERVAL.toSeconds() + " s), " + repeats + " pairs");
        double listenerMicros = listenerNanosPerJob(BenchMain.QUICK ? 100_000 : 4_000_000) / 1000;
        record Scenario(int concurrency, int jobs) {
        }
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
                                + "cpu/job %.3f ms, ratio %.3f; load %s%n", s.concurrency(), r + 1,
                        plainFirst ? "without" : "with", p.jobsPerSecond(), p.cpuMillisPerJob(), m.jobsPerSecond(),
                        m.cpuMillisPerJob(), rateRatios.get(r), Bench.loadAverage());
            }
            String label = Bench.fmt("metrics c=%d, no latency", s.concurrency());
            Interval rate = Interval.ofMedian(rateRatios);
            Interval cpu = Interval.ofMedian(cpuRatios);
            main.row(label + ": jobs/s, with / without worker-micrometer (median of pairs)", BenchMain.rate(with),
                    BenchMain.rate(without), Bench.fmt("%.3f", rate.median()), rate.verdict());
            main.row(label + ": CPU ms per job (whole JVM), with / without (median of pairs)", Bench.fmt("%.3f",
                            BenchMain.med(with, Orchestration.Result::cpuMillisPerJob)),
                    Bench.fmt("%.3f", BenchMain.med(without, Orchestration.Result::cpuMillisPerJob)),
                    Bench.fmt("%.3f", cpu.median()), cpu.text());
            main.row(label + ": p50 / p99 enqueue→accepted ms, with / without", BenchMain.lat(with),
                    BenchMain.lat(without), Bench.fmt("%.2f", BenchMain.med(with, Orchestration.Result::p50Millis)
                            / BenchMain.med(without, Orchestration.Result::p50Millis)), "report");
            double jobMicros = BenchMain.med(without, Orchestration.Result::cpuMillisPerJob) * 1000;
            double scrapeMicros = BenchMain.med(with, Orchestration.Result::scrapeCpuMillisPerJob) * 1000;
            double added = listenerMicros + scrapeMicros;
            main.row(label + ": CPU the meters add to a job, listener + scrapes (µs), against a job's CPU without",
                    Bench.fmt("%.2f + %.2f = %.2f µs", listenerMicros, scrapeMicros, added),
                    Bench.fmt("a job %.0f µs", jobMicros), Bench.fmt("%.4f", added / jobMicros),
                    BenchMain.verdict(1 - added / jobMicros, TARGET, "≤2% cost"));
            main.note(Bench.fmt("metrics c=%d: the pairs' jobs/s ratios %s; CPU ratios %s; one scrape %.2f ms of CPU "
                            + "(median)", s.concurrency(), joined(rateRatios), joined(cpuRatios),
                    BenchMain.med(with, Orchestration.Result::scrapeCpuMillis)));
        }
    }

    /**
     * The median of paired ratios and a confidence interval for it from their order statistics: the k-th smallest
     * and k-th largest, with k the largest for which the binomial tails leave at least 90% coverage.
     */
    record Interval(double median, double low, double high, double confidence) {
        static Interval ofMedian(List<Double> values) {
            double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            int n = sorted.length;
            int k = 0; // 0: no interval (too few pairs)
            double tail = 0;
            double cumulative = Math.pow(0.5, n); // P(B <= 0), B ~ Binomial(n, 1/2)
            for (int i = 1; i <= n / 2; i++) {
                if (2 * cumulative > 0.10) {
                    break;
                }
                k = i;
                tail = cumulative;
                cumulative += binomial(n, i) * Math.pow(0.5, n);
            }
            if (k == 0) {
                return new Interval(Bench.median(values), Double.NaN, Double.NaN, Double.NaN);
            }
            return new Interval(Bench.median(values), sorted[k - 1], sorted[n - k], 1 - 2 * tail);
        }

        String text() {
            return Double.isNaN(low) ? "too few pairs for an interval"
                    : Bench.fmt("%.0f%% CI %.3f-%.3f", confidence * 100, low, high);
        }

        /** MET when the whole interval is at or above the target, NOT MET when it is below, else unresolved. */
        String verdict() {
            if (!Double.isNaN(low) && low >= TARGET) {
                return "MET ≤2% cost (" + text() + ")";
            }
            if (!Double.isNaN(high) && high < TARGET) {
                return "NOT MET ≤2% cost (" + text() + ")";
            }
            return "unresolved by the noise (" + text() + "); see the accounted row";
        }

        private static double binomial(int n, int k) {
            double c = 1;
            for (int i = 1; i <= k; i++) {
                c = c * (n - k + i) / i;
            }
            return c;
        }
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

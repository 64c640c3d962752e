package dev.pipelineworker.benchmarks;

import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.Backoff;
import dev.pipelineworker.ClientTokenProvider;
import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.JobQueue;
import dev.pipelineworker.JobWorker;
import dev.pipelineworker.JobWorkerListener;
import dev.pipelineworker.OutcomeJournal;
import dev.pipelineworker.micrometer.PipelineWorkerMetrics;
import dev.pipelineworker.testkit.LocalCodePipeline;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;
import software.amazon.awssdk.services.codepipeline.model.ThirdPartyJob;
import software.amazon.awssdk.services.codepipeline.model.ThirdPartyJobDetails;

/**
 * Orchestration overhead: a no-op handler on our worker against a hand-written loop of the raw SDK
 * calls (poll, details, acknowledge, put), both on one {@link LocalCodePipeline} over loopback and
 * with the same client settings ({@link Bench#client}).
 */
final class Orchestration implements AutoCloseable {

    static final ActionTypeId TYPE = ActionTypeId.thirdParty(ActionCategory.BUILD, "Bench", "1");
    private static final software.amazon.awssdk.services.codepipeline.model.ActionTypeId SDK_TYPE =
            software.amazon.awssdk.services.codepipeline.model.ActionTypeId.builder()
                    .category("Build").owner("ThirdParty").provider("Bench").version("1").build();

    /**
     * A contender: the reference loop, or the worker with a journal and an idle backoff (null: the defaults) and,
     * with {@code metrics}, worker-micrometer's meters in a Prometheus registry scraped every second.
     */
    record Variant(String name, boolean reference, Supplier<OutcomeJournal> journal, Backoff idleBackoff,
                   Duration referenceIdleSleep, boolean metrics) {
        static Variant reference(String name, Duration idleSleep) {
            return new Variant(name, true, null, null, idleSleep, false);
        }

        static Variant worker(String name, Supplier<OutcomeJournal> journal, Backoff idle) {
            return new Variant(name, false, journal, idle, null, false);
        }

        /** This worker with worker-micrometer's listener and gauges, under {@code newName}. */
        Variant withMetrics(String newName) {
            return new Variant(newName, false, journal, idleBackoff, null, true);
        }
    }

    /** How often the metrics variant's registry is scraped: far more often than Prometheus would (15-60 s). */
    static final Duration SCRAPE_INTERVAL = Duration.ofSeconds(1);

    /**
     * One run's figures. {@code cpuMillisPerJob} is this whole process's CPU time (emulator, SDK client and the
     * contender, all in this JVM) divided by the jobs: what a job costs the machine end to end.
     * {@code scrapeCpuMillisPerJob} is the CPU time of the metrics variant's scrapes divided by the jobs (NaN for the
     * others), {@code scrapeCpuMillis} that of one scrape.
     */
    record Result(int jobs, double jobsPerSecond, double p50Millis, double p99Millis, double meanCallMillis,
                  double callsPerJob, double pollsPerJob, double cpuMillisPerJob, double scrapeCpuMillisPerJob,
                  double scrapeCpuMillis, double emulatorCpuMillisPerJob, double switchesPerJob) {
        /** CPU a job costs the machine: the harness's, plus the emulator's when it runs in a process of its own. */
        double machineCpuMillisPerJob() {
            return Double.isNaN(emulatorCpuMillisPerJob) ? cpuMillisPerJob : cpuMillisPerJob + emulatorCpuMillisPerJob;
        }
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    final Emulator cp;
    private final String clientId;
    private final String clientToken;

    /** Section 1 against the emulator in the harness's JVM. */
    Orchestration() {
        this(Emulator.inProcess());
    }

    Orchestration(Emulator emulator) {
        this.cp = emulator;
        this.clientId = emulator.clientId();
        this.clientToken = emulator.clientToken();
    }

    /**
     * Closed loop with a backlog: {@code 2 × concurrency} jobs are always queued or running, each result
     * accepted enqueues the next job, so polls never come back empty and idle backoff plays no part.
     */
    Result saturated(Variant variant, int concurrency, int jobs, int latencyMillis) throws Exception {
        Driver driver = new Driver(jobs);
        return run(variant, concurrency, latencyMillis, driver, () -> {
            for (int i = 0; i < 2 * concurrency; i++) {
                driver.enqueueOne();
            }
        }, true);
    }

    /**
     * Open loop: jobs arrive one by one at random (Poisson) times, {@code rate} a second on average, so
     * the queue keeps running empty between them, the way a real stream of pipeline runs looks.
     */
    Result stream(Variant variant, int concurrency, int jobs, double rate) throws Exception {
        Driver driver = new Driver(jobs);
        return run(variant, concurrency, 0, driver, () -> {
            Thread arrivals = new Thread(() -> {
                SplittableRandom random = new SplittableRandom(42);
                long next = System.nanoTime();
                for (int i = 0; i < jobs; i++) {
                    next += (long) (-Math.log(1 - random.nextDouble()) / rate * 1e9);
                    long wait;
                    while ((wait = next - System.nanoTime()) > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    driver.enqueueOne();
                }
            }, "bench-arrivals");
            arrivals.setDaemon(true);
            arrivals.start();
        }, false);
    }

    private Result run(Variant variant, int concurrency, int latencyMillis, Driver driver, Runnable feed,
                       boolean refill) throws Exception {
        cp.reset(latencyMillis);
        driver.refill = refill;
        Bench.CallTimer timer = new Bench.CallTimer();
        long started;
        long ended;
        long cpuStarted;
        long cpuEnded;
        long emulatorCpuStarted = cp.cpuNanos();
        long switchesStarted = Bench.voluntaryContextSwitches();
        long switchesEnded;
        long scrapeCpuNanos = -1;
        long scrapes = 0;
        try (CodePipelineClient client = Bench.client(cp.endpoint(), timer)) {
            if (variant.reference()) {
                AtomicBoolean stop = new AtomicBoolean();
                List<Thread> threads = new ArrayList<>();
                for (int i = 0; i < concurrency; i++) {
                    Thread t = new Thread(() -> referenceLoop(client, driver, stop, variant.referenceIdleSleep()),
                            "reference-" + i);
                    t.setDaemon(true);
                    threads.add(t);
                }
                cpuStarted = OS.getProcessCpuTime();
                started = System.nanoTime();
                threads.forEach(Thread::start);
                feed.run();
                driver.await();
                ended = driver.lastAccepted;
                cpuEnded = OS.getProcessCpuTime();
                switchesEnded = Bench.voluntaryContextSwitches();
                stop.set(true);
                for (Thread t : threads) {
                    t.join(10_000);
                }
            } else {
                JobWorker.Builder builder = JobWorker.builder(TYPE, ctx -> JobOutcome.success())
                        .codePipelineClient(client)
                        .clientTokens(ClientTokenProvider.fromMap(Map.of(clientId, clientToken)))
                        .maxConcurrentJobs(concurrency)
                        .shutdownGrace(Duration.ofSeconds(5))
                        .listener(new JobWorkerListener() {
                            @Override
                            public void succeeded(JobQueue queue, String jobId) {
                                driver.accepted(jobId);
                            }
                        });
                if (variant.journal() != null) {
                    builder.outcomeJournal(variant.journal().get());
                }
                if (variant.idleBackoff() != null) {
                    builder.idleBackoff(variant.idleBackoff());
                }
                try (Metered metered = variant.metrics() ? new Metered() : null;
                     JobWorker worker = (metered == null ? builder : metered.metrics.instrument(builder)).build()) {
                    if (metered != null) {
                        metered.bind(worker);
                    }
                    cpuStarted = OS.getProcessCpuTime();
                    started = System.nanoTime();
                    worker.start();
                    feed.run();
                    driver.await();
                    ended = driver.lastAccepted;
                    cpuEnded = OS.getProcessCpuTime();
                    switchesEnded = Bench.voluntaryContextSwitches();
                    if (metered != null) {
                        scrapeCpuNanos = metered.scrapeCpuNanos.sum();
                        scrapes = metered.scrapes.sum();
                    }
                }
            }
        }
        long emulatorCpuEnded = cp.cpuNanos();
        int polls = cp.polls();
        int n = driver.done.get();
        return new Result(n, n / ((ended - started) / 1e9),
                Bench.percentileMillis(driver.latencies, n, 50), Bench.percentileMillis(driver.latencies, n, 99),
                timer.meanMillis(), (double) timer.calls.sum() / n, (double) polls / n,
                (cpuEnded - cpuStarted) / 1e6 / n, scrapeCpuNanos < 0 ? Double.NaN : scrapeCpuNanos / 1e6 / n,
                scrapes == 0 ? Double.NaN : scrapeCpuNanos / 1e6 / scrapes,
                emulatorCpuStarted < 0 ? Double.NaN : (emulatorCpuEnded - emulatorCpuStarted) / 1e6 / n,
                switchesStarted < 0 ? Double.NaN : (double) (switchesEnded - switchesStarted) / n);
    }

    /**
     * worker-micrometer on a Prometheus registry, as a production worker has it: the listener on the job path, the
     * gauges bound, and a scrape every {@link #SCRAPE_INTERVAL} that renders every series as Prometheus would fetch it.
     */
    private static final class Metered implements AutoCloseable {
        final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        final PipelineWorkerMetrics metrics = PipelineWorkerMetrics.of(registry);
        final LongAdder scrapeCpuNanos = new LongAdder();
        final LongAdder scrapes = new LongAdder();
        private final ScheduledExecutorService scraper = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "bench-scraper");
            thread.setDaemon(true);
            return thread;
        });

        void bind(JobWorker worker) {
            metrics.bindTo(worker);
            scraper.scheduleAtFixedRate(this::scrape, SCRAPE_INTERVAL.toMillis(), SCRAPE_INTERVAL.toMillis(),
                    TimeUnit.MILLISECONDS);
        }

        private void scrape() {
            long started = THREADS.getCurrentThreadCpuTime();
            registry.scrape();
            scrapeCpuNanos.add(THREADS.getCurrentThreadCpuTime() - started);
            scrapes.increment();
        }

        @Override
        public void close() {
            scraper.shutdownNow();
            metrics.close();
            registry.close();
        }
    }

    /** The reference: the raw calls in sequence on one thread, nothing else. */
    private void referenceLoop(CodePipelineClient client, Driver driver, AtomicBoolean stop, Duration idleSleep) {
        while (!stop.get()) {
            List<ThirdPartyJob> jobs = client.pollForThirdPartyJobs(r -> r.actionTypeId(SDK_TYPE).maxBatchSize(1))
                    .jobs();
            if (jobs.isEmpty()) {
                if (idleSleep != null && !idleSleep.isZero()) {
                    LockSupport.parkNanos(idleSleep.toNanos());
                }
                continue;
            }
            for (ThirdPartyJob job : jobs) {
                ThirdPartyJobDetails details = client.getThirdPartyJobDetails(
                        r -> r.jobId(job.jobId()).clientToken(clientToken)).jobDetails();
                client.acknowledgeThirdPartyJob(
                        r -> r.jobId(job.jobId()).nonce(details.nonce()).clientToken(clientToken));
                client.putThirdPartyJobSuccessResult(r -> r.jobId(job.jobId()).clientToken(clientToken));
                driver.accepted(job.jobId());
            }
        }
    }

    @Override
    public void close() {
        cp.close();
    }

    /** Enqueues jobs, and records the time from enqueue to "result accepted" for each. */
    final class Driver {
        final int total;
        final long[] latencies;
        final AtomicInteger enqueued = new AtomicInteger();
        final AtomicInteger done = new AtomicInteger();
        final LongAdder unknown = new LongAdder();
        private final ConcurrentHashMap<String, Long> enqueuedAt = new ConcurrentHashMap<>();
        private final CountDownLatch finished = new CountDownLatch(1);
        volatile boolean refill;
        volatile long lastAccepted;

        Driver(int total) {
            this.total = total;
            this.latencies = new long[total];
        }

        void enqueueOne() {
            if (enqueued.incrementAndGet() > total) {
                return;
            }
            long at = System.nanoTime();
            enqueuedAt.put(cp.enqueue(), at);
        }

        void accepted(String jobId) {
            long now = System.nanoTime();
            Long at;
            long deadline = now + TimeUnit.SECONDS.toNanos(1);
            // enqueue() stores the time just after the emulator returned; the job can be done before that.
            while ((at = enqueuedAt.remove(jobId)) == null) {
                if (System.nanoTime() > deadline) {
                    unknown.increment();
                    return;
                }
                Thread.onSpinWait();
            }
            int index = done.getAndIncrement();
            if (index < total) {
                latencies[index] = now - at;
            }
            if (refill) {
                enqueueOne();
            }
            if (index == total - 1) {
                lastAccepted = now;
                finished.countDown();
            }
        }

        void await() throws InterruptedException {
            if (!finished.await(10, TimeUnit.MINUTES)) {
                throw new IllegalStateException("run did not finish: " + done.get() + " of " + total);
            }
        }
    }
}

package dev.pipelineworker.benchmarks;

import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.Backoff;
import dev.pipelineworker.ClientTokenProvider;
import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.JobQueue;
import dev.pipelineworker.JobWorker;
import dev.pipelineworker.JobWorkerListener;
import dev.pipelineworker.OutcomeJournal;
import dev.pipelineworker.testkit.LocalCodePipeline;
import dev.pipelineworker.testkit.emulator.JobInfo;
import dev.pipelineworker.testkit.emulator.JobSpec;
import dev.pipelineworker.testkit.emulator.Operation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;

/**
 * What serving several queues costs while idle: polls a minute for 1, 4 and 16 queues (1 region, 4 regions,
 * 8 regions × 2 versions) under the default idle backoff, and the pickup of a job enqueued in one of them, drawn at
 * random, after a long idle period (every queue's backoff at its maximum, so that each queue has been idle as long
 * as the one queue of a single-queue worker). Each queue polls on its own, so the polls should grow with the queues
 * and the pickup should not. Time is scaled as in {@link Pickup} ({@code bench.pickupScale}); the emulator serves
 * every region on one endpoint, telling them apart by each call's signature, with one client per region as a
 * worker has.
 */
final class Queues {

    private static final List<Region> REGIONS = List.of(Region.US_EAST_1, Region.US_WEST_2, Region.EU_WEST_1,
            Region.EU_CENTRAL_1, Region.AP_SOUTHEAST_2, Region.AP_NORTHEAST_1, Region.SA_EAST_1, Region.CA_CENTRAL_1);

    private Queues() {
    }

    /** How many regions and versions a worker serves: one queue per pair. */
    record Shape(int regions, int versions) {
        int queues() {
            return regions * versions;
        }

        String label() {
            return queues() + (queues() == 1 ? " queue" : " queues") + " (" + regions + " region"
                    + (regions == 1 ? "" : "s") + " × " + versions + " version" + (versions == 1 ? "" : "s") + ")";
        }
    }

    /** One shape's figures: idle polls a minute (the first minute, the second), and the pickup after a long idle. */
    record Result(double idleFirst, double idleSteady, Pickups pickup) {
    }

    /** Pickup times in seconds: median, 99th percentile, mean and the mean's standard error. */
    record Pickups(double p50, double p99, double mean, double standardError) {
        static Pickups of(long[] nanos) {
            int n = nanos.length;
            double mean = Arrays.stream(nanos).average().orElse(Double.NaN) / 1e9;
            double variance = Arrays.stream(nanos).mapToDouble(w -> Math.pow(w / 1e9 - mean, 2)).sum() / (n - 1);
            return new Pickups(Bench.percentileMillis(nanos, n, 50) / 1000, Bench.percentileMillis(nanos, n, 99) / 1000,
                    mean, Math.sqrt(variance / n));
        }

        String text() {
            return Bench.fmt("%.2f / %.2f / %.2f ± %.2f", p50, p99, mean, standardError);
        }
    }

    static void run(BenchMain main) throws Exception {
        double scale = Bench.doubleProp("bench.pickupScale", 0.05);
        int samples = Bench.intProp("bench.queueSamples", BenchMain.QUICK ? 4 : 30);
        Backoff idle = BenchMain.IDLE_NEW;
        String backoff = Bench.fmt("%d ms→%d s", idle.initial().toMillis(), idle.max().toSeconds());
        System.out.printf("== 5. queues: idle polls/min and pickup after idle for 1, 4 and 16 queues "
                + "(default idle backoff %s, scaled ×%.2f, %d samples each)%n", backoff, scale, samples);
        double model = 60.0 / idle.max().toSeconds();
        try (LocalCodePipeline cp = LocalCodePipeline.builder().start()) {
            Result single = null;
            for (Shape shape : List.of(new Shape(1, 1), new Shape(4, 1), new Shape(8, 2))) {
                Result r = measure(cp, shape, idle, scale, samples);
                if (single == null) {
                    single = r;
                }
                main.row(shape.label() + ": idle polls/min, 1st minute / steady (a queue, steady)",
                        Bench.fmt("%.0f / %.0f (%.1f)", r.idleFirst(), r.idleSteady(), r.idleSteady() / shape.queues()),
                        Bench.fmt("model %d × 60 s / %d s = %.0f", shape.queues(), idle.max().toSeconds(),
                                shape.queues() * model),
                        Bench.fmt("%.2f", r.idleSteady() / (shape.queues() * model)), "report");
                main.row(shape.label() + ": pickup after a long idle, p50 / p99 / mean ± s.e. enqueue→acknowledged s",
                        r.pickup().text(), "1 queue " + single.pickup().text(),
                        Bench.fmt("%.2f", r.pickup().mean() / single.pickup().mean()), "report");
            }
            main.note(Bench.fmt("queues: default idle backoff %s scaled ×%.2f like section 2; 16 queues are 8 regions "
                    + "× 2 versions on one emulator, one client per region; each job goes to a queue drawn at random "
                    + "after %.0f-%.0f s idle (scaled; every queue's backoff at its max, then a random phase within "
                    + "one max wait), %d samples; the model counts a full max wait per poll (the ±20%% jitter, "
                    + "capped at the max, makes the mean wait 0.95 × max)", backoff, scale, longIdleSeconds(idle),
                    longIdleSeconds(idle) + idle.max().toSeconds(), samples));
        }
    }

    /**
     * Idle long enough for the backoff to reach its max from its start, in whole seconds: the doubling waits below
     * the max, each as long as the jitter makes it at most.
     */
    private static double longIdleSeconds(Backoff idle) {
        double total = 0;
        for (double wait = idle.initial().toNanos(); wait < idle.max().toNanos(); wait *= idle.multiplier()) {
            total += wait * (1 + idle.jitter());
        }
        return Math.ceil(total / 1e9);
    }

    private static Result measure(LocalCodePipeline cp, Shape shape, Backoff idle, double scale, int samples)
            throws Exception {
        cp.reset();
        List<ActionTypeId> versions = new ArrayList<>();
        for (int v = 1; v <= shape.versions(); v++) {
            ActionTypeId type = new ActionTypeId(Orchestration.TYPE.category(), Orchestration.TYPE.owner(),
                    Orchestration.TYPE.provider(), Integer.toString(v));
            cp.registerActionType(type);
            versions.add(type);
        }
        List<Region> regions = REGIONS.subList(0, shape.regions());
        String clientId = cp.defaultClientId();
        Bench.CallTimer timer = new Bench.CallTimer();
        Map<Region, CodePipelineClient> clients = new LinkedHashMap<>();
        Map<String, Long> claimedAt = new ConcurrentHashMap<>();
        Semaphore done = new Semaphore(0);
        try {
            for (Region region : regions) {
                clients.put(region, Bench.client(cp.endpoint(), timer, region));
            }
            try (JobWorker worker = JobWorker.builder(versions.get(0), ctx -> JobOutcome.success())
                    .regions(regions.toArray(Region[]::new))
                    .versions(versions.stream().map(ActionTypeId::version).toArray(String[]::new))
                    .codePipelineClients(clients::get)
                    .clientTokens(ClientTokenProvider.fromMap(Map.of(clientId, cp.clientToken(clientId).orElseThrow())))
                    .outcomeJournal(OutcomeJournal.disabled())
                    .idleBackoff(Pickup.scaled(idle, scale))
                    .listener(new JobWorkerListener() {
                        @Override
                        public void claimed(JobQueue queue, String jobId) {
                            claimedAt.put(jobId, System.nanoTime());
                        }

                        @Override
                        public void succeeded(JobQueue queue, String jobId) {
                            done.release();
                        }
                    })
                    .build()) {
                if (worker.queues().size() != shape.queues()) {
                    throw new IllegalStateException("expected " + shape.queues() + " queues, got " + worker.queues());
                }
                worker.start();
                // Idle polls: two scaled minutes with nothing queued, all queues together.
                long minute = (long) (60e9 * scale);
                Thread.sleep(minute / 1_000_000);
                int afterFirst = cp.calls(Operation.POLL_FOR_THIRD_PARTY_JOBS).size();
                Thread.sleep(minute / 1_000_000);
                int afterSecond = cp.calls(Operation.POLL_FOR_THIRD_PARTY_JOBS).size();
                SplittableRandom queues = new SplittableRandom(11);
                // Warm the path once so the first sample does not pay for class loading.
                cp.enqueue(job(regions, versions, queues));
                if (!done.tryAcquire(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("warm-up job not picked up");
                }
                // A long idle, then a random phase within one max wait (the same phases whatever the shape), so the
                // job meets its queue's poller anywhere in its wait.
                long longIdle = (long) (longIdleSeconds(idle) * 1e9 * scale);
                long maxWait = (long) (idle.max().toNanos() * scale);
                SplittableRandom phases = new SplittableRandom(13);
                timer.reset();
                long[] waits = pickups(cp, regions, versions, queues, claimedAt, done, samples,
                        () -> longIdle + (long) (phases.nextDouble() * maxWait));
                double callMillis = timer.meanMillis();
                Result r = new Result(afterFirst, afterSecond - afterFirst,
                        Pickups.of(Pickup.unscaled(waits, samples, scale, callMillis)));
                System.out.printf("    %s: idle polls 1st minute %.0f, 2nd %.0f; pickup after a long idle p50 / p99 / "
                                + "mean ± s.e. %s s; call %.2f ms%n", shape.label(), r.idleFirst(), r.idleSteady(),
                        r.pickup().text(), callMillis);
                return r;
            }
        } finally {
            clients.values().forEach(CodePipelineClient::close);
        }
    }

    /** Enqueue to claim, in nanoseconds, of {@code samples} jobs each enqueued after the next gap. */
    private static long[] pickups(LocalCodePipeline cp, List<Region> regions, List<ActionTypeId> versions,
                                  SplittableRandom queues, Map<String, Long> claimedAt, Semaphore done, int samples,
                                  LongSupplier gapNanos) throws InterruptedException {
        long[] waits = new long[samples];
        for (int i = 0; i < samples; i++) {
            TimeUnit.NANOSECONDS.sleep(gapNanos.getAsLong());
            long at = System.nanoTime();
            JobInfo job = cp.enqueue(job(regions, versions, queues));
            if (!done.tryAcquire(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("job not picked up in " + job.region());
            }
            waits[i] = claimedAt.get(job.jobId()) - at;
        }
        return waits;
    }

    /** A job in a queue drawn at random: one of the regions, one of the versions. */
    private static JobSpec job(List<Region> regions, List<ActionTypeId> versions, SplittableRandom random) {
        return JobSpec.builder(versions.get(random.nextInt(versions.size())))
                .region(regions.get(random.nextInt(regions.size())).id())
                .build();
    }
}

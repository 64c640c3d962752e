package dev.pipelineworker.benchmarks;

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
import java.time.Duration;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;

/**
 * Pickup latency after an idle period, and polls a minute while idle, under the default settings.
 * Real idle gaps of 0-30 s would take many minutes, so the run is scaled: the idle backoff and the
 * gaps are both multiplied by {@code bench.pickupScale} (0.05: gaps of 0-1.5 s, backoff 5 ms to
 * 500 ms), and the measured wait is divided by it again. The part that does not scale (the poll,
 * details and acknowledge calls, a millisecond or two) is taken out before dividing and put back.
 */
final class Pickup {

    private Pickup() {
    }

    static void run(BenchMain main) throws Exception {
        double scale = Bench.doubleProp("bench.pickupScale", 0.05);
        int samples = Bench.intProp("bench.pickupSamples", BenchMain.QUICK ? 4 : 20);
        System.out.printf("== 2. pickup after 0-30 s idle and idle polls/min (scaled ×%.2f, %d samples each)%n",
                scale, samples);
        try (LocalCodePipeline cp = LocalCodePipeline.builder().start()) {
            Result old = measure(cp, scaled(BenchMain.IDLE_OLD, scale), scale, samples);
            Result now = measure(cp, scaled(BenchMain.IDLE_NEW, scale), scale, samples);
            String label = "pickup after 0-30 s idle: p50 / p99 enqueue→acknowledged s";
            main.row(label + ", new default 100 ms→10 s", Bench.fmt("%.2f / %.2f", now.p50, now.p99),
                    Bench.fmt("old default %.2f / %.2f", old.p50, old.p99),
                    Bench.fmt("%.2f", now.p50 / old.p50), "report");
            main.row("idle polls/min (1st minute / steady), new default", Bench.fmt("%.0f / %.0f", now.first, now.steady),
                    Bench.fmt("old default %.0f / %.0f", old.first, old.steady),
                    Bench.fmt("%.2f", now.steady / old.steady), "report");
            main.note(Bench.fmt("pickup scaled ×%.2f (gaps 0-%.1f s real time, backoff scaled alike); call time "
                    + "taken out before unscaling: %.2f ms per poll+details+ack; a busy-polling loop would pick "
                    + "up in about that time but poll ~%.0f times a minute", scale, 30 * scale, now.callMillis * 3,
                    60_000 / now.callMillis));
        }
    }

    /** {@code b} with its initial and maximum delays multiplied by {@code scale}. */
    static Backoff scaled(Backoff b, double scale) {
        return new Backoff(Duration.ofNanos((long) (b.initial().toNanos() * scale)),
                Duration.ofNanos((long) (b.max().toNanos() * scale)), b.multiplier(), b.jitter());
    }

    record Result(double p50, double p99, double first, double steady, double callMillis) {
    }

    /**
     * The measured waits (nanoseconds, enqueue to claim) in real time, nanoseconds: the part that does not scale
     * (the poll, details and acknowledge calls of {@code callMillis} each) taken out, the rest divided by
     * {@code scale}, and the calls put back.
     */
    static long[] unscaled(long[] waits, int samples, double scale, double callMillis) {
        double fixed = 3 * callMillis;
        long[] unscaled = new long[samples];
        for (int i = 0; i < samples; i++) {
            double ms = waits[i] / 1e6;
            unscaled[i] = (long) ((Math.max(0, ms - fixed) / scale + fixed) * 1e6);
        }
        return unscaled;
    }

    private static Result unscale(long[] waits, int samples, double scale, double callMillis, double idleFirst,
                                  double idleSteady) {
        long[] unscaled = unscaled(waits, samples, scale, callMillis);
        return new Result(Bench.percentileMillis(unscaled, samples, 50) / 1000,
                Bench.percentileMillis(unscaled, samples, 99) / 1000, idleFirst, idleSteady, callMillis);
    }

    private static Result measure(LocalCodePipeline cp, Backoff idle, double scale, int samples) throws Exception {
        cp.reset();
        cp.registerActionType(Orchestration.TYPE);
        String clientId = cp.defaultClientId();
        Bench.CallTimer timer = new Bench.CallTimer();
        Map<String, Long> claimedAt = new ConcurrentHashMap<>();
        Semaphore done = new Semaphore(0);
        long[] waits = new long[samples];
        double idleFirst;
        double idleSteady;
        try (CodePipelineClient client = Bench.client(cp.endpoint(), timer);
             JobWorker worker = JobWorker.builder(Orchestration.TYPE, ctx -> JobOutcome.success())
                     .codePipelineClient(client)
                     .clientTokens(ClientTokenProvider.fromMap(Map.of(clientId, cp.clientToken(clientId).orElseThrow())))
                     .outcomeJournal(OutcomeJournal.disabled())
                     .idleBackoff(idle)
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
            worker.start();
            // Idle polls: two scaled minutes with nothing queued.
            long minute = (long) (60e9 * scale);
            Thread.sleep(minute / 1_000_000);
            int afterFirst = cp.calls(Operation.POLL_FOR_THIRD_PARTY_JOBS).size();
            Thread.sleep(minute / 1_000_000);
            int afterSecond = cp.calls(Operation.POLL_FOR_THIRD_PARTY_JOBS).size();
            idleFirst = afterFirst;
            idleSteady = afterSecond - afterFirst;
            // Warm the path once so the first sample does not pay for class loading.
            cp.enqueue(JobSpec.builder(Orchestration.TYPE).build());
            done.tryAcquire(30, TimeUnit.SECONDS);
            timer.reset();
            SplittableRandom random = new SplittableRandom(7);
            for (int i = 0; i < samples; i++) {
                long gapNanos = (long) (random.nextDouble() * 30e9 * scale);
                TimeUnit.NANOSECONDS.sleep(gapNanos);
                long at = System.nanoTime();
                JobInfo job = cp.enqueue(JobSpec.builder(Orchestration.TYPE).build());
                if (!done.tryAcquire(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("job not picked up");
                }
                waits[i] = claimedAt.get(job.jobId()) - at;
            }
        }
        Result r = unscale(waits, samples, scale, timer.meanMillis(), idleFirst, idleSteady);
        System.out.printf("    idle %s: pickup p50 %.2f s p99 %.2f s; idle polls 1st minute %.0f, 2nd %.0f%n",
                idle, r.p50, r.p99, r.first, r.steady);
        return r;
    }
}

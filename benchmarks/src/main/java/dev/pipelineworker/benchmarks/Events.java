package dev.pipelineworker.benchmarks;

import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.Backoff;
import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.JobQueue;
import dev.pipelineworker.JobWorker;
import dev.pipelineworker.JobWorkerListener;
import dev.pipelineworker.events.WorkerEvents;
import dev.pipelineworker.testkit.LocalCodePipeline;
import dev.pipelineworker.testkit.emulator.JobSpec;
import dev.pipelineworker.testkit.emulator.Operation;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;

/**
 * Pickup from pipeline events against polling only, side by side in one run and in real time (the events path
 * has real latency, so nothing is scaled): two emulators, each with one worker under the default idle backoff; the
 * events worker also reads the emulator's events from an ElasticMQ queue in this JVM with {@link WorkerEvents}
 * (relaxed idle maximum 60 s). After one warm-up job each, an idle phase counts CodePipeline polls and SQS receives a minute after the
 * backoffs reached their maximum; then each sample waits an idle gap drawn from 0-30 s and enqueues a job in both
 * emulators at once, timing enqueue to acknowledgement in each worker.
 */
final class Events {

    private static final ActionTypeId TYPE = ActionTypeId.custom(ActionCategory.BUILD, "BenchEvents", "1");
    private static final Duration RELAXED_MAX = Duration.ofSeconds(60);

    private Events() {
    }

    static void run(BenchMain main) throws Exception {
        int samples = Bench.intProp("bench.eventSamples", BenchMain.QUICK ? 3 : 10);
        int rampSeconds = BenchMain.QUICK ? 5 : 30;
        int idleSeconds = BenchMain.QUICK ? 10 : 60;
        double maxGap = BenchMain.QUICK ? 3 : 30;
        Backoff idle = BenchMain.IDLE_NEW;
        System.out.printf("== events: pickup after 0-%.0f s idle and idle calls/min, polling only vs events "
                + "(%d samples, real time)%n", maxGap, samples);
        SQSRestServer server = SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort().start();
        AtomicLong receives = new AtomicLong();
        try (LocalCodePipeline polling = LocalCodePipeline.builder().start();
             LocalCodePipeline evented = LocalCodePipeline.builder().start();
             SqsClient sqs = sqs(server, receives)) {
            String queueUrl = sqs.createQueue(r -> r.queueName("pipeline-events")).queueUrl();
            evented.publishEventsTo(event -> sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(event)));
            Map<String, Long> claimedAt = new ConcurrentHashMap<>();
            try (JobWorker plain = worker(polling, idle, claimedAt, null, null);
                 JobWorker withEvents = worker(evented, idle, claimedAt, sqs, queueUrl)) {
                // One job each first, so that class loading and the first connections are not in a sample.
                awaitClaim(claimedAt, polling.enqueue(JobSpec.builder(TYPE).build()).jobId());
                awaitClaim(claimedAt, evented.enqueue(JobSpec.builder(TYPE).build()).jobId());
                TimeUnit.SECONDS.sleep(rampSeconds);
                int pollsBefore = polls(polling);
                int eventedPollsBefore = polls(evented);
                long receivesBefore = receives.get();
                TimeUnit.SECONDS.sleep(idleSeconds);
                double perMinute = 60.0 / idleSeconds;
                double plainPolls = (polls(polling) - pollsBefore) * perMinute;
                double eventedPolls = (polls(evented) - eventedPollsBefore) * perMinute;
                double sqsReceives = (receives.get() - receivesBefore) * perMinute;

                long[] plainPickup = new long[samples];
                long[] eventedPickup = new long[samples];
                SplittableRandom random = new SplittableRandom(16);
                for (int i = 0; i < samples; i++) {
                    TimeUnit.MILLISECONDS.sleep((long) (random.nextDouble() * maxGap * 1000));
                    long start = System.nanoTime();
                    String plainJob = polling.enqueue(JobSpec.builder(TYPE).build()).jobId();
                    String eventedJob = evented.enqueue(JobSpec.builder(TYPE).build()).jobId();
                    plainPickup[i] = awaitClaim(claimedAt, plainJob) - start;
                    eventedPickup[i] = awaitClaim(claimedAt, eventedJob) - start;
                }
                main.row(Bench.fmt("events: pickup after 0-%.0f s idle, p50 / p99 s", maxGap),
                        pickups(eventedPickup), "polling only " + pickups(plainPickup),
                        Bench.fmt("%.2f", Bench.percentileMillis(eventedPickup, samples, 99)
                                / Bench.percentileMillis(plainPickup, samples, 99)), "p99 < 1 s");
                main.row("events: idle calls/min, CodePipeline polls + SQS receives",
                        Bench.fmt("%.1f + %.1f", eventedPolls, sqsReceives),
                        Bench.fmt("polling only %.1f + 0", plainPolls),
                        Bench.fmt("%.2f", eventedPolls / plainPolls), "fewer CodePipeline calls");
                main.note(Bench.fmt("events: default idle backoff %d ms→%d s for both workers, relaxed to %d s while "
                        + "the events queue answers; idle calls counted over %d s after a %d s ramp; %d samples with "
                        + "idle gaps drawn from 0-%.0f s (seeded), so p99 is near the largest sample; ElasticMQ and "
                        + "both emulators in this JVM, real time, on a shared 2-core machine; SQS long polls 20 s",
                        idle.initial().toMillis(), idle.max().toSeconds(), RELAXED_MAX.toSeconds(), idleSeconds,
                        rampSeconds, samples, maxGap));
                if (!withEvents.isRunning() || !plain.isRunning()) {
                    throw new IllegalStateException("a worker stopped during the events section");
                }
            }
        } finally {
            server.stopAndWait();
        }
    }

    private static JobWorker worker(LocalCodePipeline cp, Backoff idle, Map<String, Long> claimedAt, SqsClient sqs,
                                    String queueUrl) {
        JobWorker.Builder builder = cp.workerFor(TYPE, context -> JobOutcome.success()).idleBackoff(idle)
                .listener(new JobWorkerListener() {
                    @Override
                    public void claimed(JobQueue queue, String jobId) {
                        claimedAt.put(jobId, System.nanoTime());
                    }
                });
        if (sqs != null) {
            builder.extension(WorkerEvents.builder().sqsClient(sqs).queueUrl(queueUrl).relaxedIdleMax(RELAXED_MAX)
                    .build());
        }
        cp.registerActionType(TYPE);
        return builder.build().start();
    }

    private static int polls(LocalCodePipeline cp) {
        return cp.calls(Operation.POLL_FOR_JOBS).size();
    }

    private static long awaitClaim(Map<String, Long> claimedAt, String jobId) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(120);
        while (!claimedAt.containsKey(jobId)) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("job " + jobId + " was not picked up within 120 s");
            }
            TimeUnit.MILLISECONDS.sleep(1);
        }
        return claimedAt.get(jobId);
    }

    private static String pickups(long[] nanos) {
        return Bench.fmt("%.2f / %.2f", Bench.percentileMillis(nanos, nanos.length, 50) / 1000,
                Bench.percentileMillis(nanos, nanos.length, 99) / 1000);
    }

    private static SqsClient sqs(SQSRestServer server, AtomicLong receives) {
        int port = server.waitUntilStarted().localAddress().getPort();
        return SqsClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + port)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "y")))
                .overrideConfiguration(o -> o.addExecutionInterceptor(new ExecutionInterceptor() {
                    @Override
                    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                        if (context.request() instanceof ReceiveMessageRequest) {
                            receives.incrementAndGet();
                        }
                    }
                }))
                .build();
    }
}

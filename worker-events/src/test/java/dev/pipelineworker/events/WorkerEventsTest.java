package dev.pipelineworker.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.Backoff;
import dev.pipelineworker.ExtensionHealth;
import dev.pipelineworker.JobObserver;
import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.JobQueue;
import dev.pipelineworker.JobWorker;
import dev.pipelineworker.JobWorkerListener;
import dev.pipelineworker.testkit.LocalCodePipeline;
import dev.pipelineworker.testkit.emulator.EventSink;
import dev.pipelineworker.testkit.emulator.JobInfo;
import dev.pipelineworker.testkit.emulator.JobSpec;
import dev.pipelineworker.testkit.emulator.Operation;
import dev.pipelineworker.testkit.emulator.RecordedResult;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The worker with {@link WorkerEvents} on ElasticMQ and the real SqsClient, fed by the emulator's events through
 * an {@link SqsEventSink}: wake-up, duplicates and disorder, a dead queue, and cancellation by each event kind.
 */
class WorkerEventsTest {

    private static final ActionTypeId TYPE = ActionTypeId.custom(ActionCategory.BUILD, "Evented", "1");
    /** So slow that a job enqueued after the first empty poll is seen only through a wake-up. */
    private static final Backoff SLOW_IDLE = Backoff.exponential(Duration.ofSeconds(60), Duration.ofSeconds(60));

    private LocalCodePipeline cp;
    private LocalSqs sqs;
    private String queueUrl;
    private JobWorker worker;
    private final List<String> cancelled = new CopyOnWriteArrayList<>();
    private final List<JobObserver.JobEnding> endings = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        cp = LocalCodePipeline.builder().continuationDelay(Duration.ZERO).start();
        cp.registerActionType(TYPE);
        sqs = LocalSqs.start();
        queueUrl = sqs.createQueue("pipeline-events");
    }

    @AfterEach
    void stop() {
        if (worker != null) {
            worker.close();
        }
        sqs.close();
        cp.close();
    }

    private void publishTo(EventSink sink) {
        cp.publishEventsTo(sink);
    }

    private JobWorker startWorker(dev.pipelineworker.JobHandler handler, Backoff idle, SqsClient client) {
        worker = cp.workerFor(TYPE, handler).idleBackoff(idle)
                .extension(WorkerEvents.builder().sqsClient(client).queueUrl(queueUrl).waitTime(Duration.ofSeconds(1))
                        .errorBackoff(Backoff.exponential(Duration.ofMillis(50), Duration.ofMillis(200))).build())
                .listener(new JobWorkerListener() {
                    @Override
                    public void cancelled(JobQueue queue, String jobId) {
                        cancelled.add(jobId);
                    }
                })
                .observer((queue, jobId) -> new JobObserver.JobObservation() {
                    @Override
                    public void ended(JobObserver.JobEnding ending) {
                        endings.add(ending);
                    }
                })
                .build().start();
        awaitFirstPoll();
        return worker;
    }

    private void awaitFirstPoll() {
        cp.awaitCall(call -> call.is(Operation.POLL_FOR_JOBS), Duration.ofSeconds(10));
    }

    private ExtensionHealth eventsHealth() {
        return worker.health().extensions().stream().filter(h -> h.name().startsWith("events:")).findFirst()
                .orElse(null);
    }

    @Test
    void aStartedEventWakesTheIdlePollerAtOnce() {
        publishTo(new SqsEventSink(sqs.client(), queueUrl));
        startWorker(context -> JobOutcome.success("done"), SLOW_IDLE, sqs.client());
        await().atMost(Duration.ofSeconds(10)).until(() -> eventsHealth() != null && eventsHealth().healthy());

        JobInfo job = cp.enqueue(JobSpec.builder(TYPE).build());

        assertThat(cp.awaitFinalResult(job.actionExecutionId(), Duration.ofSeconds(10))).isInstanceOf(RecordedResult.Success.class);
    }

    @Test
    void duplicatesDisorderAndForeignEventsAreHarmless() {
        List<String> received = new CopyOnWriteArrayList<>();
        publishTo(received::add);
        AtomicInteger runs = new AtomicInteger();
        startWorker(context -> {
            runs.incrementAndGet();
            return JobOutcome.success("done");
        }, SLOW_IDLE, sqs.client());
        JobInfo job = cp.enqueue(JobSpec.builder(TYPE).build());
        await().until(() -> received.size() == 1);
        String started = received.get(0);
        String foreign = started.replace("\"Evented\"", "\"SomeoneElse\"");
        String numericVersion = started.replace("\"version\":\"1\"}", "\"version\":1}");
        String succeededFirst = started.replace("\"STARTED\"", "\"SUCCEEDED\"");
        for (String body : List.of(succeededFirst, foreign, "{\"unrelated\":true}", started, numericVersion,
                started)) {
            sqs.client().sendMessage(r -> r.queueUrl(queueUrl).messageBody(body));
        }

        assertThat(cp.awaitFinalResult(job.actionExecutionId(), Duration.ofSeconds(10))).isInstanceOf(RecordedResult.Success.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> sqs.client().getQueueAttributes(r -> r.queueUrl(queueUrl)
                .attributeNamesWithStrings("ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"))
                .attributesAsStrings().values().stream().allMatch("0"::equals));
        assertThat(runs).hasValue(1);
        assertThat(cp.resultsForAction(job.actionExecutionId())).hasSize(1);
        assertThat(eventsHealth().healthy()).isTrue();
    }

    @Test
    void aDeletedQueueShowsInHealthAndJobPollingGoesOn() {
        startWorker(context -> JobOutcome.success("done"), LocalCodePipeline.IDLE_BACKOFF, sqs.client());
        await().atMost(Duration.ofSeconds(10)).until(() -> eventsHealth() != null && eventsHealth().healthy());

        sqs.client().deleteQueue(r -> r.queueUrl(queueUrl));

        // A long poll under way when the queue goes may hang in ElasticMQ until the receive's own timeout.
        await().atMost(Duration.ofSeconds(30)).until(() -> !eventsHealth().healthy()
                && eventsHealth().problem().orElse("").contains("QueueDoesNotExist"));
        JobInfo job = cp.enqueue(JobSpec.builder(TYPE).build());
        assertThat(cp.awaitFinalResult(job.actionExecutionId(), Duration.ofSeconds(10))).isInstanceOf(RecordedResult.Success.class);
        assertThat(worker.health().isReady()).isTrue();
    }

    @Test
    void anUnreachableEndpointShowsInHealthAndJobPollingGoesOn() throws Exception {
        URI closed;
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            closed = URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }
        try (SqsClient unreachable = LocalSqs.client(closed)) {
            startWorker(context -> JobOutcome.success("done"), LocalCodePipeline.IDLE_BACKOFF, unreachable);

            await().atMost(Duration.ofSeconds(15)).until(() -> eventsHealth() != null
                    && eventsHealth().consecutiveFailures() >= 2);
            JobInfo job = cp.enqueue(JobSpec.builder(TYPE).build());
            assertThat(cp.awaitFinalResult(job.actionExecutionId(), Duration.ofSeconds(10))).isInstanceOf(RecordedResult.Success.class);
            assertThat(eventsHealth().healthy()).isFalse();
            worker.close();
            worker = null;
        }
    }

    @Test
    void anAbandonedActionEventCancelsTheRunningJob() throws Exception {
        assertCancelledBy(event -> event.contains("\"ABANDONED\""), job -> cp.stopAndAbandon(executionId(job), "x"));
    }

    @Test
    void aStoppedPipelineEventCancelsTheRunningJob() throws Exception {
        assertCancelledBy(event -> event.contains("\"STOPPED\""), job -> cp.stopAndAbandon(executionId(job), "x"));
    }

    @Test
    void aCanceledActionEventCancelsTheRunningJob() throws Exception {
        assertCancelledBy(event -> event.contains("Action Execution") && event.contains("\"CANCELED\""),
                job -> cp.cancelByPipelineUpdate(job.spec().context().pipelineName()));
    }

    @Test
    void aCanceledPipelineEventCancelsTheRunningJob() throws Exception {
        assertCancelledBy(event -> event.contains("Pipeline Execution") && event.contains("\"CANCELED\""),
                job -> cp.cancelByPipelineUpdate(job.spec().context().pipelineName()));
    }

    @Test
    void anotherExecutionsEventCancelsNothing() throws Exception {
        publishTo(new SqsEventSink(sqs.client(), queueUrl));
        CountDownLatch release = new CountDownLatch(1);
        startWorker(context -> {
            release.await(20, TimeUnit.SECONDS);
            return JobOutcome.success(context.isCancelled() ? "cancelled" : "done");
        }, LocalCodePipeline.IDLE_BACKOFF, sqs.client());
        JobInfo running = cp.enqueue(JobSpec.builder(TYPE).pipelineName("shop").build());
        JobInfo other = cp.enqueue(JobSpec.builder(TYPE).pipelineName("shop").build());
        await().until(() -> cp.job(other.jobId()).orElseThrow().state().name().equals("InProgress")
                && cp.job(running.jobId()).orElseThrow().state().name().equals("InProgress"));

        cp.stopAndAbandon(executionId(other), "only the other one");
        await().atMost(Duration.ofSeconds(10)).until(() -> cancelled.contains(other.jobId()));
        release.countDown();

        assertThat(cp.awaitResult(running.jobId(), Duration.ofSeconds(10))).isInstanceOf(RecordedResult.Success.class);
        assertThat(cancelled).containsExactly(other.jobId());
    }

    private static String executionId(JobInfo job) {
        return job.spec().context().pipelineExecutionId();
    }

    /** Only the events {@code passes} lets through reach the queue, so that each kind is shown to cancel alone. */
    private void assertCancelledBy(Predicate<String> passes, Consumer<JobInfo> stop) throws Exception {
        SqsEventSink sink = new SqsEventSink(sqs.client(), queueUrl);
        publishTo(event -> {
            if (passes.test(event)) {
                sink.publish(event);
            }
        });
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch cancelSignal = new CountDownLatch(1);
        AtomicBoolean sawCancelled = new AtomicBoolean();
        ConcurrentLinkedQueue<Boolean> interrupted = new ConcurrentLinkedQueue<>();
        startWorker(context -> {
            context.onCancel(cancelSignal::countDown);
            running.countDown();
            try {
                Thread.sleep(30_000);
            } catch (InterruptedException e) {
                interrupted.add(true);
            }
            sawCancelled.set(context.isCancelled());
            return JobOutcome.success("should not be reported");
        }, LocalCodePipeline.IDLE_BACKOFF, sqs.client());
        JobInfo job = cp.enqueue(JobSpec.builder(TYPE).pipelineName("shop").build());
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();

        stop.accept(job);

        assertThat(cancelSignal.await(10, TimeUnit.SECONDS)).as("the handler's cancel action ran").isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> !interrupted.isEmpty() && sawCancelled.get());
        await().until(() -> worker.inFlightJobs() == 0);
        assertThat(cancelled).containsExactly(job.jobId());
        assertThat(endings).extracting(JobObserver.JobEnding::result)
                .containsExactly(JobObserver.JobEnding.Result.CANCELLED);
        assertThat(cp.resultsForJob(job.jobId())).isEmpty();
        assertThat(Set.copyOf(cp.calls().stream().map(c -> c.operation()).toList()))
                .doesNotContain("PutJobSuccessResult");
    }
}

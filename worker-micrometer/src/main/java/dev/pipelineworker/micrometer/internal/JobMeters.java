package dev.pipelineworker.micrometer.internal;

import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.micrometer.MeterNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The meters of a job's way from handler to accepted result, for one queue (and, when opted in, one pipeline
 * action). Success and continuation meters exist from the start; a failure type's meters are registered when it
 * first happens, since most of the six never do.
 */
final class JobMeters {

    private static final String SUCCESS = "success";
    private static final String CONTINUE = "continue";
    private static final String FAILURE = "failure";
    private static final String NONE = "none";
    private static final FailureType[] TYPES = FailureType.values();

    private final MeterRegistry registry;
    private final Tags tags;
    private final Timer handlerSucceeded;
    private final Timer handlerContinued;
    private final AtomicReferenceArray<Timer> handlerFailed = new AtomicReferenceArray<>(TYPES.length);
    private final Counter succeeded;
    private final Counter continued;
    private final AtomicReferenceArray<Counter> failed = new AtomicReferenceArray<>(TYPES.length);
    private final Timer report;
    private final Timer job;
    private final Counter retries;
    private final Counter abandoned;
    private final Counter cancelled;

    JobMeters(MeterRegistry registry, Tags tags) {
        this.registry = registry;
        this.tags = tags;
        handlerSucceeded = handlerTimer(SUCCESS, NONE);
        handlerContinued = handlerTimer(CONTINUE, NONE);
        succeeded = completedCounter(SUCCESS, NONE);
        continued = completedCounter(CONTINUE, NONE);
        report = Timer.builder(MeterNames.REPORT_DURATION).tags(tags)
                .description("Sending a job's result until CodePipeline accepted it, retries included")
                .register(registry);
        job = Timer.builder(MeterNames.JOB_DURATION).tags(tags)
                .description("From the accepted claim to the accepted result of a job")
                .register(registry);
        retries = Counter.builder(MeterNames.REPORT_RETRIES).tags(tags)
                .description("Attempts to send a result that failed and were tried again")
                .register(registry);
        abandoned = Counter.builder(MeterNames.REPORTS_ABANDONED).tags(tags)
                .description("Results that could not be delivered: the job was gone, or every attempt failed")
                .register(registry);
        cancelled = Counter.builder(MeterNames.JOBS_CANCELLED).tags(tags)
                .description("Jobs CodePipeline cancelled while their handler ran; nothing was reported for them")
                .register(registry);
    }

    /** The handler timer of this outcome. */
    Timer handler(JobOutcome outcome) {
        if (outcome instanceof JobOutcome.Fail fail) {
            int index = fail.type().ordinal();
            Timer timer = handlerFailed.get(index);
            if (timer == null) {
                timer = handlerTimer(FAILURE, fail.type().apiName());
                handlerFailed.set(index, timer);
            }
            return timer;
        }
        return outcome instanceof JobOutcome.Continue ? handlerContinued : handlerSucceeded;
    }

    Counter succeeded() {
        return succeeded;
    }

    Counter continued() {
        return continued;
    }

    Counter failed(FailureType type) {
        int index = type.ordinal();
        Counter counter = failed.get(index);
        if (counter == null) {
            counter = completedCounter(FAILURE, type.apiName());
            failed.set(index, counter);
        }
        return counter;
    }

    Timer report() {
        return report;
    }

    Timer job() {
        return job;
    }

    Counter retries() {
        return retries;
    }

    Counter abandoned() {
        return abandoned;
    }

    Counter cancelled() {
        return cancelled;
    }

    private Timer handlerTimer(String outcome, String failureType) {
        return Timer.builder(MeterNames.HANDLER_DURATION).tags(tags)
                .tag(MeterNames.OUTCOME, outcome).tag(MeterNames.FAILURE_TYPE, failureType)
                .description("The handler's run, by the outcome the worker reports for it")
                .register(registry);
    }

    private Counter completedCounter(String outcome, String failureType) {
        return Counter.builder(MeterNames.JOBS_COMPLETED).tags(tags)
                .tag(MeterNames.OUTCOME, outcome).tag(MeterNames.FAILURE_TYPE, failureType)
                .description("Jobs whose result CodePipeline accepted, by outcome")
                .register(registry);
    }
}

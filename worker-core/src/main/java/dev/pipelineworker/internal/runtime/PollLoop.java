package dev.pipelineworker.internal.runtime;

import dev.pipelineworker.JobWorkerListener;
import dev.pipelineworker.internal.RateLimitedLog;
import dev.pipelineworker.internal.TransientErrors;
import dev.pipelineworker.internal.channel.JobChannel;
import dev.pipelineworker.internal.channel.PolledJob;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import software.amazon.awssdk.services.codepipeline.model.ActionTypeNotFoundException;

/**
 * The poller thread: first settles what an earlier run left in the journal, then asks for as many jobs as there
 * are free slots (never polling while none is free) and dispatches each with its slot, backing off when polls
 * come back empty, fail, or are throttled.
 */
final class PollLoop implements Runnable {

    private final JobChannel channel;
    private final Capacity capacity;
    private final JobRun runs;
    private final ReportPipeline reports;
    private final WorkerSettings.Polling polling;
    private final WorkerSettings.Seams seams;
    private final JobWorkerListener listener;
    private final BooleanSupplier running;
    private final RateLimitedLog warnings;
    private final Runnable onExit;

    PollLoop(WorkerSettings settings, Capacity capacity, JobRun runs, ReportPipeline reports,
             BooleanSupplier running, RateLimitedLog warnings, Runnable onExit) {
        this.channel = settings.channel();
        this.capacity = capacity;
        this.runs = runs;
        this.reports = reports;
        this.polling = settings.polling();
        this.seams = settings.seams();
        this.listener = settings.listener();
        this.running = running;
        this.warnings = warnings;
        this.onExit = onExit;
    }

    @Override
    public void run() {
        try {
            reports.recover();
            loop();
        } finally {
            onExit.run();
        }
    }

    private void loop() {
        int idlePolls = 0;
        int errors = 0;
        int throttles = 0;
        while (running.getAsBoolean()) {
            int free;
            try {
                free = capacity.takeFree();
            } catch (InterruptedException e) {
                return;
            }
            List<PolledJob> jobs;
            try {
                jobs = channel.poll(free);
                errors = 0;
                throttles = 0;
            } catch (RuntimeException e) {
                capacity.giveBack(free);
                if (!running.getAsBoolean()) {
                    // Shutdown interrupted the poll (the SDK throws AbortedException): not a failure.
                    return;
                }
                boolean throttled = TransientErrors.isThrottling(e);
                listener.pollFailed(e, throttled);
                Duration wait = throttled ? polling.throttle().delay(++throttles, seams.random())
                        : polling.error().delay(++errors, seams.random());
                warnings.warn("poll", pollFailure(e, throttled, wait), e);
                if (!seams.sleeper().sleep(wait)) {
                    return;
                }
                continue;
            }
            int taken = Math.min(jobs.size(), free);
            listener.polled(free, jobs.size());
            if (!running.getAsBoolean()) {
                capacity.giveBack(free);
                return;
            }
            capacity.giveBack(free - taken);
            for (PolledJob job : jobs.subList(0, taken)) {
                runs.dispatch(job, capacity.permit());
            }
            if (taken > 0) {
                idlePolls = 0;
            } else if (!seams.sleeper().sleep(polling.idle().delay(++idlePolls, seams.random()))) {
                return;
            }
        }
    }

    private static String pollFailure(RuntimeException e, boolean throttled, Duration wait) {
        String what = e instanceof ActionTypeNotFoundException
                ? "poll failed: CodePipeline does not know this action type; check its category, owner, provider and version"
                : throttled ? "poll throttled by CodePipeline" : "poll failed";
        return what + "; next poll in " + wait.toMillis() + " ms";
    }
}

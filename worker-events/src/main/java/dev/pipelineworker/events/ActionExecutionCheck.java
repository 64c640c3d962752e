package dev.pipelineworker.events;

import dev.pipelineworker.ExtensionHealth;
import dev.pipelineworker.RunningJob;
import dev.pipelineworker.WorkerControl;
import dev.pipelineworker.WorkerExtension;
import dev.pipelineworker.internal.RateLimitedLog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;
import software.amazon.awssdk.services.codepipeline.model.ActionExecutionDetail;
import software.amazon.awssdk.services.codepipeline.model.ActionExecutionStatus;

/**
 * Cancellation without an events queue: every {@link Builder#interval(Duration) interval} it asks
 * {@code ListActionExecutions} about the custom jobs that have run longer than {@link Builder#minimumAge(Duration)},
 * one call per pipeline execution, and cancels those whose action execution CodePipeline shows as Abandoned, as
 * {@link WorkerEvents} does on an event. It needs the pipeline's name and execution id from the job data, so it
 * never touches third-party jobs. The worker's role needs {@code codepipeline:ListActionExecutions}. Failures show
 * in the worker's health and in rate-limited warnings; the next round tries again. Off unless attached.
 *
 * <pre>{@code
 * .extension(ActionExecutionCheck.builder().codePipelineClients(region -> clients.get(region)).build())
 * }</pre>
 */
public final class ActionExecutionCheck implements WorkerExtension {

    private static final Logger LOG = LoggerFactory.getLogger("dev.pipelineworker.events.ActionExecutionCheck");
    private static final String NAME = "action-execution-check";

    private final Function<Region, CodePipelineClient> clients;
    private final Duration interval;
    private final Duration minimumAge;
    private final Clock clock;
    private final RateLimitedLog warnings;
    private ScheduledExecutorService scheduler;
    private WorkerControl control;
    private ExtensionHealth health;

    private ActionExecutionCheck(Builder b) {
        this.clients = b.clients;
        this.interval = b.interval;
        this.minimumAge = b.minimumAge;
        this.clock = b.clock;
        this.warnings = new RateLimitedLog(LOG, clock, Duration.ofMinutes(1));
    }

    /** A builder with the defaults its setters document. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public synchronized void start(WorkerControl workerControl) {
        if (scheduler != null) {
            throw new IllegalStateException("ActionExecutionCheck belongs to one worker and starts once");
        }
        this.control = workerControl;
        scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "pipeline-worker-action-check");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(this::checkSafely, interval.toNanos(), interval.toNanos(),
                TimeUnit.NANOSECONDS);
    }

    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    private void checkSafely() {
        try {
            check();
            health = ExtensionHealth.ok(NAME, clock.instant());
        } catch (RuntimeException e) {
            health = ExtensionHealth.failing(NAME, health, RateLimitedLog.describe(e));
            warnings.warn(NAME, "checking running jobs with ListActionExecutions failed; next check in "
                    + interval.toSeconds() + " s", e);
        }
        control.health(health);
    }

    /** One round: one ListActionExecutions per pipeline execution of an old enough custom job. */
    private void check() {
        Instant oldEnough = clock.instant().minus(minimumAge);
        Map<Execution, List<RunningJob>> byExecution = control.runningJobs().stream()
                .filter(job -> !job.runningSince().isAfter(oldEnough))
                .filter(job -> job.pipeline().pipelineExecutionId() != null && job.pipeline().pipelineName() != null)
                .collect(Collectors.groupingBy(job -> new Execution(job.queue().region(),
                        job.pipeline().pipelineName(), job.pipeline().pipelineExecutionId()), LinkedHashMap::new,
                        Collectors.toList()));
        byExecution.forEach((execution, jobs) -> {
            Set<String> abandoned = clients.apply(execution.region())
                    .listActionExecutionsPaginator(r -> r.pipelineName(execution.pipelineName())
                            .filter(f -> f.pipelineExecutionId(execution.executionId())))
                    .actionExecutionDetails().stream()
                    .filter(detail -> detail.status() == ActionExecutionStatus.ABANDONED)
                    .map(ActionExecutionDetail::actionExecutionId)
                    .collect(Collectors.toSet());
            for (RunningJob job : jobs) {
                if (abandoned.contains(job.pipeline().actionExecutionId())) {
                    control.cancel(job.jobId(), "ListActionExecutions shows its action execution abandoned");
                }
            }
        });
    }

    private record Execution(Region region, String pipelineName, String executionId) {
    }

    /** Configures {@link ActionExecutionCheck}. Not thread-safe. */
    public static final class Builder {
        private Function<Region, CodePipelineClient> clients;
        private Duration interval = Duration.ofMinutes(1);
        private Duration minimumAge = Duration.ofMinutes(5);
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** The CodePipeline client of each region the worker serves, e.g. the worker's own. Required. */
        public Builder codePipelineClients(Function<Region, CodePipelineClient> regionClients) {
            this.clients = Objects.requireNonNull(regionClients, "regionClients");
            return this;
        }

        /** How often running jobs are checked. Default: 1 minute. */
        public Builder interval(Duration every) {
            Objects.requireNonNull(every, "every");
            if (every.isNegative() || every.isZero()) {
                throw new IllegalArgumentException("interval must be positive");
            }
            this.interval = every;
            return this;
        }

        /**
         * How long a job must have run before it is checked, so that short jobs cost no calls. Default: 5 minutes.
         */
        public Builder minimumAge(Duration age) {
            Objects.requireNonNull(age, "age");
            if (age.isNegative()) {
                throw new IllegalArgumentException("minimumAge must not be negative");
            }
            this.minimumAge = age;
            return this;
        }

        /** The clock that ages jobs. Default: the UTC system clock. */
        public Builder clock(Clock newClock) {
            this.clock = Objects.requireNonNull(newClock, "clock");
            return this;
        }

        /** The extension, for {@code JobWorker.Builder.extension(...)}. */
        public ActionExecutionCheck build() {
            if (clients == null) {
                throw new IllegalStateException("ActionExecutionCheck needs codePipelineClients(...)");
            }
            return new ActionExecutionCheck(this);
        }
    }
}

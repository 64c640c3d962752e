package dev.pipelineworker.internal;

import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.JobObserver;
import dev.pipelineworker.JobQueue;
import dev.pipelineworker.PipelineContext;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Guards the worker against its {@link JobObserver}s: whatever an observer throws is logged and ignored, and every
 * phase runs exactly once whether the observer runs it, forgets to, or throws around it. Several observers nest in
 * the order given, each guarded on its own.
 */
public final class SafeObserver implements JobObserver {

    private static final Logger LOG = LoggerFactory.getLogger(SafeObserver.class);

    private final JobObserver observer;

    public SafeObserver(JobObserver observer) {
        this.observer = observer;
    }

    /** The observers as one, the first one's scopes outermost; {@link JobObserver#NONE} when there is none. */
    public static JobObserver of(List<JobObserver> observers) {
        List<JobObserver> guarded = observers.stream().map(SafeObserver::new).map(JobObserver.class::cast).toList();
        if (guarded.isEmpty()) {
            return JobObserver.NONE;
        }
        if (guarded.size() == 1) {
            return guarded.get(0);
        }
        return (queue, jobId) -> new Nested(guarded.stream().map(o -> o.jobStarted(queue, jobId)).toList());
    }

    @Override
    public JobObservation jobStarted(JobQueue queue, String jobId) {
        try {
            JobObservation observation = observer.jobStarted(queue, jobId);
            return observation == null ? JobObservation.NONE : new Guarded(observation);
        } catch (RuntimeException e) {
            ignored(e);
            return JobObservation.NONE;
        }
    }

    private static void ignored(RuntimeException e) {
        LOG.warn("the job observer threw {}; ignored", e.getClass().getName());
    }

    /** Observations of one job by several observers, each already guarded, the first outermost. */
    private record Nested(List<JobObservation> observations) implements JobObservation {

        @Override
        public void phase(JobPhase phase, Runnable work) {
            Runnable nested = work;
            for (int i = observations.size() - 1; i >= 0; i--) {
                JobObservation observation = observations.get(i);
                Runnable inner = nested;
                nested = () -> observation.phase(phase, inner);
            }
            nested.run();
        }

        @Override
        public void claimed(ActionTypeId actionType, PipelineContext pipeline) {
            observations.forEach(o -> o.claimed(actionType, pipeline));
        }

        @Override
        public void ended(JobEnding ending) {
            observations.forEach(o -> o.ended(ending));
        }
    }

    private record Guarded(JobObservation observation) implements JobObservation {

        @Override
        public void phase(JobPhase phase, Runnable work) {
            AtomicBoolean ran = new AtomicBoolean();
            Runnable once = () -> {
                if (ran.compareAndSet(false, true)) {
                    work.run();
                }
            };
            try {
                observation.phase(phase, once);
            } catch (RuntimeException e) {
                ignored(e);
            } finally {
                once.run();
            }
        }

        @Override
        public void claimed(ActionTypeId actionType, PipelineContext pipeline) {
            try {
                observation.claimed(actionType, pipeline);
            } catch (RuntimeException e) {
                ignored(e);
            }
        }

        @Override
        public void ended(JobEnding ending) {
            try {
                observation.ended(ending);
            } catch (RuntimeException e) {
                ignored(e);
            }
        }
    }
}

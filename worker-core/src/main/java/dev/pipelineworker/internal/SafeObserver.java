package dev.pipelineworker.internal;

import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.JobObserver;
import dev.pipelineworker.JobQueue;
import dev.pipelineworker.PipelineContext;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Guards the worker against its {@link JobObserver}: whatever the observer throws is logged and ignored, and every
 * phase runs exactly once whether the observer runs it, forgets to, or throws around it.
 */
public final class SafeObserver implements JobObserver {

    private static final Logger LOG = LoggerFactory.getLogger(SafeObserver.class);

    private final JobObserver observer;

    public SafeObserver(JobObserver observer) {
        this.observer = observer;
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

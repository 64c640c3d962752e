package dev.pipelineworker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.JobObserver;
import dev.pipelineworker.JobQueue;
import dev.pipelineworker.PipelineContext;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

class SafeObserverTest {

    private static final JobQueue QUEUE = JobQueue.of(TestJobData.ACTION, Region.US_EAST_1);

    private final List<String> seen = new ArrayList<>();

    private JobObserver recording(String name) {
        return (queue, jobId) -> new JobObserver.JobObservation() {
            @Override
            public void phase(JobObserver.JobPhase phase, Runnable work) {
                seen.add(name + " enters " + phase);
                work.run();
                seen.add(name + " leaves " + phase);
            }

            @Override
            public void ended(JobObserver.JobEnding ending) {
                seen.add(name + " ended " + ending.result());
            }
        };
    }

    @Test
    void severalObserversNestInTheOrderGivenAndTheWorkRunsOnce() {
        JobObserver both = SafeObserver.of(List.of(recording("outer"), recording("inner")));

        JobObserver.JobObservation observation = both.jobStarted(QUEUE, "job-1");
        observation.phase(JobObserver.JobPhase.HANDLER, () -> seen.add("work"));
        observation.ended(JobObserver.JobEnding.of(JobObserver.JobEnding.Result.SUCCEEDED));

        assertThat(seen).containsExactly("outer enters HANDLER", "inner enters HANDLER", "work",
                "inner leaves HANDLER", "outer leaves HANDLER", "outer ended SUCCEEDED", "inner ended SUCCEEDED");
    }

    @Test
    void anObserverThatThrowsEverywhereLeavesTheOthersAndTheWorkAlone() {
        JobObserver broken = (queue, jobId) -> {
            throw new IllegalStateException("tracer down");
        };
        JobObserver brokenPhases = (queue, jobId) -> new JobObserver.JobObservation() {
            @Override
            public void phase(JobObserver.JobPhase phase, Runnable work) {
                throw new IllegalStateException("before the work");
            }
        };
        JobObserver all = SafeObserver.of(List.of(broken, brokenPhases, recording("healthy")));

        JobObserver.JobObservation observation = all.jobStarted(QUEUE, "job-1");
        observation.phase(JobObserver.JobPhase.CLAIM, () -> seen.add("work"));
        observation.ended(JobObserver.JobEnding.failed(dev.pipelineworker.FailureType.JOB_FAILED));

        assertThat(seen).containsExactly("healthy enters CLAIM", "work", "healthy leaves CLAIM", "healthy ended FAILED");
        assertThat(SafeObserver.of(List.of())).isSameAs(JobObserver.NONE);
    }

    @Test
    void theWorkOfAPhaseRunsExactlyOnceWhetherTheObserverForgetsItRunsItTwiceOrThrowsAfterIt() {
        JobObserver forgets = observing((phase, work) -> seen.add("forgot " + phase));
        JobObserver twice = observing((phase, work) -> {
            work.run();
            work.run();
        });
        JobObserver throwsAfter = observing((phase, work) -> {
            work.run();
            throw new IllegalStateException("span export failed");
        });

        for (JobObserver observer : List.of(forgets, twice, throwsAfter)) {
            SafeObserver.of(List.of(observer)).jobStarted(QUEUE, "job-1")
                    .phase(JobObserver.JobPhase.HANDLER, () -> seen.add("work"));
        }

        assertThat(seen).containsExactly("forgot HANDLER", "work", "work", "work");
    }

    @Test
    void claimedReachesEveryObserverPastOneThatThrowsAndAnObserverWithoutAnObservationIsSkipped() {
        PipelineContext pipeline = PipelineContext.builder().pipelineName("pipe").stageName("Build")
                .actionName("Act").actionExecutionId("exec-1").build();
        JobObserver throwing = (queue, jobId) -> new JobObserver.JobObservation() {
            @Override
            public void claimed(ActionTypeId actionType, PipelineContext context) {
                throw new IllegalStateException("tracer down");
            }

            @Override
            public void ended(JobObserver.JobEnding ending) {
                throw new IllegalStateException("tracer down");
            }
        };
        JobObserver noObservation = (queue, jobId) -> null;
        JobObserver listening = (queue, jobId) -> new JobObserver.JobObservation() {
            @Override
            public void claimed(ActionTypeId actionType, PipelineContext context) {
                seen.add(jobId + " claimed " + actionType.provider() + " in " + context.pipelineName());
            }
        };
        JobObserver all = SafeObserver.of(List.of(throwing, noObservation, listening));

        JobObserver.JobObservation observation = all.jobStarted(QUEUE, "job-1");
        observation.claimed(TestJobData.ACTION, pipeline);
        observation.ended(JobObserver.JobEnding.of(JobObserver.JobEnding.Result.SUCCEEDED));
        observation.phase(JobObserver.JobPhase.REPORT, () -> seen.add("work"));

        assertThat(seen).containsExactly("job-1 claimed Fake in pipe", "work");
        assertThat(new SafeObserver(noObservation).jobStarted(QUEUE, "job-1"))
                .isSameAs(JobObserver.JobObservation.NONE);
    }

    private static JobObserver observing(java.util.function.BiConsumer<JobObserver.JobPhase, Runnable> phase) {
        return (queue, jobId) -> new JobObserver.JobObservation() {
            @Override
            public void phase(JobObserver.JobPhase p, Runnable work) {
                phase.accept(p, work);
            }
        };
    }
}

package dev.pipelineworker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipelineworker.JobObserver;
import dev.pipelineworker.JobQueue;
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
}

package dev.pipelineworker.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipelineworker.internal.channel.ClaimedJob;
import dev.pipelineworker.internal.channel.PolledJob;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class JobTest {

    private final Capacity capacity = new Capacity(1);

    private Job job() throws InterruptedException {
        assertThat(capacity.takeFree()).isEqualTo(1);
        return new Job(new FakeChannel(), new PolledJob("job-1", "client-1", null), capacity.permit());
    }

    @Test
    void aJobMovesForwardOnlyAndIsReportedByExactlyOneOfManyRacingCallers() throws Exception {
        Job job = job();
        assertThat(job.takeReport()).as("nothing to report before the claim").isFalse();
        assertThat(job.startClaiming()).isTrue();
        assertThat(job.startClaiming()).isFalse();
        job.claimed(new ClaimedJob("job-1", "client-1", "token", null, null));
        assertThat(job.state()).isEqualTo(Job.State.RUNNING);

        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Boolean>> racers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                racers.add(threads.submit(() -> {
                    go.await();
                    return job.takeReport();
                }));
            }
            go.countDown();
            int winners = 0;
            for (Future<Boolean> racer : racers) {
                winners += racer.get() ? 1 : 0;
            }
            assertThat(winners).isEqualTo(1);
        } finally {
            threads.shutdownNow();
        }
        assertThat(job.state()).isEqualTo(Job.State.REPORTING);
        assertThat(job.finish()).isTrue();
        assertThat(job.finish()).isFalse();
        assertThat(job.takeReport()).isFalse();
    }

    @Test
    void aJobEndedBeforeItsThreadStartedIsNeverClaimed() throws Exception {
        Job job = job();
        assertThat(job.finish()).isTrue();
        assertThat(job.startClaiming()).isFalse();
    }

    @Test
    void theSlotIsGivenBackOnceHoweverOftenItIsReleased() throws Exception {
        Job job = job();
        job.releaseSlot();
        job.releaseSlot();

        assertThat(capacity.takeFree()).as("one slot, not two").isEqualTo(1);
    }
}

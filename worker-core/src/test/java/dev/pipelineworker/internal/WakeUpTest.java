package dev.pipelineworker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A wake-up ends the thread sleeper's wait; kept signals coalesce into one; test sleepers still see waits. */
class WakeUpTest {

    @Test
    void aSignalEndsALongThreadSleep() throws Exception {
        WakeUp wakeUp = new WakeUp();
        CompletableFuture<Boolean> slept = CompletableFuture.supplyAsync(
                () -> Sleeper.THREAD.sleep(Duration.ofHours(1), wakeUp));

        while (!slept.isDone()) {
            wakeUp.signal();
            Thread.onSpinWait();
        }

        assertThat(slept.get(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void signalsGivenWhileNoOneWaitsEndOnlyTheNextWait() {
        WakeUp wakeUp = new WakeUp();
        wakeUp.signal();
        wakeUp.signal();

        assertThat(wakeUp.consume()).isTrue();
        assertThat(wakeUp.consume()).isFalse();
    }

    @Test
    void aTestSleeperSeesEveryWaitUnlessASignalCameFirst() {
        List<Duration> waits = new ArrayList<>();
        Sleeper recording = duration -> waits.add(duration);
        WakeUp wakeUp = new WakeUp();

        recording.sleep(Duration.ofSeconds(1), wakeUp);
        wakeUp.signal();
        recording.sleep(Duration.ofSeconds(2), wakeUp);

        assertThat(waits).containsExactly(Duration.ofSeconds(1));
    }
}

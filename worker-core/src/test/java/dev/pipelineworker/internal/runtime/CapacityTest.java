package dev.pipelineworker.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class CapacityTest {

    private final Capacity capacity = new Capacity(3);

    @Test
    void aPollTakesEveryFreeSlotAndEachJobHoldsOneUntilItReleasesIt() throws Exception {
        assertThat(capacity.takeFree()).as("all three slots").isEqualTo(3);
        Capacity.Permit first = capacity.permit();
        Capacity.Permit second = capacity.permit();
        capacity.giveBack(1);

        assertThat(capacity.inUse()).isEqualTo(2);
        assertThat(capacity.free()).isEqualTo(1);
        assertThat(capacity.takeFreeNow()).as("the slot given back").isEqualTo(1);
        assertThat(capacity.takeFreeNow()).as("none left").isZero();

        first.release();
        assertThat(capacity.inUse()).isEqualTo(1);
        assertThat(capacity.free()).isEqualTo(2);
        assertThat(capacity.takeFreeNow()).as("the released slot").isEqualTo(1);
        second.release();
        assertThat(capacity.takeFree()).isEqualTo(1);
    }

    @Test
    void givingBackNoSlotsOrANegativeCountChangesNothing() throws Exception {
        assertThat(capacity.takeFree()).isEqualTo(3);
        capacity.giveBack(0);
        capacity.giveBack(-2);

        assertThat(capacity.takeFreeNow()).isZero();
    }

    @Test
    void aReclaimedSlotStaysTakenForTheNextPollAndCannotBeReleasedAfterwards() throws Exception {
        assertThat(capacity.takeFree()).isEqualTo(3);
        Capacity.Permit permit = capacity.permit();
        capacity.giveBack(2);

        assertThat(permit.reclaim()).isTrue();
        assertThat(capacity.inUse()).as("no job holds it").isZero();
        assertThat(capacity.takeFreeNow()).as("it is not free either: the caller holds it").isEqualTo(2);
        permit.release();
        assertThat(capacity.takeFreeNow()).as("releasing a reclaimed permit frees nothing").isZero();
        assertThat(permit.reclaim()).isFalse();
        assertThat(capacity.inUse()).isZero();
    }

    @Test
    void aReleasedPermitCannotBeReclaimed() throws Exception {
        assertThat(capacity.takeFree()).isEqualTo(3);
        Capacity.Permit permit = capacity.permit();
        capacity.giveBack(2);
        permit.release();

        assertThat(permit.reclaim()).isFalse();
        assertThat(capacity.inUse()).isZero();
        assertThat(capacity.takeFreeNow()).isEqualTo(3);
    }

    @Test
    void aPollerWaitingForASlotIsCountedUntilItGetsOne() throws Exception {
        assertThat(capacity.takeFree()).isEqualTo(3);
        Capacity.Permit permit = capacity.permit();
        capacity.permit();
        capacity.permit();
        assertThat(capacity.waitingPollers()).isZero();

        CompletableFuture<Integer> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return capacity.takeFree();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Awaitility.await("the poller waiting").until(() -> capacity.waitingPollers() == 1);
        permit.release();

        assertThat(waiting.get(15, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(capacity.waitingPollers()).isZero();
    }
}

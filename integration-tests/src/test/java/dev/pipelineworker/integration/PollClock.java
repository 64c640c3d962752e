package dev.pipelineworker.integration;

import static org.awaitility.Awaitility.await;

import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.JobWorker;
import dev.pipelineworker.testkit.emulator.Operation;

/**
 * Marks time in the polls of an idle reference worker that shares the emulator and the quick backoff
 * ({@link dev.pipelineworker.testkit.LocalCodePipeline#QUICK_BACKOFF}) of the worker under test (no job ever comes for its action type). "The worker did not poll while X" is
 * then shown by "the reference worker polled N times while X, the worker under test not once": the test waits for
 * polls that happen rather than sleeping for a guessed time and asserting that nothing happened in it.
 */
final class PollClock {

    static final ActionTypeId TYPE = ActionTypeId.custom(ActionCategory.TEST, "PollClock", "1");

    private final EmulatorTestbed testbed;

    PollClock(EmulatorTestbed testbed) {
        this.testbed = testbed;
        testbed.emulator().registerActionType(TYPE);
        testbed.start(testbed.quick(JobWorker.builder(TYPE, context -> {
            throw new AssertionError("no job is ever queued for the poll clock");
        })));
    }

    /** How often the reference worker has polled so far. */
    long ticks() {
        return testbed.calls(Operation.POLL_FOR_JOBS).stream()
                .filter(c -> TYPE.provider().equals(EmulatorTestbed.body(c).path("actionTypeId").path("provider").asText()))
                .count();
    }

    /** Waits until the reference worker has polled {@code count} more times. */
    void awaitTicks(int count) {
        long target = ticks() + count;
        await(count + " more polls of the poll clock's reference worker").until(() -> ticks() >= target);
    }
}

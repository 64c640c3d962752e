package dev.pipelineworker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.JobQueue;
import dev.pipelineworker.JobWorkerListener;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/**
 * The listeners a user configures (metrics, tracing) hear every event with its arguments, in order, and one that
 * throws neither breaks the worker nor keeps the events from the listeners after it.
 */
class SafeListenerTest {

    private static final JobQueue QUEUE = JobQueue.of(TestJobData.ACTION, Region.US_EAST_1);
    private static final RuntimeException ERROR = new IllegalStateException("poll failed");

    private final List<String> heard = new ArrayList<>();

    @Test
    void everyEventReachesEveryListenerWithItsArgumentsEvenAfterOneThatThrows() {
        SafeListener safe = new SafeListener(List.of(recording("first"), throwing(), recording("second")));

        List<Consumer<JobWorkerListener>> events = List.of(
                l -> l.polled(QUEUE, 10, 3),
                l -> l.pollFailed(QUEUE, ERROR, true),
                l -> l.claimed(QUEUE, "job-1"),
                l -> l.lostToOtherWorker(QUEUE, "job-2"),
                l -> l.handlerFinished(QUEUE, "job-1", Duration.ofSeconds(5), JobOutcome.success()),
                l -> l.resultAccepted(QUEUE, "job-1", Duration.ofMillis(20), Duration.ofSeconds(6)),
                l -> l.succeeded(QUEUE, "job-1"),
                l -> l.continued(QUEUE, "job-3"),
                l -> l.failed(QUEUE, "job-4", FailureType.CONFIGURATION_ERROR),
                l -> l.reportRetried(QUEUE, "job-5", 2, ERROR),
                l -> l.reportAbandoned(QUEUE, "job-5", ERROR),
                l -> l.cancelled(QUEUE, "job-6"));
        JobWorkerListener direct = recording("direct");
        events.forEach(event -> event.accept(direct));
        List<String> expected = new ArrayList<>();
        for (String line : heard) {
            expected.add(line.replace("direct", "first"));
            expected.add(line.replace("direct", "second"));
        }
        heard.clear();

        events.forEach(event -> event.accept(safe));

        assertThat(expected).hasSize(2 * events.size());
        assertThat(heard).containsExactlyElementsOf(expected);
    }

    @Test
    void theListenersAreCopiedSoLaterChangesToTheListDoNotReachTheWorker() {
        List<JobWorkerListener> configured = new ArrayList<>(List.of(recording("first")));
        SafeListener safe = new SafeListener(configured);

        configured.add(recording("added later"));
        safe.claimed(QUEUE, "job-1");

        assertThat(heard).containsExactly("first claimed [" + QUEUE + ", job-1]");
    }

    /** A listener that records each call as "name method [arguments]". */
    private JobWorkerListener recording(String name) {
        return (JobWorkerListener) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {JobWorkerListener.class}, (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        return objectMethod(proxy, method, args, name);
                    }
                    heard.add(name + " " + method.getName() + " " + Arrays.toString(args));
                    return null;
                });
    }

    private JobWorkerListener throwing() {
        return (JobWorkerListener) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {JobWorkerListener.class}, (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        return objectMethod(proxy, method, args, "throwing");
                    }
                    throw new IllegalStateException("a broken metrics listener");
                });
    }

    private static Object objectMethod(Object proxy, Method method, Object[] args, String name) {
        return switch (method.getName()) {
            case "equals" -> proxy == args[0];
            case "hashCode" -> System.identityHashCode(proxy);
            default -> name;
        };
    }
}

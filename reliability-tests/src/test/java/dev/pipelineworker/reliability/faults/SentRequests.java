package dev.pipelineworker.reliability.faults;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * The operation of every HTTP attempt an SDK client sent, as it was sent. The emulator records a call only once it
 * has answered it, so a test that must act while calls are on the wire (slowed by a latency fault) waits here.
 */
final class SentRequests implements ExecutionInterceptor {

    private final List<String> operations = new CopyOnWriteArrayList<>();

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        operations.add(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
    }

    /** How many attempts of this operation (its wire name, e.g. {@code PollForJobs}) were sent. */
    long count(String operation) {
        return operations.stream().filter(operation::equals).count();
    }
}

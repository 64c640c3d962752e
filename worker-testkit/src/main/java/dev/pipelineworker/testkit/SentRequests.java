package dev.pipelineworker.testkit;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * The client side of the wire, for an SDK client under test ({@code overrideConfiguration(o ->
 * o.addExecutionInterceptor(sent))}): the operation of every HTTP attempt it sent, as it was sent.
 * {@link LocalCodePipeline} records a call only once it has answered it, so a test that must act while a call is on
 * the wire (slowed by a latency fault) waits for it here.
 */
public final class SentRequests implements ExecutionInterceptor {

    private final List<String> operations = new CopyOnWriteArrayList<>();

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        operations.add(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
    }

    /** How many attempts of this operation (its wire name, e.g. {@code PollForJobs}) were sent. */
    public long count(String operation) {
        return operations.stream().filter(operation::equals).count();
    }
}

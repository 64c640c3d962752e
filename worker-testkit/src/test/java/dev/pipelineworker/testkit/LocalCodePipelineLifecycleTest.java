package dev.pipelineworker.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionTypeId;
import java.net.URI;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;

/**
 * The emulator's life: an endpoint only while it serves, no start after close, one client per region closed with
 * it, builders that never change once handed out, and registration files refused with the reason.
 */
class LocalCodePipelineLifecycleTest {

    @Test
    void itHasAnEndpointOnlyWhileItServesAndStartsOnce() {
        LocalCodePipeline cp = LocalCodePipeline.builder().build();
        assertThatThrownBy(cp::endpoint).isInstanceOf(IllegalStateException.class)
                .hasMessage("this LocalCodePipeline is not running");

        URI endpoint = cp.start().endpoint();
        assertThat(cp.start().endpoint()).as("a second start does nothing").isEqualTo(endpoint);
        assertThat(endpoint.getHost()).isEqualTo("127.0.0.1");
        cp.close();

        assertThatThrownBy(cp::endpoint).isInstanceOf(IllegalStateException.class)
                .hasMessage("this LocalCodePipeline is not running");
        assertThatThrownBy(cp::start).isInstanceOf(IllegalStateException.class)
                .hasMessage("this LocalCodePipeline is closed");
    }

    @Test
    void closingStopsTheServerTheStsClientsAndTheEventPublisher() throws Exception {
        java.util.concurrent.BlockingQueue<Thread> publisher = new java.util.concurrent.LinkedBlockingQueue<>();
        LocalCodePipeline cp = LocalCodePipeline.builder().host("127.0.0.1").start();
        URI endpoint = cp.endpoint();
        software.amazon.awssdk.services.sts.StsClient sts = cp.stsClient("us-east-1");
        cp.publishEventsTo(event -> publisher.add(Thread.currentThread()));
        cp.enqueue(dev.pipelineworker.testkit.emulator.JobSpec.builder(
                ActionTypeId.custom(ActionCategory.BUILD, "Closing", "1")).build());
        Thread thread = publisher.poll(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(thread).isNotNull();

        cp.close();

        thread.join(10_000);
        assertThat(thread.isAlive()).as("the publisher thread ended").isFalse();
        assertThatThrownBy(sts::getCallerIdentity).isInstanceOf(IllegalStateException.class);
        try (java.net.Socket socket = new java.net.Socket()) {
            assertThatThrownBy(() -> socket.connect(new java.net.InetSocketAddress(endpoint.getHost(),
                    endpoint.getPort()), 5_000)).as("nothing listens any more").isInstanceOf(java.io.IOException.class);
        }
    }

    @Test
    void itHandsOutOneClientPerRegionAndClosesThem() {
        CodePipelineClient client;
        try (LocalCodePipeline cp = LocalCodePipeline.builder().start()) {
            client = cp.client("eu-west-1");
            assertThat(cp.client("eu-west-1")).isSameAs(client);
            assertThat(cp.client("us-east-1")).isNotSameAs(client);
            assertThat(cp.stsClient("eu-west-1")).isSameAs(cp.stsClient("eu-west-1"));
            assertThat(client.listActionTypes().actionTypes()).isEmpty();
            assertThat(cp.callsInRegion("eu-west-1")).hasSize(1);
        }
        assertThatThrownBy(client::listActionTypes).as("closed with the emulator")
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aRegisteredClientAndTheQueriesByActionExecutionAreTheirOwn() {
        try (LocalCodePipeline cp = LocalCodePipeline.builder().build()) {
            cp.registerClient("1a2b3c4d-0000-4000-8000-000000000000", "runtime-token");
            ActionTypeId type = ActionTypeId.custom(ActionCategory.BUILD, "Queries", "1");
            dev.pipelineworker.testkit.emulator.JobInfo one = cp.enqueue(
                    dev.pipelineworker.testkit.emulator.JobSpec.builder(type).build());
            dev.pipelineworker.testkit.emulator.JobInfo other = cp.enqueue(
                    dev.pipelineworker.testkit.emulator.JobSpec.builder(type).build());
            cp.timeOut(one.jobId());
            cp.timeOut(other.jobId());

            assertThat(cp.clientToken("1a2b3c4d-0000-4000-8000-000000000000")).hasValue("runtime-token");
            assertThat(cp.jobsForAction(one.actionExecutionId())).singleElement()
                    .satisfies(job -> assertThat(job.jobId()).isEqualTo(one.jobId()));
            assertThat(cp.resultsForAction(other.actionExecutionId())).singleElement()
                    .satisfies(result -> assertThat(result.jobId()).isEqualTo(other.jobId()));
        }
    }

    @Test
    void aBuilderNeverChangesOnceHandedOut() {
        LocalCodePipeline.Builder base = LocalCodePipeline.builder().client("0f6c7a4e-3b1d-4c2a-9e8f-7a6b5c4d3e2f",
                "base-token");
        base.defaultRegion("eu-west-1").client("1a2b3c4d-0000-4000-8000-000000000000", "other-token")
                .actionType(ActionTypeId.custom(ActionCategory.BUILD, "Derived", "1"));

        try (LocalCodePipeline cp = base.start()) {
            assertThat(cp.defaultRegion()).isEqualTo(LocalCodePipeline.DEFAULT_REGION);
            assertThat(cp.defaultClientId()).isEqualTo("0f6c7a4e-3b1d-4c2a-9e8f-7a6b5c4d3e2f");
            assertThat(cp.clientToken("1a2b3c4d-0000-4000-8000-000000000000")).isEmpty();
            assertThat(cp.client(cp.defaultRegion()).listActionTypes().actionTypes()).isEmpty();
        }
    }

    @Test
    void aRegistrationFileIsRefusedWithTheReason() {
        try (LocalCodePipeline cp = LocalCodePipeline.builder().build()) {
            assertThatThrownBy(() -> cp.registerActionTypeFile("{\"actionType\":", "us-east-1"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("the action type registration is not JSON: ");
            assertThatThrownBy(() -> cp.registerActionTypeFile("[]", "us-east-1"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("the action type registration must be a JSON object");
            assertThatThrownBy(() -> cp.registerActionTypeFile("", "us-east-1"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("the action type registration must be a JSON object");
            assertThatThrownBy(() -> cp.registerActionTypeFile("{\"actionType\":{}}", "us-east-1"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("the action type registration is invalid: ").hasMessageContaining("Value null at 'actionType.id'");
            assertThatThrownBy(() -> cp.registerActionTypeFile("{}", "Nowhere"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("region");
        }
    }
}

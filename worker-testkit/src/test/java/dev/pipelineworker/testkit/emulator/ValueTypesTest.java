package dev.pipelineworker.testkit.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.ArtifactCredentials;
import dev.pipelineworker.testkit.LocalCodePipeline;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The public value types: limits checked early, secrets kept out of toString. */
class ValueTypesTest {

    @Test
    void toStringsKeepSecretsOut() {
        JobSpec spec = JobSpec.builder(ActionTypeId.thirdParty(ActionCategory.BUILD, "P", "1"))
                .configuration("Password", "hunter2-config-value")
                .artifactCredentials(ArtifactCredentials.of("ASIASECRETKEYID", "secret-access", "session-tok"))
                .build();
        RecordedCall call = new RecordedCall(1, Instant.EPOCH, "GetThirdPartyJobDetails",
                "{\"clientToken\":\"client-secret\"}", 200, null, List.of());
        LocalCodePipeline emulator = LocalCodePipeline.builder().client(
                "0f6c7a4e-3b1d-4c2a-9e8f-7a6b5c4d3e2f", "builder-client-secret").build();

        assertThat(spec.toString()).contains("Password")
                .doesNotContain("hunter2-config-value", "ASIASECRETKEYID", "secret-access", "session-tok");
        assertThat(new JobInfo("id", JobState.Queued, 0, spec).toString()).doesNotContain("hunter2-config-value");
        assertThat(call.toString()).doesNotContain("client-secret");
        assertThat(emulator.toString()).doesNotContain("builder-client-secret");
    }

    @Test
    void jobSpecsBreakingServiceLimitsAreRefusedWithoutEchoingValues() {
        ActionTypeId custom = ActionTypeId.custom(ActionCategory.BUILD, "P", "1");
        assertThatThrownBy(() -> JobSpec.builder(custom).configuration("Key", "v".repeat(1001)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Key")
                .hasMessageNotContaining("vvvv");
        assertThatThrownBy(() -> JobSpec.builder(custom).clientId("0f6c7a4e-3b1d-4c2a-9e8f-7a6b5c4d3e2f").build())
                .hasMessageContaining("third-party");
        assertThatThrownBy(() -> JobSpec.builder(custom).accountId("12345").build()).hasMessageContaining("accountId");
        assertThatThrownBy(() -> JobSpec.builder(custom).inputArtifact("bad name", "bucket", "key").build())
                .hasMessageContaining("artifact name");
        assertThatThrownBy(() -> JobSpec.builder(custom).stageName("").build()).hasMessageContaining("stageName");
    }

    @Test
    void faultsAndRulesCheckTheirArguments() {
        assertThatThrownBy(() -> Fault.serverError(404)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FaultRule.nextCalls(0, Fault.throttling()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FaultRule.withProbability(1.5, Fault.throttling()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(FaultRule.nextCalls(1, Fault.throttling()).covers("AnythingAtAll")).isTrue();
        assertThat(FaultRule.nextCalls(1, Fault.throttling(), Operation.POLL_FOR_JOBS).covers("AcknowledgeJob"))
                .isFalse();
    }
}

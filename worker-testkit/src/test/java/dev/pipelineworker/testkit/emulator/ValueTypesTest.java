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

    private static final ActionTypeId CUSTOM = ActionTypeId.custom(ActionCategory.BUILD, "P", "1");

    private static void refused(JobSpec.Builder spec, String message) {
        assertThatThrownBy(spec::build).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }

    @Test
    void aJobSpecTakesEachMemberUpToItsLimitAndNoFurther() {
        JobSpec atTheLimits = JobSpec.builder(CUSTOM)
                .configuration(java.util.Map.of("k".repeat(50), "v".repeat(1000), "K", "v"))
                .pipelineName("p".repeat(100)).stageName("s").actionName("a".repeat(100)).actionExecutionId("x")
                .inputArtifact(dev.pipelineworker.Artifact.of("In", dev.pipelineworker.S3Location.of("b", "k"))
                        .withRevision("r".repeat(1500)))
                .outputArtifact(dev.pipelineworker.Artifact.of("Out", dev.pipelineworker.S3Location.of("b", "k"))
                        .withRevision("r"))
                .continuationToken("t".repeat(2048)).build();
        assertThat(atTheLimits.configuration()).hasSize(2);
        assertThat(JobSpec.builder(CUSTOM).continuationToken("t").build().continuationToken()).isEqualTo("t");

        refused(JobSpec.builder(CUSTOM).configuration("k".repeat(51), "v"), "configuration keys are 1-50 characters");
        refused(JobSpec.builder(CUSTOM).configuration("", "v"), "configuration keys are 1-50 characters");
        refused(JobSpec.builder(CUSTOM).configuration("K", "v".repeat(1001)), "configuration value of 'K'");
        refused(JobSpec.builder(CUSTOM).configuration("K", ""), "configuration value of 'K'");
        refused(JobSpec.builder(CUSTOM).pipelineName("p".repeat(101)), "pipelineName");
        refused(JobSpec.builder(CUSTOM).actionName("a b"), "actionName");
        refused(JobSpec.builder(CUSTOM).actionExecutionId(""), "actionExecutionId must not be empty");
        refused(JobSpec.builder(CUSTOM).outputArtifact("bad name", "b", "k"), "artifact name");
        refused(JobSpec.builder(CUSTOM).inputArtifact(dev.pipelineworker.Artifact.of("In",
                dev.pipelineworker.S3Location.of("b", "k")).withRevision("r".repeat(1501))), "artifact revision");
        refused(JobSpec.builder(CUSTOM).inputArtifact(dev.pipelineworker.Artifact.of("In",
                dev.pipelineworker.S3Location.of("b", "k")).withRevision("")), "artifact revision");
        refused(JobSpec.builder(CUSTOM).continuationToken("t".repeat(2049)), "continuationToken is 1-2048");
        refused(JobSpec.builder(CUSTOM).continuationToken(""), "continuationToken is 1-2048");
        refused(JobSpec.builder(ActionTypeId.thirdParty(ActionCategory.BUILD, "P", "1")).clientId("NOT-A-UUID"),
                "clientId must be a lower-case UUID");
        refused(JobSpec.builder(CUSTOM).accountId(null), "accountId must be 12 digits");
    }

    @Test
    void theTerminalJobStatesAreTheEnds() {
        assertThat(java.util.Arrays.stream(JobState.values()).filter(JobState::isTerminal))
                .containsExactly(JobState.TimedOut, JobState.Succeeded, JobState.Failed, JobState.Abandoned);
    }

    @Test
    void faultsTakeTheirBoundsInclusive() {
        assertThat(Fault.serverError(500)).isEqualTo(new Fault.ServerError(500));
        assertThat(Fault.serverError(599)).isEqualTo(new Fault.ServerError(599));
        assertThatThrownBy(() -> Fault.serverError(499)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a server error status is 500-599, got 499");
        assertThatThrownBy(() -> Fault.serverError(600)).isInstanceOf(IllegalArgumentException.class);
        assertThat(FaultRule.withProbability(1.0, Fault.throttling()).trigger())
                .isEqualTo(new FaultRule.Trigger.Probability(1.0));
        assertThatThrownBy(() -> FaultRule.withProbability(0.0, Fault.throttling()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("probability must be in (0, 1], got 0.0");
        assertThat(Fault.latency(java.time.Duration.ZERO)).isEqualTo(new Fault.Latency(java.time.Duration.ZERO));
        assertThatThrownBy(() -> Fault.latency(java.time.Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("latency must not be negative");
    }

    @Test
    void aRecordedCallSaysWhatItWasAndHowItWasAnswered() {
        RecordedCall served = new RecordedCall(1, Instant.EPOCH, "PollForJobs", "{}", 200, null, List.of());
        RecordedCall refused = new RecordedCall(2, Instant.EPOCH, "Nonsense", "{}", 400, "UnknownOperationException",
                List.of());

        assertThat(served.succeeded()).isTrue();
        assertThat(served.knownOperation()).hasValue(Operation.POLL_FOR_JOBS);
        assertThat(refused.succeeded()).isFalse();
        assertThat(refused.knownOperation()).isEmpty();
        assertThat(new JobInfo("id", JobState.Queued, 0, JobSpec.builder(ActionTypeId.thirdParty(ActionCategory.BUILD,
                "P", "1")).build()).isThirdParty()).isTrue();
        assertThat(new JobInfo("id", JobState.Queued, 0, JobSpec.builder(CUSTOM).build()).isThirdParty()).isFalse();
    }
}

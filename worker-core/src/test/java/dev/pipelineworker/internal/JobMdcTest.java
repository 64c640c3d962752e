package dev.pipelineworker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipelineworker.MdcKeys;
import dev.pipelineworker.PipelineContext;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import software.amazon.awssdk.regions.Region;

class JobMdcTest {

    private static final PipelineContext PIPELINE = new PipelineContext("pipe", "Build", "Compile", "exec-1", null, null);

    @AfterEach
    void clear() {
        MDC.clear();
    }

    private static Map<String, String> mdc() {
        Map<String, String> copy = MDC.getCopyOfContextMap();
        return copy == null ? Map.of() : new HashMap<>(copy);
    }

    @Test
    void putsTheJobsIdentityUnderTheDocumentedKeys() {
        try (JobMdc scope = JobMdc.open("job-1", PIPELINE, Region.EU_WEST_1)) {
            assertThat(mdc()).isEqualTo(Map.of("jobId", "job-1", "pipeline", "pipe", "stage", "Build",
                    "action", "Compile", "actionExecutionId", "exec-1", "region", "eu-west-1"));
            assertThat(mdc()).containsOnlyKeys(MdcKeys.ALL);
        }
        assertThat(mdc()).isEmpty();
    }

    @Test
    void theCallersOwnKeysSurviveAndItsValuesForTheSameKeysAreRestored() {
        MDC.put("tenant", "acme");
        MDC.put(MdcKeys.JOB_ID, "outer-request");

        try (JobMdc scope = JobMdc.open("job-1", PIPELINE, Region.EU_WEST_1)) {
            assertThat(mdc()).containsEntry("tenant", "acme").containsEntry(MdcKeys.JOB_ID, "job-1");
        }

        assertThat(mdc()).isEqualTo(Map.of("tenant", "acme", MdcKeys.JOB_ID, "outer-request"));
    }

    @Test
    void scopesNestAndAKeyTheInnerJobLacksIsHiddenNotInherited() {
        try (JobMdc outer = JobMdc.open("job-1", PIPELINE, Region.EU_WEST_1)) {
            try (JobMdc inner = JobMdc.open("job-2", new PipelineContext("other", null, null, null, null, null), null)) {
                assertThat(mdc()).isEqualTo(Map.of("jobId", "job-2", "pipeline", "other"));
            }
            assertThat(mdc()).containsEntry("jobId", "job-1").containsEntry("stage", "Build")
                    .containsEntry("actionExecutionId", "exec-1");
            try (JobMdc malformed = JobMdc.open("job-3", null, null)) {
                assertThat(mdc()).isEqualTo(Map.of("jobId", "job-3"));
            }
            assertThat(mdc()).hasSize(6);
        }
        assertThat(mdc()).isEmpty();
    }

    @Test
    void closingTwiceDoesNotUndoWhatTheCallerPutAfterwards() {
        JobMdc scope = JobMdc.open("job-1", PIPELINE, Region.EU_WEST_1);
        scope.close();
        MDC.put(MdcKeys.JOB_ID, "next");

        scope.close();

        assertThat(mdc()).isEqualTo(Map.of(MdcKeys.JOB_ID, "next"));
    }
}

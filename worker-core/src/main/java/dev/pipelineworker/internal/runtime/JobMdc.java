package dev.pipelineworker.internal.runtime;

import dev.pipelineworker.internal.channel.ClaimedJob;
import org.slf4j.MDC;

/** The MDC keys of a job. */
final class JobMdc {
    static final String JOB_ID = "jobId";

    private JobMdc() {
    }

    static void put(ClaimedJob job) {
        MDC.put(JOB_ID, job.jobId());
        if (job.data() != null) {
            var pipeline = job.data().pipeline();
            putIfPresent("pipeline", pipeline.pipelineName());
            putIfPresent("stage", pipeline.stageName());
            putIfPresent("action", pipeline.actionName());
            putIfPresent("actionExecutionId", pipeline.actionExecutionId());
        }
    }

    private static void putIfPresent(String key, String value) {
        if (value != null) {
            MDC.put(key, value);
        }
    }
}

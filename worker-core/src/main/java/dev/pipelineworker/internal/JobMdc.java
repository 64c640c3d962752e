package dev.pipelineworker.internal;

import dev.pipelineworker.MdcKeys;
import dev.pipelineworker.PipelineContext;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.MDC;
import software.amazon.awssdk.regions.Region;

/**
 * A job's identity in the MDC of the current thread (see {@link MdcKeys}) for as long as it is
 * open. Closing it puts back what the thread held under those keys before, and touches no other
 * key, so a caller's own MDC on a user-given executor survives, and scopes nest (the runtime's
 * around a whole job, the handler invocation's inside it). Open and close it on the same thread.
 */
public final class JobMdc implements AutoCloseable {

    // Values may be null: "the key was absent", which closing restores by removing it.
    private final Map<String, String> previous = new LinkedHashMap<>();
    private boolean closed;

    private JobMdc() {
    }

    /**
     * Puts {@code jobId} and, when known, the pipeline, stage, action, action execution id and region;
     * {@code pipeline} may be {@code null} (a job whose data could not be read), and so may
     * {@code region}. A key this job has no value for is removed for the scope, so a value of an
     * enclosing job cannot be mistaken for it.
     */
    public static JobMdc open(String jobId, PipelineContext pipeline, Region region) {
        JobMdc mdc = new JobMdc();
        mdc.set(MdcKeys.JOB_ID, jobId);
        mdc.set(MdcKeys.PIPELINE, pipeline == null ? null : pipeline.pipelineName());
        mdc.set(MdcKeys.STAGE, pipeline == null ? null : pipeline.stageName());
        mdc.set(MdcKeys.ACTION, pipeline == null ? null : pipeline.actionName());
        mdc.set(MdcKeys.ACTION_EXECUTION_ID, pipeline == null ? null : pipeline.actionExecutionId());
        mdc.set(MdcKeys.REGION, region == null ? null : region.id());
        return mdc;
    }

    private void set(String key, String value) {
        previous.put(key, MDC.get(key));
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }

    /** Restores the keys this scope set to what they were before it; a second call does nothing. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        previous.forEach((key, value) -> {
            if (value == null) {
                MDC.remove(key);
            } else {
                MDC.put(key, value);
            }
        });
    }
}

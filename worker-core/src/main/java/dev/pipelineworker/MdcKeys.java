package dev.pipelineworker;

import java.util.List;

/**
 * The SLF4J MDC keys under which the worker and the Lambda entry point put a job's identity while
 * the job runs, so that log lines (the SDK's and the handler's own) can be filtered by job. A key
 * whose value the job does not have is absent rather than empty. Whatever the SDK puts it removes
 * afterwards, restoring a value the calling thread had under the same key before; keys of your own
 * are left alone.
 */
public final class MdcKeys {

    /** The CodePipeline job id. */
    public static final String JOB_ID = "jobId";

    /** The pipeline's name. */
    public static final String PIPELINE = "pipeline";

    /** The stage's name. */
    public static final String STAGE = "stage";

    /** The action's name. */
    public static final String ACTION = "action";

    /** The action execution id, shared by a job and its continuations. */
    public static final String ACTION_EXECUTION_ID = "actionExecutionId";

    /** The region the job runs in, e.g. {@code eu-west-1}. */
    public static final String REGION = "region";

    /** Every key above, in that order. */
    public static final List<String> ALL = List.of(JOB_ID, PIPELINE, STAGE, ACTION, ACTION_EXECUTION_ID, REGION);

    private MdcKeys() {
    }
}

package dev.pipelineworker.micrometer;

/**
 * The names of the meters {@link PipelineWorkerMetrics} registers and of their tags, for dashboards, alerts and
 * {@code MeterFilter}s (for example to turn on percentile histograms for the timers). Names follow Micrometer's
 * dotted style; each registry converts them (Prometheus: {@code pipeline_worker_polls_total},
 * {@code pipeline_worker_handler_duration_seconds}).
 */
public final class MeterNames {

    /** The common prefix: every meter's name starts with it. */
    public static final String PREFIX = "pipeline.worker.";

    /** Counter: polls by {@link #RESULT} ({@code jobs}, {@code empty}, {@code error}, {@code throttled}). */
    public static final String POLLS = PREFIX + "polls";
    /** Counter: jobs that polls handed to this worker. */
    public static final String JOBS_RECEIVED = PREFIX + "jobs.received";
    /** Counter: jobs this worker acknowledged and so owns. */
    public static final String JOBS_CLAIMED = PREFIX + "jobs.claimed";
    /** Counter: jobs another worker claimed first, or that were no longer waiting when this worker tried. */
    public static final String JOBS_LOST = PREFIX + "jobs.lost";
    /** Timer: the handler's run, by {@link #OUTCOME} and {@link #FAILURE_TYPE}. */
    public static final String HANDLER_DURATION = PREFIX + "handler.duration";
    /** Counter: jobs whose result CodePipeline accepted, by {@link #OUTCOME} and {@link #FAILURE_TYPE}. */
    public static final String JOBS_COMPLETED = PREFIX + "jobs.completed";
    /** Timer: sending a result until CodePipeline accepted it, retries included. */
    public static final String REPORT_DURATION = PREFIX + "report.duration";
    /** Timer: from the accepted claim to the accepted result (jobs recovered from the journal are not timed). */
    public static final String JOB_DURATION = PREFIX + "job.duration";
    /** Counter: attempts to send a result that failed and were tried again. */
    public static final String REPORT_RETRIES = PREFIX + "report.retries";
    /** Counter: results that could not be delivered: the job was gone, or every attempt failed. */
    public static final String REPORTS_ABANDONED = PREFIX + "reports.abandoned";
    /**
     * Counter: jobs CodePipeline cancelled while their handler ran (the action execution abandoned, the pipeline
     * execution stopped or cancelled), as a {@code WorkerExtension} such as worker-events found out; nothing was
     * reported for them.
     */
    public static final String JOBS_CANCELLED = PREFIX + "jobs.cancelled";
    /** Gauge: slots held by a job (claiming, running or reporting). */
    public static final String SLOTS_USED = PREFIX + "slots.used";
    /** Gauge: slots free for the next poll. */
    public static final String SLOTS_FREE = PREFIX + "slots.free";
    /** Gauge: jobs claimed or being claimed and not yet reported. */
    public static final String JOBS_IN_FLIGHT = PREFIX + "jobs.in.flight";
    /** Gauge: outcome journal entries waiting for CodePipeline (claims and outcomes not yet settled). */
    public static final String JOURNAL_BACKLOG = PREFIX + "journal.backlog";
    /** Gauge, per queue: polls failed since the last successful one. */
    public static final String POLL_CONSECUTIVE_FAILURES = PREFIX + "poll.consecutive.failures";
    /** Time gauge, per queue: time since the last successful poll; NaN until the first. */
    public static final String POLL_LAST_SUCCESS_AGE = PREFIX + "poll.last.success.age";
    /** Gauge, one per {@link #STATE}: 1 for the state the worker is in, 0 for the others. */
    public static final String STATE_GAUGE = PREFIX + "state";

    /** Tag: the action type's owner, {@code ThirdParty} or {@code Custom}. */
    public static final String ACTION_OWNER = "action.owner";
    /** Tag: the action type's category, such as {@code Build}. */
    public static final String ACTION_CATEGORY = "action.category";
    /** Tag: the action type's provider. */
    public static final String ACTION_PROVIDER = "action.provider";
    /** Tag: the action type's version. */
    public static final String ACTION_VERSION = "action.version";
    /** Tag: the queue's region, such as {@code eu-west-1}. */
    public static final String REGION = "region";
    /** Tag of {@link #POLLS}: what the poll brought. */
    public static final String RESULT = "result";
    /** Tag: {@code success}, {@code continue} or {@code failure}. */
    public static final String OUTCOME = "outcome";
    /** Tag: the failure's type as CodePipeline spells it ({@code JobFailed}, ...), {@code none} for other outcomes. */
    public static final String FAILURE_TYPE = "failure.type";
    /** Tag of {@link #STATE_GAUGE}: {@code starting}, {@code ready}, {@code draining} or {@code stopped}. */
    public static final String STATE = "state";
    /** Opt-in tag: the pipeline's name. */
    public static final String PIPELINE = "pipeline";
    /** Opt-in tag: the stage's name. */
    public static final String STAGE = "stage";
    /** Opt-in tag: the action's name in the pipeline. */
    public static final String ACTION = "action";

    private MeterNames() {
    }
}

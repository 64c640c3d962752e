package dev.pipelineworker.testkit.emulator;

/** The life-cycle state of an emulated job; the names are CodePipeline's {@code JobStatus} values. */
public enum JobState {
    /** A continuation job waiting for its delay to pass; no poll sees it yet. */
    Created,
    /** Waiting to be handed out by a poll. */
    Queued,
    /** Handed out by a poll and waiting for the acknowledgement with the current nonce. */
    Dispatched,
    /** Acknowledged; the only state in which results are accepted. */
    InProgress,
    /** The job timeout passed before a result arrived. */
    TimedOut,
    /** A success result arrived (with or without a continuation token). */
    Succeeded,
    /** A failure result arrived. */
    Failed,
    /**
     * Not a {@code JobStatus} value: the emulator's name for a job whose action execution was stopped and abandoned
     * ({@code StopPipelineExecution} with {@code abandon}) or cancelled by a pipeline update. The service refuses
     * its results and acknowledgements with {@code InvalidJobStateException}; polls no longer hand it out.
     */
    Abandoned;

    /** Whether the job can no longer change. */
    public boolean isTerminal() {
        return this == TimedOut || this == Succeeded || this == Failed || this == Abandoned;
    }
}

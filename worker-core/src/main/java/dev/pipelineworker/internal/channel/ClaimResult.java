package dev.pipelineworker.internal.channel;

/** How an attempt to claim a polled job ended. */
public sealed interface ClaimResult {

    /** This worker owns the job. */
    record Claimed(ClaimedJob job) implements ClaimResult {
    }

    /** Another worker owns the job (its nonce was used), or it is no longer waiting for a worker. */
    record Lost(String reason) implements ClaimResult {
    }

    /** This worker cannot take the job (no client token, shutting down); it stays free for others. */
    record Skipped(String reason) implements ClaimResult {
    }
}

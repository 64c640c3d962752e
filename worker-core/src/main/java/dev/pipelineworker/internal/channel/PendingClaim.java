package dev.pipelineworker.internal.channel;

import java.util.Objects;

/**
 * A claim about to be sent: what the journal must hold before the acknowledgement leaves, so that a restarted
 * worker can find out whether the job became its own. {@code clientId} is {@code null} for custom jobs. The nonce
 * is not a secret: it only works together with the job's client token, which the journal never holds.
 */
public record PendingClaim(String jobId, String clientId, String nonce) {
    public PendingClaim {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(nonce, "nonce");
    }

    @Override
    public String toString() {
        return "PendingClaim[" + jobId + "]";
    }
}

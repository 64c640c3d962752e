package dev.pipelineworker.internal.channel;

/**
 * A job a poll returned and nobody has claimed yet. For third-party jobs {@code clientId} is set;
 * for custom jobs {@code job} holds the whole polled job (with its nonce).
 */
public record PolledJob(String jobId, String clientId, Object job) {
    @Override
    public String toString() {
        return "PolledJob[" + jobId + "]";
    }
}

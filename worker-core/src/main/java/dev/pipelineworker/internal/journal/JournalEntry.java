package dev.pipelineworker.internal.journal;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipelineworker.internal.ContinuationCodec;
import dev.pipelineworker.internal.SharedInternal;
import dev.pipelineworker.internal.channel.PendingClaim;
import dev.pipelineworker.internal.channel.Report;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * What the journal keeps for one job: who it belongs to, the claim that was about to be sent, and, once the
 * handler finished, the report to send.
 *
 * <p>Every record carries its format version ({@code "v"}). Version 1, written before this field existed, was
 * written only after CodePipeline accepted the acknowledgement, so a version 1 entry without a report is a job
 * that was running. Version 2 is written before the acknowledgement is sent, with the nonce, and marked
 * {@code acknowledged} once CodePipeline answered InProgress; so an entry without a report is either a job that
 * was running, or a claim that may or may not have made the job ours, which is resolved against CodePipeline
 * (the mark saves that question for the common case, a job killed while its handler ran, and answers it where
 * CodePipeline could not: a custom job's details carry no nonce to compare). A record
 * of a newer version than this code knows is refused with {@link UnknownVersionException}, so that the caller
 * keeps it for a newer worker rather than misreading it.
 */
@SharedInternal
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JournalEntry(@JsonProperty("v") int version, String jobId, String clientId, String nonce,
                           Boolean acknowledged, String queue, Report.Success success, Report.Failure failure) {

    /** The format this code writes. */
    public static final int CURRENT_VERSION = 2;

    private static final ObjectMapper MAPPER = ContinuationCodec.defaultMapper();

    public JournalEntry {
        Objects.requireNonNull(jobId, "jobId");
    }

    /** An entry for a claim about to be acknowledged, from {@code queue}. */
    public static JournalEntry claiming(PendingClaim claim, String queue) {
        return new JournalEntry(CURRENT_VERSION, claim.jobId(), claim.clientId(), claim.nonce(), null, queue, null,
                null);
    }

    /** An entry for a claim CodePipeline accepted: the job is ours and its handler runs. */
    public static JournalEntry acknowledged(PendingClaim claim, String queue) {
        return new JournalEntry(CURRENT_VERSION, claim.jobId(), claim.clientId(), claim.nonce(), true, queue, null,
                null);
    }

    /** An entry for a claimed job of {@code queue} that ended with {@code report}, which is yet to be sent. */
    public static JournalEntry finished(String jobId, String clientId, String queue, Report report) {
        return report instanceof Report.Success s
                ? new JournalEntry(CURRENT_VERSION, jobId, clientId, null, null, queue, s, null)
                : new JournalEntry(CURRENT_VERSION, jobId, clientId, null, null, queue, null, (Report.Failure) report);
    }

    /** The report to send, or {@code null} when the job never finished. */
    public Report report() {
        return success != null ? success : failure;
    }

    /**
     * The claim to resolve against CodePipeline, or {@code null} when none is needed: the job finished, its
     * acknowledgement was accepted, or the entry predates claims journaled before their acknowledgement.
     */
    @JsonIgnore
    public PendingClaim pendingClaim() {
        return report() == null && nonce != null && !Boolean.TRUE.equals(acknowledged)
                ? new PendingClaim(jobId, clientId, nonce) : null;
    }

    public byte[] toBytes() {
        try {
            return MAPPER.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads an entry of any version up to {@link #CURRENT_VERSION}. */
    public static JournalEntry fromBytes(byte[] bytes) throws IOException {
        JsonNode tree = MAPPER.readTree(bytes);
        if (tree == null || !tree.isObject()) {
            throw new IOException("a journal entry is not a JSON object");
        }
        JsonNode version = tree.get("v");
        int v = version == null ? 1 : version.asInt(-1);
        if (v > CURRENT_VERSION) {
            throw new UnknownVersionException(v);
        }
        if (v < 1) {
            throw new IOException("a journal entry has an invalid format version: " + version);
        }
        JournalEntry entry = MAPPER.treeToValue(tree, JournalEntry.class);
        return v == entry.version ? entry
                : new JournalEntry(v, entry.jobId, entry.clientId, entry.nonce, entry.acknowledged, entry.queue,
                        entry.success, entry.failure);
    }

    @Override
    public String toString() {
        String stage = report() != null ? report().toString()
                : pendingClaim() != null ? "claiming" : "acknowledged";
        return "JournalEntry[v" + version + ", " + jobId + ", " + stage + "]";
    }

    /** A record written by a newer version of the worker than this one: kept, never misread. */
    public static final class UnknownVersionException extends IOException {
        private final int version;

        UnknownVersionException(int version) {
            super("the journal entry has format version " + version + ", newer than this worker's "
                    + CURRENT_VERSION + "; it is kept for a newer worker");
            this.version = version;
        }

        /** The version found. */
        public int version() {
            return version;
        }
    }
}

package dev.pipelineworker.internal.journal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipelineworker.internal.ContinuationCodec;
import dev.pipelineworker.internal.SharedInternal;
import dev.pipelineworker.internal.channel.Report;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * What the journal keeps for one job: who it belongs to and, once the handler finished, the report
 * to send. A job with no report was running when the worker stopped.
 */
@SharedInternal
public record JournalEntry(String jobId, String clientId, Report.Success success, Report.Failure failure) {

    private static final ObjectMapper MAPPER = ContinuationCodec.defaultMapper();

    /** An entry for a job just claimed. */
    public static JournalEntry claimed(String jobId, String clientId) {
        return new JournalEntry(jobId, clientId, null, null);
    }

    /** This entry with the report the job ended with. */
    public JournalEntry finished(Report report) {
        return report instanceof Report.Success s
                ? new JournalEntry(jobId, clientId, s, null)
                : new JournalEntry(jobId, clientId, null, (Report.Failure) report);
    }

    /** The report to send, or {@code null} when the job never finished. */
    public Report report() {
        return success != null ? success : failure;
    }

    public byte[] toBytes() {
        try {
            return MAPPER.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JournalEntry fromBytes(byte[] bytes) throws IOException {
        return MAPPER.readValue(bytes, JournalEntry.class);
    }
}

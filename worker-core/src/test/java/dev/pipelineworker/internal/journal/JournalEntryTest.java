package dev.pipelineworker.internal.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipelineworker.FailureType;
import dev.pipelineworker.internal.channel.PendingClaim;
import dev.pipelineworker.internal.channel.Report;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JournalEntryTest {

    private static final PendingClaim CLAIM = new PendingClaim("job-1", "client-1", "nonce-1");

    @Test
    void everyStageRoundTripsWithItsVersion() throws IOException {
        JournalEntry claiming = JournalEntry.claiming(CLAIM, "ThirdParty/Build/Tool/1@eu-west-1");
        JournalEntry acknowledged = JournalEntry.acknowledged(CLAIM, "ThirdParty/Build/Tool/1@eu-west-1");
        JournalEntry finished = JournalEntry.finished("job-1", "client-1", "ThirdParty/Build/Tool/1@eu-west-1",
                new Report.Failure(FailureType.JOB_FAILED, "broken", "ext"));

        for (JournalEntry entry : new JournalEntry[] {claiming, acknowledged, finished}) {
            assertThat(JournalEntry.fromBytes(entry.toBytes())).isEqualTo(entry);
            assertThat(new String(entry.toBytes(), StandardCharsets.UTF_8)).startsWith("{\"v\":2,");
        }
        assertThat(claiming.pendingClaim()).isEqualTo(CLAIM);
        assertThat(acknowledged.pendingClaim()).isNull();
        assertThat(finished.pendingClaim()).isNull();
        assertThat(finished.report()).isEqualTo(new Report.Failure(FailureType.JOB_FAILED, "broken", "ext"));
    }

    @Test
    void anEntryWithoutAVersionIsTheFirstFormat() throws IOException {
        byte[] v1 = "{\"jobId\":\"job-1\",\"clientId\":\"client-1\",\"success\":null,\"failure\":null}"
                .getBytes(StandardCharsets.UTF_8);

        JournalEntry entry = JournalEntry.fromBytes(v1);

        assertThat(entry.version()).isEqualTo(1);
        assertThat(entry.report()).isNull();
        assertThat(entry.pendingClaim()).as("a first-format claim was written after its acknowledgement").isNull();
    }

    @Test
    void aNewerVersionIsRefusedAsSuchAndAnInvalidOneAsUnreadable() {
        byte[] newer = "{\"v\":3,\"jobId\":\"job-1\",\"whatever\":{}}".getBytes(StandardCharsets.UTF_8);
        byte[] invalid = "{\"v\":0,\"jobId\":\"job-1\"}".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> JournalEntry.fromBytes(newer))
                .isInstanceOfSatisfying(JournalEntry.UnknownVersionException.class, e -> {
                    assertThat(e.version()).isEqualTo(3);
                    assertThat(e.getMessage()).contains("version 3").contains("kept");
                });
        assertThatThrownBy(() -> JournalEntry.fromBytes(invalid)).isInstanceOf(IOException.class)
                .isNotInstanceOf(JournalEntry.UnknownVersionException.class).hasMessageContaining("version");
        assertThatThrownBy(() -> JournalEntry.fromBytes("[1]".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class).hasMessage("a journal entry is not a JSON object");
    }

    @Test
    void aSuccessWaitingToBeSentRoundTripsAsTheReportToSend() throws IOException {
        Report.Success done = new Report.Success("built", "ext-1", 100, null, null, java.util.Map.of("Tag", "v1"));
        JournalEntry finished = JournalEntry.finished("job-1", "client-1", "ThirdParty/Build/Tool/1@eu-west-1", done);

        JournalEntry read = JournalEntry.fromBytes(finished.toBytes());

        assertThat(read.report()).isEqualTo(done);
        assertThat(read.failure()).isNull();
        assertThat(read.pendingClaim()).isNull();
    }

    /** Once the handler finished there is a report to send, and no claim left to resolve, whatever else it holds. */
    @Test
    void anEntryWithAReportNeedsNoClaimResolvedEvenIfItHoldsANonce() throws IOException {
        byte[] finishedWithNonce = ("{\"v\":2,\"jobId\":\"job-1\",\"clientId\":\"client-1\",\"nonce\":\"nonce-1\","
                + "\"failure\":{\"type\":\"JOB_FAILED\",\"message\":\"broken\"}}").getBytes(StandardCharsets.UTF_8);

        JournalEntry entry = JournalEntry.fromBytes(finishedWithNonce);

        assertThat(entry.report()).isEqualTo(new Report.Failure(FailureType.JOB_FAILED, "broken", null));
        assertThat(entry.pendingClaim()).isNull();
    }
}

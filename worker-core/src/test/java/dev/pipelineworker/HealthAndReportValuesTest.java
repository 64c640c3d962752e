package dev.pipelineworker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipelineworker.PreflightReport.Check;
import dev.pipelineworker.PreflightReport.Status;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What probes read from {@link WorkerHealth}, how an {@link ExtensionHealth} counts failures, and how a
 * {@link PreflightReport} judges and prints its checks.
 */
class HealthAndReportValuesTest {

    private static final Instant AT = Instant.parse("2026-03-01T10:00:00Z");

    @ParameterizedTest
    @EnumSource(WorkerHealth.State.class)
    void onlyAReadyWorkerIsReadyAndOnlyAStoppedOneIsNotLive(WorkerHealth.State state) {
        WorkerHealth health = new WorkerHealth(state, List.of(), 0, 8, 0, 0);

        assertThat(health.isReady()).isEqualTo(state == WorkerHealth.State.READY);
        assertThat(health.isLive()).isEqualTo(state != WorkerHealth.State.STOPPED);
        assertThat(health.extensions()).isEmpty();
    }

    @Test
    void aHealthSnapshotKeepsCopiesOfItsLists() {
        List<ExtensionHealth> extensions = new ArrayList<>(List.of(ExtensionHealth.ok("events", AT)));

        WorkerHealth health = new WorkerHealth(WorkerHealth.State.READY, new ArrayList<>(), 1, 7, 1, 2, extensions);
        extensions.clear();

        assertThat(health.extensions()).extracting(ExtensionHealth::name).containsExactly("events");
    }

    @Test
    void anExtensionsFailuresCountUpFromItsLastSuccess() {
        ExtensionHealth ok = ExtensionHealth.ok("events", AT);
        assertThat(ok).isEqualTo(new ExtensionHealth("events", true, Optional.of(AT), 0, Optional.empty()));

        ExtensionHealth once = ExtensionHealth.failing("events", ok, "queue gone");
        ExtensionHealth twice = ExtensionHealth.failing("events", once, "still gone");

        assertThat(once).isEqualTo(new ExtensionHealth("events", false, Optional.of(AT), 1, Optional.of("queue gone")));
        assertThat(twice.consecutiveFailures()).isEqualTo(2);
        assertThat(twice.problem()).hasValue("still gone");
        assertThat(twice.lastSuccess()).hasValue(AT);
        assertThat(ExtensionHealth.failing("events", null, "never worked"))
                .isEqualTo(new ExtensionHealth("events", false, Optional.empty(), 1, Optional.of("never worked")));
    }

    @Test
    void aReportPassesWithWarningsAndFailsWithAnyFailure() {
        Check pass = new Check("region", "q", Status.PASS, "us-east-1", null);
        Check warn = new Check("clock", "q", Status.WARN, "no Date header", "check NTP");
        Check fail = new Check("identity", "q", Status.FAIL, "access denied", "allow sts:GetCallerIdentity");

        assertThat(new PreflightReport(List.of(pass, warn)).passed()).isTrue();
        assertThat(new PreflightReport(List.of(pass, warn, fail)).passed()).isFalse();
        assertThat(new PreflightReport(List.of()).passed()).isTrue();
        assertThat(new PreflightReport(List.of(pass, warn, fail)).withStatus(Status.WARN)).containsExactly(warn);
        assertThat(pass.fix()).isEmpty();
    }

    @Test
    void aReportPrintsALinePerCheckTheFixUnderWarningsAndFailuresAndATally() {
        String n = System.lineSeparator();
        PreflightReport report = new PreflightReport(List.of(
                new Check("identity", "Custom/Build/T/1@us-east-1", Status.PASS, "account 1", "ignored on a pass"),
                new Check("clock", "Custom/Build/T/1@us-east-1", Status.WARN, "no Date header", "check NTP"),
                new Check("journal", null, Status.FAIL, "not writable", ""),
                new Check("clientTokens", null, Status.FAIL, "none", "give clientTokens")));

        assertThat(report.render()).isEqualTo(
                "PASS identity                       Custom/Build/T/1@us-east-1: account 1" + n
                        + "WARN clock                          Custom/Build/T/1@us-east-1: no Date header" + n
                        + "     fix: check NTP" + n
                        + "FAIL journal                        not writable" + n
                        + "FAIL clientTokens                   none" + n
                        + "     fix: give clientTokens" + n
                        + "FAILED: 4 checks, 2 failed, 1 warned" + n);
        assertThat(new PreflightReport(List.of()).render()).isEqualTo("PASSED: 0 checks, 0 failed, 0 warned" + n);
    }
}

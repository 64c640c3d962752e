package dev.pipelineworker;

import java.util.List;
import java.util.Objects;

/**
 * What {@link JobWorker#preflight()} found: one {@link Check} per check and queue, each passed, warned or failed with
 * the fix in one line. A worker whose report has a failure would not serve its jobs as intended.
 *
 * @param checks the checks in the order they ran
 */
public record PreflightReport(List<Check> checks) {

    public PreflightReport {
        checks = List.copyOf(checks);
    }

    /** How a check ended. */
    public enum Status {
        PASS,
        WARN,
        FAIL
    }

    /**
     * One check's result.
     *
     * @param name    what was checked, such as {@code registration.properties}
     * @param queue   the queue it was checked for ({@link JobQueue#id()}), or {@code null} for the worker as a whole
     * @param status  how it ended
     * @param message what was found; never a secret
     * @param fix     what to do about a warning or failure, in one line; empty on a pass
     */
    public record Check(String name, String queue, Status status, String message, String fix) {
        public Check {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(message, "message");
            fix = fix == null ? "" : fix;
        }
    }

    /** Whether no check failed (warnings allowed). */
    public boolean passed() {
        return checks.stream().noneMatch(c -> c.status() == Status.FAIL);
    }

    /** The checks that ended with {@code status}. */
    public List<Check> withStatus(Status status) {
        return checks.stream().filter(c -> c.status() == status).toList();
    }

    /** The report for people: one line per check, its fix indented below a warning or failure. */
    public String render() {
        StringBuilder text = new StringBuilder();
        for (Check check : checks) {
            text.append(String.format("%-4s %-30s %s%s%n", check.status(), check.name(),
                    check.queue() == null ? "" : check.queue() + ": ", check.message()));
            if (check.status() != Status.PASS && !check.fix().isEmpty()) {
                text.append("     fix: ").append(check.fix()).append(System.lineSeparator());
            }
        }
        long failed = withStatus(Status.FAIL).size();
        long warned = withStatus(Status.WARN).size();
        text.append(failed > 0 ? "FAILED" : "PASSED").append(": ").append(checks.size()).append(" checks, ")
                .append(failed).append(" failed, ").append(warned).append(" warned").append(System.lineSeparator());
        return text.toString();
    }
}

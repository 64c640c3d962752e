package dev.pipelineworker.internal;

import dev.pipelineworker.ActionOwner;
import dev.pipelineworker.CurrentRevision;
import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.internal.channel.Report;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Fits an outcome to the CodePipeline model before it is sent. Free texts are truncated with a
 * marker; a percentage is clamped; what cannot be sent at all becomes a JobFailed report that
 * says why, so the service never rejects a result and the job never hangs until its timeout.
 */
@SharedInternal
public final class OutcomeValidator {

    static final String TRUNCATION_MARKER = "... [truncated]";
    static final int MAX_SUMMARY = 2048;
    static final int MAX_EXTERNAL_ID = 1500;
    static final int MAX_FAILURE_MESSAGE = 5000;
    static final int MAX_REVISION = 1500;
    static final int MAX_CHANGE_IDENTIFIER = 100;
    static final int MAX_OUTPUT_VARIABLES_BYTES = 122_880;
    private static final Pattern OUTPUT_VARIABLE_KEY = Pattern.compile("[A-Za-z0-9@\\-_]+");

    private final ActionOwner owner;
    private final ContinuationCodec codec;

    public OutcomeValidator(ActionOwner owner, ContinuationCodec codec) {
        this.owner = owner;
        this.codec = codec;
    }

    /** The report to send for {@code outcome} (which must not be null). */
    public Report validate(JobOutcome outcome) {
        if (outcome instanceof JobOutcome.Success s) {
            return success(s);
        }
        if (outcome instanceof JobOutcome.Continue c) {
            return continuation(c);
        }
        JobOutcome.Fail f = (JobOutcome.Fail) outcome;
        return failure(f.type(), f.message(), f.externalExecutionId());
    }

    private Report success(JobOutcome.Success s) {
        String externalId = text(s.externalExecutionId(), MAX_EXTERNAL_ID);
        if (!s.outputVariables().isEmpty()) {
            String problem = outputVariablesProblem(s.outputVariables());
            if (problem != null) {
                return failure(FailureType.JOB_FAILED, "the handler's outcome cannot be reported: " + problem, externalId);
            }
        }
        CurrentRevision revision = s.currentRevision();
        if (revision != null) {
            String problem = revisionProblem(revision);
            if (problem != null) {
                return failure(FailureType.JOB_FAILED, "the handler's outcome cannot be reported: " + problem, externalId);
            }
            revision = new CurrentRevision(revision.revision(), revision.changeIdentifier(), revision.created(),
                    text(revision.revisionSummary(), MAX_SUMMARY));
        }
        return new Report.Success(text(s.summary(), MAX_SUMMARY), externalId, percent(s.percentComplete()),
                revision, null, s.outputVariables());
    }

    private Report continuation(JobOutcome.Continue c) {
        String externalId = text(c.externalExecutionId(), MAX_EXTERNAL_ID);
        String token;
        try {
            token = c.token() != null ? c.token() : codec.encode(c.state());
        } catch (IllegalArgumentException e) {
            return failure(FailureType.JOB_FAILED, "the handler's continuation cannot be reported: " + e.getMessage(),
                    externalId);
        }
        if (token.isEmpty() || token.length() > ContinuationCodec.MAX_TOKEN_LENGTH) {
            return failure(FailureType.JOB_FAILED, "the handler's continuation cannot be reported: the continuation "
                    + (c.token() != null ? "token" : "state") + " is " + token.length()
                    + " characters; CodePipeline accepts 1-" + ContinuationCodec.MAX_TOKEN_LENGTH, externalId);
        }
        return new Report.Success(text(c.summary(), MAX_SUMMARY), externalId, percent(c.percentComplete()), null,
                token, Map.of());
    }

    private static Report failure(FailureType type, String message, String externalId) {
        String fitted = text(message, MAX_FAILURE_MESSAGE);
        return new Report.Failure(type, fitted == null ? "Job failed (" + type.apiName() + ")" : fitted,
                text(externalId, MAX_EXTERNAL_ID));
    }

    private String outputVariablesProblem(Map<String, String> variables) {
        if (owner != ActionOwner.CUSTOM) {
            return "output variables are only allowed on custom actions; this is a "
                    + owner.apiName() + " action";
        }
        long bytes = 0;
        for (Map.Entry<String, String> e : variables.entrySet()) {
            if (!OUTPUT_VARIABLE_KEY.matcher(e.getKey()).matches()) {
                return "output variable key '" + e.getKey() + "' must match [A-Za-z0-9@\\-_]+";
            }
            bytes += e.getKey().getBytes(StandardCharsets.UTF_8).length
                    + (e.getValue() == null ? 0 : e.getValue().getBytes(StandardCharsets.UTF_8).length);
        }
        if (bytes > MAX_OUTPUT_VARIABLES_BYTES) {
            return "output variables take " + bytes + " bytes; the limit is " + MAX_OUTPUT_VARIABLES_BYTES;
        }
        return null;
    }

    private static String revisionProblem(CurrentRevision revision) {
        if (revision.revision().isEmpty() || revision.revision().length() > MAX_REVISION) {
            return "currentRevision.revision must be 1-" + MAX_REVISION + " characters, got "
                    + revision.revision().length();
        }
        if (revision.changeIdentifier().isEmpty() || revision.changeIdentifier().length() > MAX_CHANGE_IDENTIFIER) {
            return "currentRevision.changeIdentifier must be 1-" + MAX_CHANGE_IDENTIFIER + " characters, got "
                    + revision.changeIdentifier().length();
        }
        return null;
    }

    private static Integer percent(Integer percent) {
        return percent == null ? null : Math.max(0, Math.min(100, percent));
    }

    /** {@code value} cut to {@code max} characters with a marker, or {@code null} when absent or blank. */
    static String text(String value, int max) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (value.length() <= max) {
            return value;
        }
        int cut = max - TRUNCATION_MARKER.length();
        if (Character.isHighSurrogate(value.charAt(cut - 1))) {
            cut--;
        }
        return value.substring(0, cut) + TRUNCATION_MARKER;
    }
}

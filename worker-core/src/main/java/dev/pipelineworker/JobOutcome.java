package dev.pipelineworker;

import java.util.Map;
import java.util.Objects;

/**
 * What a {@link JobHandler} returns: the job succeeded, it should continue in a later job, or it
 * failed. Optional members are {@code null} when absent. The worker checks every outcome against
 * the CodePipeline limits before reporting it: long texts are truncated with a marker, and an
 * outcome that cannot be sent (an over-long continuation token, output variables on a third-party
 * job) is reported as a failure that says why.
 *
 * <p>Build outcomes with the static factories and the {@code with...} methods. The records'
 * canonical constructors are public because records must have them, but they gain a parameter
 * whenever a member is added; the factories and the {@code with...} methods stay as they are.
 */
public sealed interface JobOutcome {

    /** A short text for the console, or {@code null}. */
    String summary();

    /** The id of the work in the integrator's system, shown as a link in the console, or {@code null}. */
    String externalExecutionId();

    /** A success with no details. */
    static Success success() {
        return new Success(null, null, null, null, Map.of());
    }

    /** A success with a summary. */
    static Success success(String summary) {
        return success().withSummary(summary);
    }

    /** Ends this job and asks CodePipeline for another job of the same action execution carrying {@code token}. */
    static Continue continueWith(String token) {
        return new Continue(Objects.requireNonNull(token, "token"), null, null, null, null);
    }

    /**
     * Ends this job and asks for another carrying {@code state}, serialised with Jackson; the next job
     * reads it back with {@link JobContext#continuationState(Class)}.
     */
    static Continue continueWithState(Object state) {
        return new Continue(null, Objects.requireNonNull(state, "state"), null, null, null);
    }

    /** A failure of the given type. */
    static Fail fail(FailureType type, String message) {
        return new Fail(type, message, null);
    }

    /**
     * The job is done. {@code percentComplete} is 0-100 or {@code null}; {@code outputVariables} are
     * allowed on custom actions only.
     */
    record Success(String summary, String externalExecutionId, Integer percentComplete,
                   CurrentRevision currentRevision, Map<String, String> outputVariables) implements JobOutcome {
        public Success {
            outputVariables = outputVariables == null ? Map.of() : Map.copyOf(outputVariables);
        }

        /** This outcome with a summary. */
        public Success withSummary(String summary) {
            return new Success(summary, externalExecutionId, percentComplete, currentRevision, outputVariables);
        }

        /** This outcome with an external execution id. */
        public Success withExternalExecutionId(String id) {
            return new Success(summary, id, percentComplete, currentRevision, outputVariables);
        }

        /** This outcome with a completion percentage. */
        public Success withPercentComplete(Integer percent) {
            return new Success(summary, externalExecutionId, percent, currentRevision, outputVariables);
        }

        /** This outcome with the revision a source action produced. */
        public Success withCurrentRevision(CurrentRevision revision) {
            return new Success(summary, externalExecutionId, percentComplete, revision, outputVariables);
        }

        /** This outcome with output variables (custom actions only). */
        public Success withOutputVariables(Map<String, String> variables) {
            return new Success(summary, externalExecutionId, percentComplete, currentRevision, variables);
        }
    }

    /**
     * The job is still running elsewhere: CodePipeline ends this job and, about 30 seconds later,
     * creates a new job for the same action execution. Exactly one of {@code token} (sent as is)
     * and {@code state} (serialised with Jackson) is set.
     */
    record Continue(String token, Object state, String summary, String externalExecutionId, Integer percentComplete)
            implements JobOutcome {
        public Continue {
            if ((token == null) == (state == null)) {
                throw new IllegalArgumentException("a Continue carries either a token or a state, not both or neither");
            }
        }

        /** This outcome with a summary. */
        public Continue withSummary(String summary) {
            return new Continue(token, state, summary, externalExecutionId, percentComplete);
        }

        /** This outcome with an external execution id. */
        public Continue withExternalExecutionId(String id) {
            return new Continue(token, state, summary, id, percentComplete);
        }

        /** This outcome with a completion percentage. */
        public Continue withPercentComplete(Integer percent) {
            return new Continue(token, state, summary, externalExecutionId, percent);
        }

        @Override
        public String toString() {
            return "Continue[" + (token != null ? "token" : "state " + state.getClass().getSimpleName())
                    + ", summary=" + summary + ", externalExecutionId=" + externalExecutionId
                    + ", percentComplete=" + percentComplete + "]";
        }
    }

    /** The job failed. The message is what the console shows; it must carry no secrets. */
    record Fail(FailureType type, String message, String externalExecutionId) implements JobOutcome {
        public Fail {
            Objects.requireNonNull(type, "type");
        }

        /** This outcome with an external execution id. */
        public Fail withExternalExecutionId(String id) {
            return new Fail(type, message, id);
        }

        /** The message; failures have no separate summary. */
        @Override
        public String summary() {
            return message;
        }
    }
}

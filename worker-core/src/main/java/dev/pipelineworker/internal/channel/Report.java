package dev.pipelineworker.internal.channel;

import dev.pipelineworker.CurrentRevision;
import dev.pipelineworker.FailureType;
import dev.pipelineworker.internal.SharedInternal;
import java.util.Map;

/**
 * A result ready to send: every member already fits the CodePipeline model, and optional members
 * are {@code null} (or empty) when they are to be omitted.
 */
@SharedInternal
public sealed interface Report {

    /** A success, or a continuation when {@code continuationToken} is set. */
    record Success(String summary, String externalExecutionId, Integer percentComplete,
                   CurrentRevision currentRevision, String continuationToken,
                   Map<String, String> outputVariables) implements Report {
        public Success {
            outputVariables = outputVariables == null ? Map.of() : Map.copyOf(outputVariables);
        }

        /** Whether this ends the job with a continuation rather than a success. */
        public boolean isContinuation() {
            return continuationToken != null;
        }

        /** Whether any execution detail is present, which decides if the member is sent at all. */
        public boolean hasExecutionDetails() {
            return summary != null || externalExecutionId != null || percentComplete != null;
        }

        @Override
        public String toString() {
            return isContinuation() ? "continuation" : "success";
        }
    }

    /** A failure. */
    record Failure(FailureType type, String message, String externalExecutionId) implements Report {
        @Override
        public String toString() {
            return "failure(" + type.apiName() + ")";
        }
    }
}

package dev.pipelineworker.testkit.emulator;

import dev.pipelineworker.FailureType;
import dev.pipelineworker.testkit.LocalCodePipeline;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/** What became of one job: the result a worker put, or the emulator's timeout. */
public sealed interface RecordedResult {

    /** The job this result belongs to. */
    String jobId();

    /** The action execution the job belongs to; continuation jobs share it. */
    String actionExecutionId();

    /** When the result was recorded, by the emulator's clock. */
    Instant at();

    /** The job's region, whose callers alone may put its result. */
    String region();

    /** Whether this result ends the action execution (anything but a success carrying a continuation token). */
    boolean isFinal();

    /**
     * A success result ({@code PutJobSuccessResult} or {@code PutThirdPartyJobSuccessResult}).
     *
     * @param currentRevision   null when the worker sent none
     * @param continuationToken null unless the worker asked to be called again
     * @param executionDetails  null when the worker sent none
     * @param outputVariables   empty for third-party jobs and when none were sent
     * @param region            the job's region
     */
    record Success(
            String jobId,
            String actionExecutionId,
            Instant at,
            Revision currentRevision,
            String continuationToken,
            ExecutionDetails executionDetails,
            Map<String, String> outputVariables,
            String region) implements RecordedResult {

        /** Checks the members and copies the variables. */
        public Success {
            Objects.requireNonNull(jobId, "jobId");
            Objects.requireNonNull(actionExecutionId, "actionExecutionId");
            Objects.requireNonNull(at, "at");
            outputVariables = Map.copyOf(outputVariables);
            Objects.requireNonNull(region, "region");
        }

        /** A success in {@link LocalCodePipeline#DEFAULT_REGION}, as results were made before they had a region. */
        public Success(String jobId, String actionExecutionId, Instant at, Revision currentRevision,
                String continuationToken, ExecutionDetails executionDetails, Map<String, String> outputVariables) {
            this(jobId, actionExecutionId, at, currentRevision, continuationToken, executionDetails, outputVariables,
                    LocalCodePipeline.DEFAULT_REGION);
        }

        @Override
        public boolean isFinal() {
            return continuationToken == null;
        }
    }

    /**
     * A failure result ({@code PutJobFailureResult} or {@code PutThirdPartyJobFailureResult}).
     *
     * @param type                the {@code FailureDetails.type} the worker sent
     * @param externalExecutionId null when the worker sent none
     * @param region              the job's region
     */
    record Failure(
            String jobId,
            String actionExecutionId,
            Instant at,
            FailureType type,
            String message,
            String externalExecutionId,
            String region) implements RecordedResult {

        /** Checks the members. */
        public Failure {
            Objects.requireNonNull(jobId, "jobId");
            Objects.requireNonNull(actionExecutionId, "actionExecutionId");
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(region, "region");
        }

        /** A failure in {@link LocalCodePipeline#DEFAULT_REGION}, as results were made before they had a region. */
        public Failure(String jobId, String actionExecutionId, Instant at, FailureType type, String message,
                String externalExecutionId) {
            this(jobId, actionExecutionId, at, type, message, externalExecutionId, LocalCodePipeline.DEFAULT_REGION);
        }

        @Override
        public boolean isFinal() {
            return true;
        }
    }

    /**
     * The emulator's verdict for a job that got no result within the job timeout.
     *
     * @param region the job's region
     */
    record TimedOut(String jobId, String actionExecutionId, Instant at, String region) implements RecordedResult {

        /** Checks the members. */
        public TimedOut {
            Objects.requireNonNull(jobId, "jobId");
            Objects.requireNonNull(actionExecutionId, "actionExecutionId");
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(region, "region");
        }

        /** A timeout in {@link LocalCodePipeline#DEFAULT_REGION}, as results were made before they had a region. */
        public TimedOut(String jobId, String actionExecutionId, Instant at) {
            this(jobId, actionExecutionId, at, LocalCodePipeline.DEFAULT_REGION);
        }

        @Override
        public boolean isFinal() {
            return true;
        }
    }

    /**
     * The {@code currentRevision} of a success result.
     *
     * @param created         null when the worker sent none
     * @param revisionSummary null when the worker sent none
     */
    record Revision(String revision, String changeIdentifier, Instant created, String revisionSummary) {
    }

    /**
     * The {@code executionDetails} of a success result; every member is null when the worker sent none.
     */
    record ExecutionDetails(String summary, String externalExecutionId, Integer percentComplete) {
    }
}

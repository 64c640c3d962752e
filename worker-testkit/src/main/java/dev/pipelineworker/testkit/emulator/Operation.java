package dev.pipelineworker.testkit.emulator;

import java.util.Arrays;
import java.util.Optional;

/** The CodePipeline operations the emulator serves (the job operations, the action type ones and a few pipeline ones), with their wire names. */
public enum Operation {
    POLL_FOR_THIRD_PARTY_JOBS("PollForThirdPartyJobs"),
    GET_THIRD_PARTY_JOB_DETAILS("GetThirdPartyJobDetails"),
    ACKNOWLEDGE_THIRD_PARTY_JOB("AcknowledgeThirdPartyJob"),
    PUT_THIRD_PARTY_JOB_SUCCESS_RESULT("PutThirdPartyJobSuccessResult"),
    PUT_THIRD_PARTY_JOB_FAILURE_RESULT("PutThirdPartyJobFailureResult"),
    POLL_FOR_JOBS("PollForJobs"),
    ACKNOWLEDGE_JOB("AcknowledgeJob"),
    GET_JOB_DETAILS("GetJobDetails"),
    PUT_JOB_SUCCESS_RESULT("PutJobSuccessResult"),
    PUT_JOB_FAILURE_RESULT("PutJobFailureResult"),
    GET_ACTION_TYPE("GetActionType"),
    LIST_ACTION_TYPES("ListActionTypes"),
    CREATE_CUSTOM_ACTION_TYPE("CreateCustomActionType"),
    UPDATE_ACTION_TYPE("UpdateActionType"),
    STOP_PIPELINE_EXECUTION("StopPipelineExecution"),
    LIST_ACTION_EXECUTIONS("ListActionExecutions");

    private final String wireName;

    Operation(String wireName) {
        this.wireName = wireName;
    }

    /** The name in the {@code X-Amz-Target} header, e.g. {@code PollForJobs}. */
    public String wireName() {
        return wireName;
    }

    /** The operation with this wire name, or empty for an operation the emulator does not serve. */
    public static Optional<Operation> fromWireName(String wireName) {
        return Arrays.stream(values()).filter(op -> op.wireName.equals(wireName)).findFirst();
    }
}

package dev.pipelineworker;

import java.util.Arrays;
import java.util.Optional;

/** The reason a job failed, as CodePipeline's {@code FailureDetails.type} spells it. */
public enum FailureType {
    JOB_FAILED("JobFailed"),
    CONFIGURATION_ERROR("ConfigurationError"),
    PERMISSION_ERROR("PermissionError"),
    REVISION_OUT_OF_SYNC("RevisionOutOfSync"),
    REVISION_UNAVAILABLE("RevisionUnavailable"),
    SYSTEM_UNAVAILABLE("SystemUnavailable");

    private final String apiName;

    FailureType(String apiName) {
        this.apiName = apiName;
    }

    /** The name the CodePipeline API uses, for example {@code JobFailed}. */
    public String apiName() {
        return apiName;
    }

    /** Finds the type by its API name, matched exactly. */
    public static Optional<FailureType> fromApiName(String name) {
        return Arrays.stream(values()).filter(t -> t.apiName.equals(name)).findFirst();
    }
}

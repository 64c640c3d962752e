package dev.pipelineworker;

/** The category of a CodePipeline action type. */
public enum ActionCategory {
    SOURCE("Source"),
    BUILD("Build"),
    DEPLOY("Deploy"),
    TEST("Test"),
    INVOKE("Invoke"),
    APPROVAL("Approval"),
    COMPUTE("Compute");

    private final String apiName;

    ActionCategory(String apiName) {
        this.apiName = apiName;
    }

    /** The name the CodePipeline API uses, for example {@code Build}. */
    public String apiName() {
        return apiName;
    }

    /** Finds the category by its API name, ignoring case. */
    public static ActionCategory fromApiName(String name) {
        for (ActionCategory c : values()) {
            if (c.apiName.equalsIgnoreCase(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown action category '" + name
                + "'; expected one of Source, Build, Deploy, Test, Invoke, Approval, Compute");
    }
}

package dev.pipelineworker;

/**
 * Who owns an action type, which decides the job APIs a worker uses: third-party actions use the
 * {@code *ThirdPartyJob*} calls with a client token, custom actions the plain {@code *Job*} calls.
 */
public enum ActionOwner {
    THIRD_PARTY("ThirdParty"),
    CUSTOM("Custom");

    private final String apiName;

    ActionOwner(String apiName) {
        this.apiName = apiName;
    }

    /** The name the CodePipeline API uses, for example {@code ThirdParty}. */
    public String apiName() {
        return apiName;
    }

    /** Finds the owner by its API name, ignoring case. */
    public static ActionOwner fromApiName(String name) {
        for (ActionOwner o : values()) {
            if (o.apiName.equalsIgnoreCase(name)) {
                return o;
            }
        }
        throw new IllegalArgumentException("unknown action owner '" + name + "'; expected ThirdParty or Custom");
    }
}

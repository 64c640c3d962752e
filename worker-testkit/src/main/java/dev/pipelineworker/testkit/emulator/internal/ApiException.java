package dev.pipelineworker.testkit.emulator.internal;

/** An error the emulator answers the way the service does: HTTP 400 with this {@code __type} and message. */
public final class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String type;

    /** An error of this wire type; the message must never hold a secret. */
    public ApiException(String type, String message) {
        super(message, null, false, false);
        this.type = type;
    }

    /** The {@code __type} the SDK maps to its exception class. */
    public String type() {
        return type;
    }

    /** The service's answer to a poll for an action type it does not know. */
    static ApiException actionTypeNotFound(String category, String owner, String provider, String version) {
        return new ApiException("ActionTypeNotFoundException", "ActionType (Category: '" + category
                + "', Provider: '" + provider + "', Version: '" + version + "', Owner: '" + owner
                + "') does not exist");
    }
}

package dev.pipelineworker;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Identifies the action type a worker serves: category, owner, provider and version, validated
 * against the CodePipeline model (provider 1-35 and version 1-9 characters of {@code [0-9A-Za-z_-]}).
 *
 * <p>Build one with {@link #thirdParty(ActionCategory, String, String)} or
 * {@link #custom(ActionCategory, String, String)}. The canonical constructor is public because
 * records must have it, but it would gain a parameter if a member were added; the factories would not.
 */
public record ActionTypeId(ActionCategory category, ActionOwner owner, String provider, String version) {

    private static final Pattern NAME = Pattern.compile("[0-9A-Za-z_-]+");

    public ActionTypeId {
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(owner, "owner");
        check("provider", provider, 35);
        check("version", version, 9);
    }

    /** A third-party action type. */
    public static ActionTypeId thirdParty(ActionCategory category, String provider, String version) {
        return new ActionTypeId(category, ActionOwner.THIRD_PARTY, provider, version);
    }

    /** A custom action type. */
    public static ActionTypeId custom(ActionCategory category, String provider, String version) {
        return new ActionTypeId(category, ActionOwner.CUSTOM, provider, version);
    }

    private static void check(String field, String value, int max) {
        if (value == null || value.length() > max || !NAME.matcher(value).matches()) {
            throw new IllegalArgumentException("actionTypeId." + field + " must be 1-" + max
                    + " characters of [0-9A-Za-z_-], got '" + value + "'");
        }
    }

    @Override
    public String toString() {
        return category.apiName() + "/" + owner.apiName() + "/" + provider + "/" + version;
    }
}

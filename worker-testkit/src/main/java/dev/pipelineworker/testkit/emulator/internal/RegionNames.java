package dev.pipelineworker.testkit.emulator.internal;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The shape of an AWS region name, checked where a test names a region, so that a typo such as {@code us-east}
 * or {@code EU_WEST_1} fails at once instead of leaving a job in a region no client signs for. No list of regions:
 * any name of the shape is served, as new regions appear.
 */
public final class RegionNames {

    private static final Pattern REGION = Pattern.compile("[a-z]{2,}(-[a-z0-9]+)*-[0-9]+");

    private RegionNames() {
    }

    /** The name, if it has the shape of a region name such as {@code eu-west-1}; otherwise an exception. */
    public static String requireValid(String region, String what) {
        Objects.requireNonNull(region, what);
        if (!REGION.matcher(region).matches()) {
            throw new IllegalArgumentException(what + " must be a region name such as eu-west-1, got '" + region
                    + "'");
        }
        return region;
    }
}

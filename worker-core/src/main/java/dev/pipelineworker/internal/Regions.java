package dev.pipelineworker.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.RegionMetadata;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/**
 * Region names as a worker's configuration gives them: checked for their form (no list of regions is kept here,
 * so a region newer than this release is served), for duplicates, and against the SDK's own metadata, whose
 * gaps are only warned about.
 */
public final class Regions {

    private static final Logger LOG = LoggerFactory.getLogger(Regions.class);
    // us-east-1, eu-central-2, us-gov-west-1, cn-northwest-1, us-isob-east-1, eusc-de-east-1 ...
    private static final Pattern NAME = Pattern.compile("[a-z]{2,4}(-[a-z0-9]+)+-[0-9]{1,2}");

    private Regions() {
    }

    /** The regions named by {@code names}, for the setting {@code field}; throws naming the bad value. */
    public static List<Region> parse(String field, List<String> names) {
        if (names.isEmpty()) {
            throw new IllegalArgumentException(field + " must name at least one region");
        }
        Set<String> seen = new HashSet<>();
        List<Region> regions = new ArrayList<>();
        for (String name : names) {
            if (name == null || !NAME.matcher(name).matches()) {
                throw new IllegalArgumentException(field + ": '" + name + "' is not a region name (such as us-east-1 "
                        + "or eu-west-2: lower case, letters and digits between dashes, ending in a number)");
            }
            if (!seen.add(name)) {
                throw new IllegalArgumentException(field + ": region " + name + " is named twice");
            }
            Region region = Region.of(name);
            if (RegionMetadata.of(region) == null) {
                LOG.warn("region {} is not known to this AWS SDK version; it is served as named", name);
            }
            regions.add(region);
        }
        return List.copyOf(regions);
    }

    /** The region of the SDK's default chain ({@code AWS_REGION}, the profile, instance metadata). */
    public static Region fromDefaultChain() {
        try {
            return DefaultAwsRegionProviderChain.builder().build().getRegion();
        } catch (SdkClientException e) {
            throw new IllegalStateException("no AWS region to serve: set AWS_REGION, a profile region, or "
                    + "JobWorker.Builder.regions(...)", e);
        }
    }
}

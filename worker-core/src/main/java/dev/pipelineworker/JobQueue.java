package dev.pipelineworker;

import java.util.Objects;
import software.amazon.awssdk.regions.Region;

/**
 * One queue a worker serves: an action type in a region. CodePipeline's job APIs are regional, and a job runs in
 * its pipeline's region, so a worker that serves its action in several regions, or several versions of it, polls
 * one queue for each pair. Build one with {@link #of(ActionTypeId, Region)}.
 *
 * @param actionType what the queue's jobs are
 * @param region     where they are
 */
public record JobQueue(ActionTypeId actionType, Region region) {

    public JobQueue {
        Objects.requireNonNull(actionType, "actionType");
        Objects.requireNonNull(region, "region");
    }

    /** The queue of {@code actionType} in {@code region}; the stable way to build one. */
    public static JobQueue of(ActionTypeId actionType, Region region) {
        return new JobQueue(actionType, region);
    }

    /**
     * The queue as one string, {@code Owner/Category/Provider/Version@region}, e.g.
     * {@code ThirdParty/Build/MyTool/1@eu-west-1}: how logs name it and the journal records it.
     */
    public String id() {
        return actionType.owner().apiName() + "/" + actionType.category().apiName() + "/" + actionType.provider()
                + "/" + actionType.version() + "@" + region.id();
    }

    @Override
    public String toString() {
        return id();
    }
}

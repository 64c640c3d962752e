package dev.pipelineworker.actiontype;

import dev.pipelineworker.internal.ActionTypeLimits;

/**
 * How many input or output artifacts an action of the type takes: from {@code minimum} to {@code maximum}, both
 * within 0-5 as CodePipeline allows. Build one with {@link #of(int, int)}, {@link #exactly(int)} or
 * {@link #none()}.
 *
 * @param minimum the fewest artifacts a pipeline may give the action
 * @param maximum the most
 */
public record ArtifactCount(int minimum, int maximum) {

    public ArtifactCount {
        ActionTypeLimits.checkArtifactCount("artifact count", minimum, maximum);
    }

    /** From {@code minimum} to {@code maximum} artifacts. */
    public static ArtifactCount of(int minimum, int maximum) {
        return new ArtifactCount(minimum, maximum);
    }

    /** Exactly {@code count} artifacts. */
    public static ArtifactCount exactly(int count) {
        return new ArtifactCount(count, count);
    }

    /** No artifacts. */
    public static ArtifactCount none() {
        return new ArtifactCount(0, 0);
    }

    @Override
    public String toString() {
        return minimum == maximum ? Integer.toString(minimum) : minimum + "-" + maximum;
    }
}

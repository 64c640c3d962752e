package dev.pipelineworker;

import java.util.Objects;

/**
 * An input or output artifact of a job: its name, where it lives, and (for inputs) the source
 * revision it was built from, {@code null} when CodePipeline sent none.
 *
 * <p>Build one with {@link #of(String, S3Location)} and {@link #withRevision(String)}. The canonical
 * constructor is public because records must have it, but it gains a parameter whenever a member
 * is added; the factory and the {@code with...} method stay as they are.
 */
public record Artifact(String name, S3Location location, String revision) {
    public Artifact {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(location, "location");
    }

    /** An artifact with no revision. */
    public static Artifact of(String name, S3Location location) {
        return new Artifact(name, location, null);
    }

    /** This artifact with the source revision it was built from, or {@code null} for none. */
    public Artifact withRevision(String revision) {
        return new Artifact(name, location, revision);
    }
}

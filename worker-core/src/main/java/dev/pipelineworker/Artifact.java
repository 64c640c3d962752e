package dev.pipelineworker;

import java.util.Objects;
import java.util.Optional;

/** An input or output artifact of a job: its name, where it lives, and (for inputs) its revision. */
public record Artifact(String name, S3Location location, String revision) {
    public Artifact {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(location, "location");
    }

    /** The source revision the artifact was built from, when CodePipeline sent one. */
    public Optional<String> revisionId() {
        return Optional.ofNullable(revision);
    }
}

package dev.pipelineworker;

import java.time.Instant;
import java.util.Objects;

/**
 * The revision a source action reports with its success: {@code revision} (1-1500 characters) and
 * {@code changeIdentifier} (1-100) are required; {@code created} and {@code revisionSummary}
 * (1-2048) are optional and may be {@code null}.
 *
 * <p>Build one with {@link #of(String, String)} and the {@code with...} methods. The canonical
 * constructor is public because records must have it, but it gains a parameter whenever a member
 * is added; the factory and the {@code with...} methods stay as they are.
 */
public record CurrentRevision(String revision, String changeIdentifier, Instant created, String revisionSummary) {
    public CurrentRevision {
        Objects.requireNonNull(revision, "revision");
        Objects.requireNonNull(changeIdentifier, "changeIdentifier");
    }

    /** A revision with only the required members. */
    public static CurrentRevision of(String revision, String changeIdentifier) {
        return new CurrentRevision(revision, changeIdentifier, null, null);
    }

    /** This revision with the time it was created, or {@code null} for none. */
    public CurrentRevision withCreated(Instant created) {
        return new CurrentRevision(revision, changeIdentifier, created, revisionSummary);
    }

    /** This revision with a summary, or {@code null} for none. */
    public CurrentRevision withRevisionSummary(String revisionSummary) {
        return new CurrentRevision(revision, changeIdentifier, created, revisionSummary);
    }
}

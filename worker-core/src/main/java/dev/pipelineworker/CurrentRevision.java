package dev.pipelineworker;

import java.time.Instant;
import java.util.Objects;

/**
 * The revision a source action reports with its success: {@code revision} (1-1500 characters) and
 * {@code changeIdentifier} (1-100) are required; {@code created} and {@code revisionSummary}
 * (1-2048) are optional and may be {@code null}.
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
}

package dev.pipelineworker;

/**
 * Limits that protect zip extraction from archive bombs. The defaults are 100,000 entries,
 * 8 GiB uncompressed in all, and a compression ratio of 200:1 for any entry larger than 1 MiB.
 *
 * <p>Start from {@link #defaults()} and change what differs with the {@code with...} methods. The
 * canonical constructor is public because records must have it, but it gains a parameter whenever
 * a limit is added; {@code defaults()} and the {@code with...} methods stay as they are.
 */
public record ZipLimits(int maxEntries, long maxTotalUncompressedBytes, int maxCompressionRatio) {

    /** Entries at or below this size are exempt from the ratio check: tiny files compress extremely well. */
    public static final long RATIO_CHECK_THRESHOLD_BYTES = 1L << 20;

    private static final ZipLimits DEFAULTS = new ZipLimits(100_000, 8L << 30, 200);

    public ZipLimits {
        if (maxEntries < 1 || maxTotalUncompressedBytes < 1 || maxCompressionRatio < 1) {
            throw new IllegalArgumentException("zip limits must be positive");
        }
    }

    /** 100,000 entries, 8 GiB, 200:1. */
    public static ZipLimits defaults() {
        return DEFAULTS;
    }

    /** These limits with another maximum number of entries (at least 1). */
    public ZipLimits withMaxEntries(int maxEntries) {
        return new ZipLimits(maxEntries, maxTotalUncompressedBytes, maxCompressionRatio);
    }

    /** These limits with another maximum for the uncompressed size of all entries together (at least 1 byte). */
    public ZipLimits withMaxTotalUncompressedBytes(long maxTotalUncompressedBytes) {
        return new ZipLimits(maxEntries, maxTotalUncompressedBytes, maxCompressionRatio);
    }

    /** These limits with another maximum compression ratio for entries above 1 MiB (at least 1). */
    public ZipLimits withMaxCompressionRatio(int maxCompressionRatio) {
        return new ZipLimits(maxEntries, maxTotalUncompressedBytes, maxCompressionRatio);
    }
}

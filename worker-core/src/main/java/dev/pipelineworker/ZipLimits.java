package dev.pipelineworker;

/**
 * Limits that protect zip extraction from archive bombs. The defaults are 100,000 entries,
 * 8 GiB uncompressed in all, and a compression ratio of 200:1 for any entry larger than 1 MiB.
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
}

package dev.pipelineworker.internal.archive;

import java.util.Arrays;
import java.util.zip.Deflater;

/**
 * Deflates one chunk of an entry independently of the others, pigz-style: the previous chunk's
 * last 32 KiB is the preset dictionary (so matches reach back across the boundary as in one
 * stream) and a sync flush ends the chunk on a byte boundary. Concatenated in order, the chunks
 * followed by {@link #FINAL_BLOCK} are one valid raw deflate stream.
 */
final class ChunkDeflater {

    /** Deflate's window: the most a match can reach back, so all of the dictionary that matters. */
    static final int WINDOW = 32 * 1024;
    /** An empty final block with fixed codes (BFINAL=1, BTYPE=01, end-of-block): ends the stream. */
    static final byte[] FINAL_BLOCK = {0x03, 0x00};

    private ChunkDeflater() {
    }

    /** The raw deflate bytes of {@code input[0, length)}, with {@code dictionary} (empty for the first chunk). */
    static byte[] deflate(byte[] input, int length, byte[] dictionary) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        try {
            if (dictionary.length > 0) {
                deflater.setDictionary(dictionary);
            }
            deflater.setInput(input, 0, length);
            byte[] output = new byte[length / 2 + 64];
            int written = 0;
            while (true) {
                written += deflater.deflate(output, written, output.length - written, Deflater.SYNC_FLUSH);
                if (written < output.length) {
                    return Arrays.copyOf(output, written);
                }
                output = Arrays.copyOf(output, output.length * 2);
            }
        } finally {
            deflater.end();
        }
    }

    /** The last {@link #WINDOW} bytes of {@code input[0, length)}: the next chunk's dictionary. */
    static byte[] tail(byte[] input, int length) {
        return Arrays.copyOfRange(input, Math.max(0, length - WINDOW), length);
    }
}

package dev.pipelineworker.internal.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;

/** Chunks deflated apart and concatenated are one raw deflate stream, with matches across the boundary. */
class ChunkDeflaterTest {

    @Test
    void chunksConcatenatedWithTheFinalBlockInflateToTheInput() throws DataFormatException {
        byte[] input = DirectoryZipperTest.sourceLike(new Random(1), 300_000);
        byte[] first = Arrays.copyOf(input, 100_000);
        byte[] second = Arrays.copyOfRange(input, 100_000, 300_000);

        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        stream.writeBytes(ChunkDeflater.deflate(first, first.length, new byte[0]));
        stream.writeBytes(ChunkDeflater.deflate(second, second.length, ChunkDeflater.tail(first, first.length)));
        stream.writeBytes(ChunkDeflater.FINAL_BLOCK);

        assertThat(inflate(stream.toByteArray(), input.length)).isEqualTo(input);
    }

    @Test
    void thePreviousChunksTailIsTheDictionary() {
        byte[] previous = new byte[100_000];
        new Random(2).nextBytes(previous);
        byte[] repeat = Arrays.copyOfRange(previous, previous.length - 16_000, previous.length);

        byte[] dictionary = ChunkDeflater.tail(previous, previous.length);
        int with = ChunkDeflater.deflate(repeat, repeat.length, dictionary).length;
        int without = ChunkDeflater.deflate(repeat, repeat.length, new byte[0]).length;

        assertThat(dictionary).isEqualTo(Arrays.copyOfRange(previous, previous.length - ChunkDeflater.WINDOW,
                previous.length));
        assertThat(ChunkDeflater.tail(previous, 10)).isEqualTo(Arrays.copyOf(previous, 10));
        assertThat(with).isLessThan(without / 20);
    }

    @Test
    void incompressibleInputOutgrowsTheFirstOutputBuffer() throws DataFormatException {
        byte[] noise = new byte[50_000];
        new Random(3).nextBytes(noise);

        byte[] deflated = ChunkDeflater.deflate(noise, noise.length, new byte[0]);
        byte[] stream = Arrays.copyOf(deflated, deflated.length + 2);
        System.arraycopy(ChunkDeflater.FINAL_BLOCK, 0, stream, deflated.length, 2);

        assertThat(deflated.length).isGreaterThan(noise.length);
        assertThat(inflate(stream, noise.length)).isEqualTo(noise);
    }

    private static byte[] inflate(byte[] raw, int size) throws DataFormatException {
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(raw);
            byte[] out = new byte[size + 1];
            int n = 0;
            while (!inflater.finished() && n < out.length) {
                n += inflater.inflate(out, n, out.length - n);
            }
            assertThat(inflater.finished()).isTrue();
            return Arrays.copyOf(out, n);
        } finally {
            inflater.end();
        }
    }
}

package dev.pipelineworker.internal.archive;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Where a zip's headers stand in its bytes, for tests that make an archive lie. */
final class ZipBytes {

    private static final int CENTRAL_HEADER_SIGNATURE = 0x02014b50;
    private static final int LOCAL_HEADER_SIGNATURE = 0x04034b50;

    private ZipBytes() {
    }

    static int dataOffset(byte[] zip, int index) {
        int local = localHeader(zip, index);
        ByteBuffer buffer = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        return local + 30 + buffer.getShort(local + 26) + buffer.getShort(local + 28);
    }

    static int localHeader(byte[] zip, int index) {
        return nth(zip, LOCAL_HEADER_SIGNATURE, index);
    }

    static int centralHeader(byte[] zip, int index) {
        return nth(zip, CENTRAL_HEADER_SIGNATURE, index);
    }

    static int nth(byte[] zip, int signature, int index) {
        ByteBuffer buffer = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        int seen = 0;
        for (int i = 0; i + 4 <= zip.length; i++) {
            if (buffer.getInt(i) == signature && seen++ == index) {
                return i;
            }
        }
        throw new AssertionError("no header " + index);
    }
}

package dev.pipelineworker.testkit.emulator.internal;

import java.util.Random;
import java.util.UUID;

/** Identifiers drawn from the emulator's injectable random source, so a seeded run repeats itself. */
final class Ids {

    private Ids() {
    }

    /** A lower-case version-4 UUID, the shape of CodePipeline job ids and client ids. */
    static String uuid(Random random) {
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }
}

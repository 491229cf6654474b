package dev.hpsweep.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SplitMix64Test {

    @Test
    void seedZeroGivesTheReferenceSequence() {
        // Outputs of the reference splitmix64.c (Vigna) started from x = 0.
        SplitMix64 rng = new SplitMix64(0);
        assertEquals(0xE220A8397B1DCDAFL, rng.nextLong());
        assertEquals(0x6E789E6AA1B965F4L, rng.nextLong());
        assertEquals(0x06C45D188009454FL, rng.nextLong());
    }

    @Test
    void rawLongsMatchSplittableRandom() {
        SplitMix64 ours = new SplitMix64(42);
        SplittableRandom jdk = new SplittableRandom(42);
        for (int i = 0; i < 1000; i++) {
            assertEquals(jdk.nextLong(), ours.nextLong());
        }
    }

    @Test
    void nextDoubleStaysInTheUnitInterval() {
        SplitMix64 rng = new SplitMix64(7);
        for (int i = 0; i < 10_000; i++) {
            double d = rng.nextDouble();
            assertTrue(d >= 0 && d < 1, "draw " + d);
        }
    }

    @Test
    void boundedDrawsAreRoughlyUniform() {
        SplitMix64 rng = new SplitMix64(1);
        int[] counts = new int[10];
        for (int i = 0; i < 100_000; i++) {
            counts[rng.nextInt(10)]++;
        }
        for (int c : counts) {
            assertTrue(c > 9_500 && c < 10_500, "bucket count " + c);
        }
    }

    @Test
    void nonPositiveBoundIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new SplitMix64(1).nextLong(0));
    }
}

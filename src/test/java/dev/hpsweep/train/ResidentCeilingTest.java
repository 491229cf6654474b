package dev.hpsweep.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Above the ceiling a collection runs; still above once it settled, the trial's thread fails with an OutOfMemoryError. */
class ResidentCeilingTest {
    static final long MB = 1L << 20;

    @Test
    void belowTheCeilingNothingHappensAndTheResidentSizeIsReadAtMostOncePerInterval() {
        AtomicInteger reads = new AtomicInteger();
        AtomicInteger collections = new AtomicInteger();
        ResidentCeiling c = new ResidentCeiling(100 * MB, () -> {
            reads.incrementAndGet();
            return 50 * MB;
        }, collections::incrementAndGet);
        c.check(0);
        c.check(ResidentCeiling.INTERVAL_NANOS - 1);
        assertEquals(1, reads.get());
        c.check(ResidentCeiling.INTERVAL_NANOS);
        assertEquals(2, reads.get());
        assertEquals(0, collections.get());
    }

    @Test
    void aboveTheCeilingACollectionRunsAndWhatItFreesIsEnough() {
        AtomicLong rss = new AtomicLong(150 * MB);
        AtomicInteger collections = new AtomicInteger();
        ResidentCeiling c = new ResidentCeiling(100 * MB, rss::get, () -> {
            collections.incrementAndGet();
            rss.set(80 * MB);
        });
        c.check(0);
        assertEquals(1, collections.get());
    }

    @Test
    void stillAboveAfterTheCollectionTheCallerGetsAnOutOfMemoryErrorThatSaysWhy() {
        AtomicInteger collections = new AtomicInteger();
        ResidentCeiling c = new ResidentCeiling(100 * MB, () -> 300 * MB, collections::incrementAndGet);
        OutOfMemoryError e = assertThrows(OutOfMemoryError.class, () -> c.check(0));
        assertEquals(1, collections.get());
        assertTrue(e.getMessage().contains("resident memory 300 MB is above hpsweep's ceiling of 100 MB"), e.getMessage());
    }

    @Test
    void noCeilingMeansNoReadsAndThisProcessHasAResidentSize() {
        ResidentCeiling c = new ResidentCeiling(0, () -> {
            throw new AssertionError("read without a ceiling");
        }, () -> { });
        c.check(0);
        assertTrue(ResidentCeiling.residentBytes() > MB, "VmRSS of this JVM");
    }
}

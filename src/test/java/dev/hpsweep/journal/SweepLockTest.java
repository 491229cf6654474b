package dev.hpsweep.journal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepLockTest {
    @TempDir
    Path dir;

    @Test
    void closingTwiceIsHarmlessSoACloseInFinallyCannotReplaceAnEarlierError() {
        SweepLock lock = SweepLock.acquire("s", dir.resolve("s"));
        lock.close();
        lock.close();
    }

    @Test
    void aSecondAcquireFailsWhileTheFirstHoldsTheSweep() {
        try (SweepLock held = SweepLock.acquire("s", dir.resolve("s"))) {
            assertThrows(SweepLock.SweepLockedException.class, () -> SweepLock.acquire("s", dir.resolve("s")));
        }
    }

    @Test
    void isHeldWhileALockIsTakenAndNotAfterwardsNorWithoutALockFile() throws Exception {
        Path sweep = dir.resolve("s");
        assertFalse(SweepLock.isHeld(sweep));
        try (SweepLock held = SweepLock.acquire("s", sweep)) {
            assertTrue(SweepLock.isHeld(sweep));
        }
        assertFalse(SweepLock.isHeld(sweep));
        assertTrue(Files.exists(sweep.resolve(".lock")));
        SweepLock.acquire("s", sweep).close();
    }
}

package dev.hpsweep.journal;

import static org.junit.jupiter.api.Assertions.assertThrows;

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
}

package dev.hpsweep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ConcurrencyTest {
    @Test
    void trialsTimesThreadsUpToTheCoresIsNoWarning() {
        assertTrue(Concurrency.oversubscribed(2, 1, 2).isEmpty());
        assertTrue(Concurrency.oversubscribed(1, 4, 4).isEmpty());
    }

    @Test
    void trialsTimesThreadsAboveTheCoresIsAWarningWithTheNumbers() {
        assertEquals("2 trials at a time x 3 native threads each = 6 threads, but this machine has 4 cores: the trials "
                + "will slow each other down. Lower max_concurrent_trials (or --max-concurrent) or threads_per_trial so "
                + "that their product is at most 4",
            Concurrency.oversubscribed(2, 3, 4).orElseThrow());
    }
}

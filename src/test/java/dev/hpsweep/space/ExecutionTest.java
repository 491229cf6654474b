package dev.hpsweep.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ExecutionTest {

    @Test
    void setConcurrencyIsUsedAsIs() {
        assertEquals(3, new Execution(3, 4, 0, 2).resolvedConcurrency(2));
    }

    @Test
    void unsetConcurrencyFillsTheCoresWithThreadsPerTrial() {
        assertEquals(4, new Execution(0, 2, 0, 2).resolvedConcurrency(8));
    }

    @Test
    void unsetConcurrencyIsAtLeastOne() {
        assertEquals(1, new Execution(0, 4, 0, 2).resolvedConcurrency(2));
    }

    @Test
    void defaultsRunOneThreadPerTrialAndKeepTwoCheckpoints() {
        assertEquals(new Execution(0, 1, 0, 2), Execution.DEFAULTS);
    }

    @Test
    void zeroThreadsPerTrialIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Execution(0, 0, 0, 2));
    }
}

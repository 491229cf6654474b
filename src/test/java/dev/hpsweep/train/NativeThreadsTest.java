package dev.hpsweep.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/** threads_per_trial reaches OpenMP (oneDNN's threads) on each thread that runs ND4J work, not only the one that set it. */
class NativeThreadsTest {
    @Test
    void aThreadOpeningItsFirstScopeTakesTheConfiguredOpenMpThreads() throws Exception {
        Nd4j.getExecutioner();
        var ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
        AtomicInteger before = new AtomicInteger();
        AtomicInteger inside = new AtomicInteger();
        try {
            NativeThreads.configure(2);
            Thread t = new Thread(() -> {
                before.set(ops.ompGetMaxThreads());
                try (Nd4jRuntime.Scope s = Nd4jRuntime.ops()) {
                    inside.set(ops.ompGetMaxThreads());
                }
            });
            t.start();
            t.join();
            assertEquals(1, before.get(), "a new thread starts at OMP_NUM_THREADS (1 in the tests, as in bin/hpsweep)");
            assertEquals(2, inside.get(), "threads_per_trial: 2 inside its ND4J work");
        } finally {
            NativeThreads.configure(1);
        }
    }
}

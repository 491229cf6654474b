package dev.hpsweep.train;

import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Caps the native threads one ND4J operation may use: libnd4j's own thread pool, the BLAS, and
 * OpenMP, which oneDNN's kernels use. The first two caps are process-wide, which is right for a
 * sweep: every trial has the same threads_per_trial. OpenMP's is per calling thread (its default
 * is OMP_NUM_THREADS, which the launcher sets to 1), so each thread that runs ND4J work applies it
 * when it opens its outermost {@link Nd4jRuntime#ops()} scope.
 */
public final class NativeThreads {
    private static volatile int configured;
    private static final ThreadLocal<int[]> APPLIED = ThreadLocal.withInitial(() -> new int[1]);

    private NativeThreads() {
    }

    public static void configure(int threadsPerTrial) {
        if (threadsPerTrial < 1) {
            throw new IllegalArgumentException("threads_per_trial >= 1 must hold, but got " + threadsPerTrial);
        }
        Nd4j.getEnvironment().setMaxThreads(threadsPerTrial);
        Nd4j.getEnvironment().setMaxMasterThreads(threadsPerTrial);
        Nd4j.factory().blas().setMaxThreads(threadsPerTrial);
        configured = threadsPerTrial;
        onThisThread();
    }

    /** Applies the configured cap to the calling thread's OpenMP, once per thread and value. */
    static void onThisThread() {
        int want = configured;
        int[] applied = APPLIED.get();
        if (want > 0 && applied[0] != want) {
            NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(want);
            applied[0] = want;
        }
    }
}

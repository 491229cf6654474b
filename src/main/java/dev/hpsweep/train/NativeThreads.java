package dev.hpsweep.train;

import org.nd4j.linalg.factory.Nd4j;

/**
 * Caps the native threads one ND4J operation may use (OpenMP in libnd4j, and the BLAS). The cap
 * is process-wide, which is right for a sweep: every trial has the same threads_per_trial.
 */
public final class NativeThreads {
    private NativeThreads() {
    }

    public static void configure(int threadsPerTrial) {
        if (threadsPerTrial < 1) {
            throw new IllegalArgumentException("threads_per_trial >= 1 must hold, but got " + threadsPerTrial);
        }
        Nd4j.getEnvironment().setMaxThreads(threadsPerTrial);
        Nd4j.getEnvironment().setMaxMasterThreads(threadsPerTrial);
        Nd4j.factory().blas().setMaxThreads(threadsPerTrial);
    }
}

package dev.hpsweep.cli;

import dev.hpsweep.space.InputException;

/** How many trials run at once: --max-concurrent, else the file's setting, else cores / threads_per_trial. */
final class Concurrency {
    private Concurrency() {
    }

    static int resolve(Integer maxConcurrent, SweepInputs in) {
        if (maxConcurrent != null && maxConcurrent < 1) {
            throw new InputException("--max-concurrent", 0, 0, null, "must be >= 1, but got " + maxConcurrent);
        }
        int cores = Runtime.getRuntime().availableProcessors();
        int n = maxConcurrent != null ? maxConcurrent : in.space().execution().resolvedConcurrency(cores);
        int planned = Math.max(in.trials().size(), in.space().search().maxTrials());
        return Math.max(1, Math.min(n, planned));
    }
}

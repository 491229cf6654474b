package dev.hpsweep.cli;

import dev.hpsweep.space.InputException;
import java.util.Locale;
import java.util.Optional;

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

    /**
     * A warning when {@code concurrency} trials of {@code threads} native threads each ask for more
     * threads than the machine has {@code cores}; empty when they fit.
     */
    static Optional<String> oversubscribed(int concurrency, int threads, int cores) {
        long wanted = (long) concurrency * threads;
        if (wanted <= cores) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT, "%d trials at a time x %d native threads each = %d threads, but "
            + "this machine has %d cores: the trials will slow each other down. Lower max_concurrent_trials "
            + "(or --max-concurrent) or threads_per_trial so that their product is at most %d", concurrency, threads,
            wanted, cores, cores));
    }
}

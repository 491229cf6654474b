package dev.hpsweep.space;

/**
 * How a sweep uses the machine and how often it checkpoints.
 *
 * @param maxConcurrentTrials trials running at once; 0 means "not set", see {@link #resolvedConcurrency(int)}
 * @param threadsPerTrial     native threads each trial may use (ND4J/OpenMP, XGBoost nthread), >= 1
 * @param checkpointEvery     checkpoint after every this many epochs; 0 means only when the trial ends
 * @param keepLast            checkpoints kept per trial, >= 1
 */
public record Execution(int maxConcurrentTrials, int threadsPerTrial, int checkpointEvery, int keepLast) {

    /** What an absent {@code execution} section means. */
    public static final Execution DEFAULTS = new Execution(0, 1, 0, 2);

    public Execution {
        if (maxConcurrentTrials < 0 || threadsPerTrial < 1 || checkpointEvery < 0 || keepLast < 1) {
            throw new IllegalArgumentException("maxConcurrentTrials >= 0, threadsPerTrial >= 1, checkpointEvery >= 0"
                    + " and keepLast >= 1 must hold, but got " + maxConcurrentTrials + ", " + threadsPerTrial + ", "
                    + checkpointEvery + ", " + keepLast);
        }
    }

    /**
     * The number of trials to run at once on a machine with {@code cores} cores: the configured
     * value, or as many as fit with {@code threadsPerTrial} threads each (at least one).
     */
    public int resolvedConcurrency(int cores) {
        return maxConcurrentTrials > 0 ? maxConcurrentTrials : Math.max(1, cores / threadsPerTrial);
    }
}

package dev.hpsweep.actors;

import dev.hpsweep.journal.SweepHistory;
import dev.hpsweep.journal.SweepPaths;
import dev.hpsweep.space.SearchSpace;
import dev.hpsweep.space.TrialSpec;
import java.util.List;

/**
 * Everything a sweep's actors need to know before the first trial starts; immutable.
 *
 * @param space           the validated search space
 * @param trials          its expansion, in order (for TPE: only the startup trials; the rest are
 *                        proposed as the sweep runs)
 * @param queue           trials that ran before and did not finish, to run first (from their
 *                        checkpoints); empty for a new sweep. The rest come from the search's
 *                        TrialSource, which skips every trial {@code history} says was started.
 * @param history         what the journal says happened before (empty for a new sweep)
 * @param paths           where logs and checkpoints go
 * @param dataFingerprint SHA-256 of the data set the trials train on
 * @param concurrency     at most this many trials run at once
 */
public record SweepPlan(SearchSpace space, List<TrialSpec> trials, List<TrialRun> queue, SweepHistory history,
                        SweepPaths paths, String dataFingerprint, int concurrency) {
    public SweepPlan {
        trials = List.copyOf(trials);
        queue = List.copyOf(queue);
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency >= 1 must hold, but got " + concurrency);
        }
    }

    /** A new sweep: nothing resumed, every trial from the search's source. */
    public static SweepPlan fresh(SearchSpace space, List<TrialSpec> trials, SweepPaths paths, String dataFingerprint,
                                  int concurrency) {
        return new SweepPlan(space, trials, List.of(), SweepHistory.EMPTY, paths, dataFingerprint, concurrency);
    }

    /**
     * Trials the sweep means to run: the expansion's, or for TPE (which proposes the trials after
     * its startup ones as it goes) max_trials where set. A time budget may end it sooner.
     */
    public int plannedTrials() {
        return Math.max(trials.size(), space.search().maxTrials());
    }

    public long totalEpochs() {
        return trials.stream().mapToLong(TrialSpec::epochs).sum();
    }
}

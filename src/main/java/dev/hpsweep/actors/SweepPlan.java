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
 * @param trials          its expansion, in order: every trial of the sweep
 * @param queue           the trials to run now, in order (all of them for a new sweep; the
 *                        unfinished ones, some from checkpoints, for a resumed one)
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

    /** A new sweep: every trial queued from scratch. */
    public static SweepPlan fresh(SearchSpace space, List<TrialSpec> trials, SweepPaths paths, String dataFingerprint,
                                  int concurrency) {
        return new SweepPlan(space, trials, trials.stream().map(TrialRun::fresh).toList(), SweepHistory.EMPTY, paths,
            dataFingerprint, concurrency);
    }

    public int totalEpochs() {
        return trials.stream().mapToInt(TrialSpec::epochs).sum();
    }
}

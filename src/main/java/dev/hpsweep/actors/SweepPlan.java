package dev.hpsweep.actors;

import dev.hpsweep.journal.SweepPaths;
import dev.hpsweep.space.SearchSpace;
import dev.hpsweep.space.TrialSpec;
import java.util.List;

/**
 * Everything a sweep's actors need to know before the first trial starts; immutable.
 *
 * @param space           the validated search space
 * @param trials          its expansion, in order
 * @param paths           where logs and checkpoints go
 * @param dataFingerprint SHA-256 of the data set the trials train on
 * @param concurrency     at most this many trials run at once
 */
public record SweepPlan(SearchSpace space, List<TrialSpec> trials, SweepPaths paths, String dataFingerprint,
                        int concurrency) {
    public SweepPlan {
        trials = List.copyOf(trials);
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency >= 1 must hold, but got " + concurrency);
        }
    }

    public int totalEpochs() {
        return trials.stream().mapToInt(TrialSpec::epochs).sum();
    }
}

package dev.hpsweep.journal;

import dev.hpsweep.space.TrialSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A sweep's state as its journal tells it, for resuming: which trials ended how, every epoch
 * that counts (in journal order; epochs a trial was rewound past are left out), and the
 * fingerprints the sweep started with. Empty for a sweep that has not started.
 *
 * @param lastSeq         the last record's sequence number (0: no journal)
 * @param spaceFile       the search-space file the sweep was started from
 * @param spaceFileFromSweep the same file relative to the sweep's log directory, so that a moved
 *                        project finds it; null in journals written before it was recorded
 * @param spaceSha256     its fingerprint then
 * @param dataSha256      the data set's fingerprint then
 * @param epochs          every epoch that counts, in journal order
 * @param outcomes        trials whose last start has ended, with how (a trial started again is not here)
 * @param startedTrials   trials that were ever started, as they were started (a TPE proposal is
 *                        known only from here), in the order they first started
 * @param ended           whether the sweep's last run reached its end (not interrupted, not killed)
 */
public record SweepHistory(long lastSeq, Path spaceFile, Path spaceFileFromSweep, String spaceSha256, String dataSha256,
                           List<EpochMetrics> epochs, Map<String, Outcome> outcomes, List<TrialSpec> startedTrials,
                           boolean ended) {

    public static final SweepHistory EMPTY = new SweepHistory(0, null, null, null, null, List.of(), Map.of(), List.of(), false);

    public SweepHistory {
        epochs = List.copyOf(epochs);
        outcomes = Collections.unmodifiableMap(new LinkedHashMap<>(outcomes));
        startedTrials = List.copyOf(startedTrials);
    }

    /** Ids of the trials that were ever started, in the order they first started. */
    public List<String> started() {
        return startedTrials.stream().map(TrialSpec::id).toList();
    }

    /** How a trial's run ended. */
    public record Outcome(TrialStatus status, String reason) {
    }

    public boolean isNew() {
        return lastSeq == 0;
    }

    /** The epochs of one trial, in order. */
    public List<EpochMetrics> epochsOf(String trial) {
        List<EpochMetrics> out = new ArrayList<>();
        for (EpochMetrics m : epochs) {
            if (m.trial().equals(trial)) {
                out.add(m);
            }
        }
        return out;
    }

    /** This history with the epochs of {@code trial} after {@code epoch} removed. */
    public SweepHistory rewound(String trial, int epoch) {
        List<EpochMetrics> kept = new ArrayList<>();
        for (EpochMetrics m : epochs) {
            if (!m.trial().equals(trial) || m.epoch() <= epoch) {
                kept.add(m);
            }
        }
        return new SweepHistory(lastSeq, spaceFile, spaceFileFromSweep, spaceSha256, dataSha256, kept, outcomes, startedTrials, ended);
    }
}

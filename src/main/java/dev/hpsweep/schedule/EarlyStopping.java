package dev.hpsweep.schedule;

import java.util.Map;

/**
 * Decides after each finished epoch whether a trial goes on. Implementations are pure: their
 * decisions are a deterministic function of the sequence of calls (no clocks, no randomness), so a
 * resumed sweep rebuilds a rule by replaying the journal's epoch records, in journal order, into a
 * fresh instance. Not thread-safe: one owner (the MetricsAggregator) calls it.
 */
public interface EarlyStopping {

    /**
     * @param trial     the trial's id
     * @param epoch     the epoch just finished, 1-based
     * @param objective the objective's value at that epoch, oriented so that larger is better
     *                  (a loss is negated); NaN if the trainer did not report it
     * @param metrics   every metric of that epoch by name (train_loss, val_accuracy, ...), as reported
     * @return stop (with the reason people will read) or continue; a continue may carry a reason
     *         worth recording (a promotion past an ASHA rung, say)
     */
    Decision onEpoch(String trial, int epoch, double objective, Map<String, Double> metrics);

    /** Never stops a trial early: {@code early_stopping: {type: none}}. */
    EarlyStopping NONE = (trial, epoch, objective, metrics) -> Decision.CONTINUE;
}

package dev.hpsweep.schedule;

/**
 * Decides after each finished epoch whether a trial goes on. Implementations are pure: the same
 * sequence of calls gives the same decisions, which is what lets a resumed sweep replay them.
 */
public interface EarlyStopping {

    /**
     * @param trial     the trial's id
     * @param epoch     the epoch just finished, 1-based
     * @param objective the objective's value at that epoch, oriented so that larger is better
     */
    Decision onEpoch(String trial, int epoch, double objective);

    /** Never stops a trial early: {@code early_stopping: {type: none}}. */
    EarlyStopping NONE = (trial, epoch, objective) -> Decision.CONTINUE;
}

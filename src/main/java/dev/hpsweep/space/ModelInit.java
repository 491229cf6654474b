package dev.hpsweep.space;

import java.util.Objects;

/**
 * {@code model: {init: {from: {sweep: NAME, trial: best | trial-XXXX}}, freeze: none | backbone}}:
 * trials start from another sweep's saved model, with a new output layer for this data's classes.
 *
 * @param sweep          the sweep whose model is the start (in the same logs root)
 * @param trial          {@code best} (its leaderboard's first trial with a saved model) or a trial id
 * @param freezeBackbone {@code freeze: backbone}: train only the new output layer (a linear probe)
 */
public record ModelInit(String sweep, String trial, boolean freezeBackbone) {
    public ModelInit {
        Objects.requireNonNull(sweep, "sweep");
        Objects.requireNonNull(trial, "trial");
    }
}

package com.example.softmax;

import dev.hpsweep.space.TrialSpec;

/** One trial's hyperparameters, read once from its {@link TrialSpec}. */
record SoftmaxParams(double lr, int batchSize, double l2, boolean standardize) {
    static SoftmaxParams from(TrialSpec trial) {
        return new SoftmaxParams(trial.doubleParam("lr"), trial.intParam("batch_size"), trial.doubleParam("l2"),
            trial.boolParam("standardize"));
    }
}

package dev.hpsweep.models;

import dev.hpsweep.data.Dataset;
import dev.hpsweep.train.InitialWeights;
import java.util.Objects;

/**
 * What a sweep hands a model type to make its trainers.
 *
 * @param data            the sweep's data set, loaded once; read-only
 * @param sweepSeed       the search space's seed: derive every trial's seeds from it and the trial
 *                        id ({@link dev.hpsweep.train.Seeds}), so a resumed trial repeats itself
 * @param threadsPerTrial native threads a trial may use ({@code execution.threads_per_trial})
 * @param init            the saved model trials start from ({@code model.init}), or null; only model
 *                        types that {@link ModelType#transfers()} get one
 */
public record TrainingContext(Dataset data, long sweepSeed, int threadsPerTrial, InitialWeights init) {

    /** Trials that start from a fresh initialisation. */
    public TrainingContext(Dataset data, long sweepSeed, int threadsPerTrial) {
        this(data, sweepSeed, threadsPerTrial, null);
    }

    public TrainingContext {
        Objects.requireNonNull(data, "data");
        if (threadsPerTrial < 1) {
            throw new IllegalArgumentException("threadsPerTrial >= 1 must hold, but got " + threadsPerTrial);
        }
    }
}

package dev.hpsweep.train;

import dev.hpsweep.data.TabularDataset;
import dev.hpsweep.space.TrialSpec;

/** Builds {@link MlpTrainer}s over one data set loaded once for the whole sweep. */
public record MlpTrainerFactory(TabularDataset data, long sweepSeed) implements TrainerFactory {
    @Override
    public Trainer create(TrialSpec trial) {
        return new MlpTrainer(trial, data, sweepSeed);
    }
}

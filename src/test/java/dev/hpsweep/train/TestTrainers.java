package dev.hpsweep.train;

import dev.hpsweep.data.Dataset;
import dev.hpsweep.models.MlpModel;
import dev.hpsweep.models.TrainingContext;
import dev.hpsweep.space.TrialSpec;

/** Trainers built the way a sweep builds them: through the model type's factory. */
public final class TestTrainers {
    private TestTrainers() {
    }

    public static Dl4jTrainer mlp(TrialSpec trial, Dataset data, long sweepSeed) {
        return (Dl4jTrainer) new MlpModel().trainers(new TrainingContext(data, sweepSeed, 1)).create(trial);
    }
}

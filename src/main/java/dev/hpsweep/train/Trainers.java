package dev.hpsweep.train;

import dev.hpsweep.data.TabularDataset;
import dev.hpsweep.space.SearchSpace;

/** The trainer factory for a search space's model type. */
public final class Trainers {
    private Trainers() {
    }

    public static TrainerFactory forSpace(SearchSpace space, TabularDataset data) {
        return switch (space.modelType()) {
            case "mlp" -> new MlpTrainerFactory(data, space.seed());
            default -> throw new IllegalArgumentException("no trainer for model type '" + space.modelType()
                + "' yet; available: mlp");
        };
    }
}

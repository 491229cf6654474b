package dev.hpsweep.train;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a transfer-learning trial starts: another trial's saved network (its {@code model.zip}),
 * whose output layer is replaced by a new one for this data set's classes.
 *
 * @param model          the saved network ({@link Dl4jTrainer#saveModel} format)
 * @param sha256         its fingerprint, as journalled with the sweep
 * @param freezeBackbone true: only the new output layer trains (a linear probe; frozen layers,
 *                       batch norm included, run in inference mode); false: every layer fine-tunes
 */
public record InitialWeights(Path model, String sha256, boolean freezeBackbone) {
    public InitialWeights {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(sha256, "sha256");
    }
}

package dev.hpsweep.train;

import java.nio.file.Path;

/**
 * Trains one trial's model, one epoch per call. Implementations are not thread-safe: the caller
 * (a TrialActor) runs at most one call at a time, possibly on different threads of the training
 * dispatcher, and never calls after {@link #close()}.
 */
public interface Trainer extends AutoCloseable {

    /**
     * Trains epoch {@code epoch} (1-based) over the training split, then evaluates the
     * validation and test splits.
     *
     * @throws TrainingFailedException when training produced a non-finite loss or otherwise failed
     */
    EpochResult runEpoch(int epoch);

    /**
     * Writes the trained model to {@code target} (atomically) so it can be used after the trial,
     * e.g. for the report's prediction map. Called once, when the trial has ended well, before
     * {@link #close()}. Trainers with nothing to save keep this default, which writes nothing.
     */
    default void saveModel(Path target) {
    }

    /** Releases native memory; safe to call twice. */
    @Override
    void close();
}

package dev.hpsweep.train;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/**
 * Trains one trial's model, one epoch per call. Implementations are not thread-safe: the caller
 * (a TrialActor) runs at most one call at a time, possibly on different threads of the training
 * dispatcher, and never calls after {@link #close()}.
 *
 * <p>An epoch can be interrupted at a batch boundary ({@code stopRequested}); the trainer then
 * remembers where it stopped, {@link #save} records that too, and the next
 * {@code runEpoch} of the same epoch (in this process, or after {@link #restore} in another)
 * carries on with the very next batch, so an interrupted trial ends exactly where an
 * uninterrupted one would.
 */
public interface Trainer extends AutoCloseable {

    /**
     * Trains epoch {@code epoch} (1-based) over the training split, or what is left of it, then
     * evaluates the validation and test splits.
     *
     * @param stopRequested polled between batches
     * @throws TrainingInterruptedException when {@code stopRequested} turned true before the epoch's last batch
     * @throws TrainingFailedException      when training produced a non-finite loss or otherwise failed
     */
    EpochResult runEpoch(int epoch, BooleanSupplier stopRequested);

    /** Trains a whole epoch with no way to stop it early. */
    default EpochResult runEpoch(int epoch) {
        return runEpoch(epoch, () -> false);
    }

    /** Writes everything needed to carry on: weights, optimizer state, and the position in an interrupted epoch. */
    void save(OutputStream out) throws IOException;

    /** Replaces this trainer's state with one written by {@link #save} (of a trainer built for the same trial). */
    void restore(InputStream in) throws IOException;

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

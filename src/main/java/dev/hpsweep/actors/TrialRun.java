package dev.hpsweep.actors;

import dev.hpsweep.space.TrialSpec;
import java.nio.file.Path;

/**
 * A trial to run: from scratch ({@code checkpoint} null) or from a checkpoint after
 * {@code epochsDone} whole epochs (plus, inside the checkpoint, any batches of the next one).
 *
 * @param stopReason non-null when the early-stopping rule already stopped the trial at
 *                   {@code epochsDone} (its attempt was lost after that decision, while it saved
 *                   or shipped its model): it only restores and ends STOPPED with this reason,
 *                   training no epoch a one-machine sweep would not have trained
 */
public record TrialRun(TrialSpec trial, Path checkpoint, int epochsDone, String stopReason) {
    public TrialRun(TrialSpec trial, Path checkpoint, int epochsDone) {
        this(trial, checkpoint, epochsDone, null);
    }

    public static TrialRun fresh(TrialSpec trial) {
        return new TrialRun(trial, null, 0);
    }
}

package dev.hpsweep.actors;

import dev.hpsweep.space.TrialSpec;
import java.nio.file.Path;

/**
 * A trial to run: from scratch ({@code checkpoint} null) or from a checkpoint after
 * {@code epochsDone} whole epochs (plus, inside the checkpoint, any batches of the next one).
 */
public record TrialRun(TrialSpec trial, Path checkpoint, int epochsDone) {
    public static TrialRun fresh(TrialSpec trial) {
        return new TrialRun(trial, null, 0);
    }
}

package dev.hpsweep.train;

import dev.hpsweep.space.TrialSpec;

/** Builds the {@link Trainer} for a trial; actor tests pass a fake one so they need no model. */
@FunctionalInterface
public interface TrainerFactory {
    Trainer create(TrialSpec trial);
}

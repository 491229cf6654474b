package dev.hpsweep.schedule;

import dev.hpsweep.space.TrialSpec;
import java.util.List;
import java.util.Optional;

/** Grid and random search: a list fixed before the sweep starts, handed out in order; results change nothing. */
public final class FixedTrials implements TrialSource {
    private final List<TrialSpec> trials;
    private int handedOut;

    public FixedTrials(List<TrialSpec> trials) {
        this.trials = List.copyOf(trials);
    }

    @Override
    public Optional<TrialSpec> next() {
        return handedOut < trials.size() ? Optional.of(trials.get(handedOut++)) : Optional.empty();
    }

    @Override
    public void onEpoch(String trial, int epoch, double objective) {
    }

    @Override
    public void onFinished(String trial) {
    }
}

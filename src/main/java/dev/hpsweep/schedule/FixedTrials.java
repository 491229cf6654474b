package dev.hpsweep.schedule;

import dev.hpsweep.space.TrialSpec;
import java.util.List;
import java.util.Optional;

/** Grid and random search: a list fixed before the sweep starts, handed out in order; results change nothing. */
public final class FixedTrials implements TrialSource {
    private final List<TrialSpec> trials;
    private final java.util.Set<String> before = new java.util.HashSet<>();
    private int handedOut;

    public FixedTrials(List<TrialSpec> trials) {
        this.trials = List.copyOf(trials);
    }

    @Override
    public Optional<TrialSpec> next() {
        while (handedOut < trials.size()) {
            TrialSpec t = trials.get(handedOut++);
            if (!before.contains(t.id())) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    @Override
    public void handedOut(TrialSpec trial) {
        before.add(trial.id());
    }

    @Override
    public void onEpoch(String trial, int epoch, double objective) {
    }

    @Override
    public void onFinished(String trial) {
    }
}

package dev.hpsweep.schedule;

import dev.hpsweep.space.Objective;
import java.util.List;

/** Builds the rule a search space's {@code early_stopping} section describes. */
public final class EarlyStoppingRules {
    private EarlyStoppingRules() {
    }

    /**
     * A fresh rule (with no history) for {@code config}; {@code objective} names the metric in the
     * reasons the rules give. Each call returns a new instance, which is what a resume replays into.
     */
    public static EarlyStopping create(dev.hpsweep.space.EarlyStopping config, Objective objective) {
        if (config instanceof dev.hpsweep.space.EarlyStopping.None) {
            return EarlyStopping.NONE;
        } else if (config instanceof dev.hpsweep.space.EarlyStopping.Patience p) {
            return new PatienceStopping(p.patience(), p.minDelta(), objective);
        } else if (config instanceof dev.hpsweep.space.EarlyStopping.Divergence d) {
            return new DivergenceStopping(d.warmupEpochs(), d.maxTrainLoss());
        } else if (config instanceof dev.hpsweep.space.EarlyStopping.Median m) {
            return new MedianStopping(m.warmupEpochs(), m.minTrials(), objective);
        } else if (config instanceof dev.hpsweep.space.EarlyStopping.Asha a) {
            return new AshaStopping(a.gracePeriod(), a.reductionFactor(), objective);
        } else if (config instanceof dev.hpsweep.space.EarlyStopping.Combined c) {
            List<EarlyStopping> rules = c.rules().stream().map(r -> create(r, objective)).toList();
            return new FirstStopWins(rules);
        }
        throw new IllegalArgumentException("unknown early-stopping configuration " + config);
    }

    /** One line for people: "asha (grace_period 1, reduction_factor 3), then divergence (...)". */
    public static String describe(dev.hpsweep.space.EarlyStopping config) {
        if (config instanceof dev.hpsweep.space.EarlyStopping.None) {
            return "none";
        } else if (config instanceof dev.hpsweep.space.EarlyStopping.Patience p) {
            return "patience (patience " + p.patience() + ", min_delta " + ObjectiveValues.plain(p.minDelta()) + ")";
        } else if (config instanceof dev.hpsweep.space.EarlyStopping.Divergence d) {
            return "divergence (warmup_epochs " + d.warmupEpochs() + (Double.isNaN(d.maxTrainLoss()) ? ""
                : ", max_train_loss " + ObjectiveValues.plain(d.maxTrainLoss())) + ")";
        } else if (config instanceof dev.hpsweep.space.EarlyStopping.Median m) {
            return "median (warmup_epochs " + m.warmupEpochs() + ", min_trials " + m.minTrials() + ")";
        } else if (config instanceof dev.hpsweep.space.EarlyStopping.Asha a) {
            return "asha (grace_period " + a.gracePeriod() + ", reduction_factor " + a.reductionFactor() + ")";
        } else if (config instanceof dev.hpsweep.space.EarlyStopping.Combined c) {
            return String.join(", then ", c.rules().stream().map(EarlyStoppingRules::describe).toList())
                + "; the first to stop wins";
        }
        throw new IllegalArgumentException("unknown early-stopping configuration " + config);
    }
}

package dev.hpsweep.space;

import java.util.List;

/**
 * The {@code early_stopping} section: when to stop a hopeless trial before its last epoch. One
 * record per rule type; {@link Combined} holds a list of rules of which the first to say stop wins.
 * The rules themselves (plain classes in {@code dev.hpsweep.schedule}) are built from these records.
 */
public sealed interface EarlyStopping permits EarlyStopping.None, EarlyStopping.Patience,
        EarlyStopping.Divergence, EarlyStopping.Median, EarlyStopping.Asha, EarlyStopping.Combined {

    /** Values accepted for {@code early_stopping.type}. */
    List<String> TYPES = List.of("none", "patience", "divergence", "median", "asha");

    /** Every trial runs all its epochs. */
    EarlyStopping NONE = new None();

    /** {@code type: none}. */
    record None() implements EarlyStopping {
    }

    /**
     * {@code type: patience}: stop a trial whose objective has not improved on its best by more
     * than {@code minDelta} for {@code patience} epochs in a row.
     *
     * @param patience epochs without improvement that are tolerated, >= 1
     * @param minDelta an improvement must exceed this (in the objective's units), >= 0
     */
    record Patience(int patience, double minDelta) implements EarlyStopping {
        public Patience {
            if (patience < 1) {
                throw new IllegalArgumentException("patience >= 1 must hold, but got patience=" + patience);
            }
            if (!(minDelta >= 0) || !Double.isFinite(minDelta)) {
                throw new IllegalArgumentException("min_delta >= 0 must hold, but got min_delta=" + minDelta);
            }
        }
    }

    /**
     * {@code type: divergence}: stop a trial whose training loss (or objective) is NaN or infinite at
     * any epoch, or whose training loss is still above {@code maxTrainLoss} after the warm-up.
     *
     * @param warmupEpochs the loss threshold is not applied to epochs 1..warmupEpochs, >= 0
     * @param maxTrainLoss the loss a learning trial must be below after the warm-up; NaN means no
     *                     threshold (only non-finite values stop)
     */
    record Divergence(int warmupEpochs, double maxTrainLoss) implements EarlyStopping {
        public Divergence {
            if (warmupEpochs < 0) {
                throw new IllegalArgumentException("warmup_epochs >= 0 must hold, but got warmup_epochs="
                        + warmupEpochs);
            }
            if (!Double.isNaN(maxTrainLoss) && !(maxTrainLoss > 0 && Double.isFinite(maxTrainLoss))) {
                throw new IllegalArgumentException("max_train_loss > 0 must hold, but got max_train_loss="
                        + maxTrainLoss);
            }
        }
    }

    /**
     * {@code type: median}: the median stopping rule. After the warm-up, stop a trial whose best
     * objective so far is worse than the median of the values other trials reported at the same epoch.
     *
     * @param warmupEpochs no trial is stopped at epochs 1..warmupEpochs, >= 0
     * @param minTrials    the rule only judges an epoch once at least this many other trials reported it, >= 1
     */
    record Median(int warmupEpochs, int minTrials) implements EarlyStopping {
        public Median {
            if (warmupEpochs < 0) {
                throw new IllegalArgumentException("warmup_epochs >= 0 must hold, but got warmup_epochs="
                        + warmupEpochs);
            }
            if (minTrials < 1) {
                throw new IllegalArgumentException("min_trials >= 1 must hold, but got min_trials=" + minTrials);
            }
        }
    }

    /**
     * {@code type: asha}: asynchronous successive halving. Rungs sit at epochs
     * {@code gracePeriod * reductionFactor^k}; a trial goes on past a rung only if it ranks in the top
     * {@code 1/reductionFactor} of the trials that have reached that rung so far.
     *
     * @param gracePeriod     the first rung's epoch, >= 1; no trial is stopped before it
     * @param reductionFactor rungs are this many times apart and keep 1 in this many trials, >= 2
     */
    record Asha(int gracePeriod, int reductionFactor) implements EarlyStopping {
        public Asha {
            if (gracePeriod < 1) {
                throw new IllegalArgumentException("grace_period >= 1 must hold, but got grace_period=" + gracePeriod);
            }
            if (reductionFactor < 2) {
                throw new IllegalArgumentException("reduction_factor >= 2 must hold, but got reduction_factor="
                        + reductionFactor);
            }
        }
    }

    /** A list of rules: each sees every epoch, and the first (in file order) that says stop wins. */
    record Combined(List<EarlyStopping> rules) implements EarlyStopping {
        public Combined {
            rules = List.copyOf(rules);
            if (rules.size() < 2) {
                throw new IllegalArgumentException("a combination needs at least two rules, but got " + rules.size());
            }
            if (rules.stream().anyMatch(r -> r instanceof Combined)) {
                throw new IllegalArgumentException("rules cannot be nested, but got " + rules);
            }
        }
    }
}

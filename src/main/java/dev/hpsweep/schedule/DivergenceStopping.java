package dev.hpsweep.schedule;

import dev.hpsweep.space.Metrics;
import java.util.Locale;
import java.util.Map;

/**
 * Stops a trial that is not learning: at any epoch if its training loss or objective is NaN or
 * infinite; after {@code warmupEpochs}, if its training loss is still above {@code maxTrainLoss}.
 * A network that diverged at a learning rate of 1 sits at the loss of a uniform guess, ln(number
 * of classes) (3.56 for 35 countries), for ever; a threshold a little below that catches it.
 * Stateless: each decision depends on that epoch alone.
 */
public final class DivergenceStopping implements EarlyStopping {
    private final int warmupEpochs;
    private final double maxTrainLoss;

    /**
     * @param warmupEpochs the threshold is not applied to epochs 1..warmupEpochs, >= 0
     * @param maxTrainLoss the training loss a learning trial is below after the warm-up, > 0; NaN
     *                     for no threshold (only non-finite values stop)
     */
    public DivergenceStopping(int warmupEpochs, double maxTrainLoss) {
        if (warmupEpochs < 0) {
            throw new IllegalArgumentException("warmup_epochs >= 0 must hold, but got warmup_epochs=" + warmupEpochs);
        }
        if (!Double.isNaN(maxTrainLoss) && !(maxTrainLoss > 0 && Double.isFinite(maxTrainLoss))) {
            throw new IllegalArgumentException("max_train_loss > 0 must hold, but got max_train_loss=" + maxTrainLoss);
        }
        this.warmupEpochs = warmupEpochs;
        this.maxTrainLoss = maxTrainLoss;
    }

    @Override
    public Decision onEpoch(String trial, int epoch, double objective, Map<String, Double> metrics) {
        Double trainLoss = metrics.get(Metrics.TRAIN_LOSS);
        if (trainLoss != null && !Double.isFinite(trainLoss)) {
            return Decision.stop("divergence: train_loss is " + trainLoss + " at epoch " + epoch);
        }
        // Without a train_loss the trainer reports little, and a missing objective is not divergence.
        if (trainLoss != null && !Double.isFinite(objective)) {
            return Decision.stop("divergence: the objective is " + objective + " at epoch " + epoch);
        }
        if (epoch <= warmupEpochs || Double.isNaN(maxTrainLoss) || trainLoss == null) {
            return Decision.CONTINUE;
        }
        if (trainLoss > maxTrainLoss) {
            return Decision.stop(String.format(Locale.ROOT,
                "divergence: train_loss %.4f is still above max_train_loss %s after %d warm-up epoch%s", trainLoss,
                ObjectiveValues.plain(maxTrainLoss), warmupEpochs,
                warmupEpochs == 1 ? "" : "s"));
        }
        return Decision.CONTINUE;
    }
}

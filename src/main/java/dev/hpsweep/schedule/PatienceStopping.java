package dev.hpsweep.schedule;

import dev.hpsweep.space.Objective;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Stops a trial whose objective has not improved on its best by more than {@code minDelta} for
 * {@code patience} epochs in a row (Keras' EarlyStopping, per trial). It can first stop at epoch
 * {@code patience + 1}.
 */
public final class PatienceStopping implements EarlyStopping {
    private final int patience;
    private final double minDelta;
    private final Objective objective;
    private final Map<String, Best> best = new HashMap<>();

    private record Best(double value, int epoch) {
    }

    /**
     * @param patience  epochs without improvement tolerated, >= 1
     * @param minDelta  an improvement must exceed this, >= 0, in the objective's units
     * @param objective used only to show values in reasons
     */
    public PatienceStopping(int patience, double minDelta, Objective objective) {
        if (patience < 1) {
            throw new IllegalArgumentException("patience >= 1 must hold, but got patience=" + patience);
        }
        if (!(minDelta >= 0) || !Double.isFinite(minDelta)) {
            throw new IllegalArgumentException("min_delta >= 0 must hold, but got min_delta=" + minDelta);
        }
        this.patience = patience;
        this.minDelta = minDelta;
        this.objective = objective;
    }

    @Override
    public Decision onEpoch(String trial, int epoch, double value, Map<String, Double> metrics) {
        Best previous = best.get(trial);
        // A re-run epoch (after a resume) is an improvement only over epochs before it.
        if (previous == null || previous.epoch() >= epoch || improves(value, previous.value())) {
            best.put(trial, new Best(value, epoch));
            return Decision.CONTINUE;
        }
        int stale = epoch - previous.epoch();
        if (stale < patience) {
            return Decision.CONTINUE;
        }
        return Decision.stop(String.format(Locale.ROOT, "patience: no improvement of %s by more than %s for %d epochs (best %s at epoch %d)",
            objective.metric(), ObjectiveValues.number(minDelta), stale, ObjectiveValues.show(objective, previous.value()),
            previous.epoch()));
    }

    private boolean improves(double value, double best) {
        if (Double.isNaN(best)) {
            return !Double.isNaN(value);
        }
        return value - minDelta > best;
    }
}

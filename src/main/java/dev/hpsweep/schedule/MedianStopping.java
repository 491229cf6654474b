package dev.hpsweep.schedule;

import dev.hpsweep.space.Objective;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The median stopping rule (Optuna's MedianPruner, Ray Tune's MedianStoppingRule): after the
 * warm-up, stop a trial whose best objective so far is worse than the median of the values the
 * other trials reported at the same epoch. Unlike Optuna, which compares with finished trials only,
 * every trial that has reported that epoch counts, finished or running, as in Ray: trials here run
 * concurrently and report epoch by epoch. An epoch is only judged once {@code minTrials} other
 * trials have reported it, so the first trials of a sweep are never stopped by a median of one.
 */
public final class MedianStopping implements EarlyStopping {
    private final int warmupEpochs;
    private final int minTrials;
    private final Objective objective;
    /** epoch -> trial -> value; a re-run epoch (after a resume) replaces the earlier value. */
    private final Map<Integer, Map<String, Double>> byEpoch = new HashMap<>();
    private final Map<String, TreeMap<Integer, Double>> byTrial = new HashMap<>();

    /**
     * @param warmupEpochs no trial is stopped at epochs 1..warmupEpochs, >= 0
     * @param minTrials    other trials that must have reported an epoch before it is judged, >= 1
     * @param objective    used only to show values in reasons
     */
    public MedianStopping(int warmupEpochs, int minTrials, Objective objective) {
        if (warmupEpochs < 0) {
            throw new IllegalArgumentException("warmup_epochs >= 0 must hold, but got warmup_epochs=" + warmupEpochs);
        }
        if (minTrials < 1) {
            throw new IllegalArgumentException("min_trials >= 1 must hold, but got min_trials=" + minTrials);
        }
        this.warmupEpochs = warmupEpochs;
        this.minTrials = minTrials;
        this.objective = objective;
    }

    @Override
    public Decision onEpoch(String trial, int epoch, double value, Map<String, Double> metrics) {
        // Record before any early return: later decisions must not depend on which epochs were judged.
        Map<String, Double> atEpoch = byEpoch.computeIfAbsent(epoch, e -> new HashMap<>());
        atEpoch.put(trial, value);
        TreeMap<Integer, Double> history = byTrial.computeIfAbsent(trial, t -> new TreeMap<>());
        history.put(epoch, value);
        history.tailMap(epoch, false).clear();
        if (epoch <= warmupEpochs) {
            return Decision.CONTINUE;
        }
        List<Double> others = new ArrayList<>();
        atEpoch.forEach((other, v) -> {
            if (!other.equals(trial) && !Double.isNaN(v)) {
                others.add(v);
            }
        });
        if (others.size() < minTrials) {
            return Decision.CONTINUE;
        }
        double median = median(others);
        double best = Double.NaN;
        for (double v : history.values()) {
            if (ObjectiveValues.better(v, best)) {
                best = v;
            }
        }
        if (!ObjectiveValues.better(median, best)) {
            return Decision.CONTINUE;
        }
        return Decision.stop(String.format(Locale.ROOT, "median rule at epoch %d: best %s is below the median %s of %d "
            + "other trials", epoch, ObjectiveValues.show(objective, best),
            ObjectiveValues.number(objective.mode() == Objective.Mode.MAX ? median : -median), others.size()));
    }

    private static double median(List<Double> values) {
        values.sort(Double::compare);
        int n = values.size();
        return n % 2 == 1 ? values.get(n / 2) : (values.get(n / 2 - 1) + values.get(n / 2)) / 2;
    }
}

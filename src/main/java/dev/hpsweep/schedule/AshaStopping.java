package dev.hpsweep.schedule;

import dev.hpsweep.space.Objective;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Asynchronous successive halving (Li et al., "A System for Massively Parallel Hyperparameter
 * Tuning", as Ray Tune's ASHAScheduler runs it). Rungs sit at epochs {@code gracePeriod *
 * reductionFactor^k}. A trial that reaches a rung is ranked among all trials that have reached it
 * so far (itself included, n of them) and goes on only if its rank is at most ceil(n /
 * reductionFactor). Nothing waits for a rung to fill, so early trials are promoted generously and
 * later ones must beat what came before; the first trial at a rung always goes on.
 */
public final class AshaStopping implements EarlyStopping {
    private final int gracePeriod;
    private final int reductionFactor;
    private final Objective objective;
    /** rung epoch -> trial -> its value there; a re-run epoch (after a resume) replaces the value. */
    private final Map<Integer, Map<String, Double>> rungs = new HashMap<>();

    /**
     * @param gracePeriod     the first rung's epoch, >= 1; no trial stops before it
     * @param reductionFactor rungs are this many times apart and 1 in this many trials goes on, >= 2
     * @param objective       used only to show values in reasons
     */
    public AshaStopping(int gracePeriod, int reductionFactor, Objective objective) {
        if (gracePeriod < 1) {
            throw new IllegalArgumentException("grace_period >= 1 must hold, but got grace_period=" + gracePeriod);
        }
        if (reductionFactor < 2) {
            throw new IllegalArgumentException("reduction_factor >= 2 must hold, but got reduction_factor="
                + reductionFactor);
        }
        this.gracePeriod = gracePeriod;
        this.reductionFactor = reductionFactor;
        this.objective = objective;
    }

    /** Whether {@code epoch} is gracePeriod * reductionFactor^k for some k >= 0. */
    boolean isRung(int epoch) {
        if (epoch < gracePeriod || epoch % gracePeriod != 0) {
            return false;
        }
        int q = epoch / gracePeriod;
        while (q % reductionFactor == 0) {
            q /= reductionFactor;
        }
        return q == 1;
    }

    @Override
    public Decision onEpoch(String trial, int epoch, double value, Map<String, Double> metrics) {
        if (!isRung(epoch)) {
            return Decision.CONTINUE;
        }
        Map<String, Double> rung = rungs.computeIfAbsent(epoch, e -> new HashMap<>());
        rung.put(trial, value);
        int n = rung.size();
        int rank = 1;
        for (Map.Entry<String, Double> other : rung.entrySet()) {
            if (!other.getKey().equals(trial) && ObjectiveValues.better(other.getValue(), value)) {
                rank++;
            }
        }
        int kept = (n + reductionFactor - 1) / reductionFactor;
        String standing = String.format(Locale.ROOT, "asha rung %d, rank %d of %d (%s)", epoch, rank, n,
            ObjectiveValues.show(objective, value));
        if (rank > kept) {
            return Decision.stop(standing + "; only the top " + kept + (kept == 1 ? " goes on" : " go on"));
        }
        return new Decision(false, standing + ", promoted");
    }
}

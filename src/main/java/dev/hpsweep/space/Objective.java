package dev.hpsweep.space;

import java.util.Objects;

/**
 * The metric trials are ranked by and whether lower or higher is better.
 *
 * @param metric one of {@link Metrics#STANDARD}
 * @param mode   {@link Mode#MIN} for losses, {@link Mode#MAX} for accuracies
 */
public record Objective(String metric, Mode mode) {

    public enum Mode { MIN, MAX }

    public Objective {
        Objects.requireNonNull(mode, "mode");
        if (!Metrics.STANDARD.contains(metric)) {
            throw new IllegalArgumentException("metric must be one of " + Metrics.STANDARD + ", but got " + metric);
        }
    }

    /**
     * Whether {@code a} is strictly better than {@code b}. NaN (a diverged trial) is worse than
     * any number, so it never wins.
     */
    public boolean better(double a, double b) {
        if (Double.isNaN(a)) {
            return false;
        }
        if (Double.isNaN(b)) {
            return true;
        }
        return mode == Mode.MAX ? a > b : a < b;
    }

    /**
     * {@code metrics}' value of this objective, oriented so that larger is better (a loss is
     * negated), as early-stopping rules and searches compare it; NaN when it was not reported.
     */
    public double oriented(java.util.Map<String, Double> metrics) {
        Double v = metrics.get(metric);
        double value = v == null ? Double.NaN : v;
        return mode == Mode.MAX ? value : -value;
    }
}

package dev.hpsweep.schedule;

import dev.hpsweep.space.Objective;
import java.util.Locale;

/** Shows an oriented (larger-is-better) value in the objective's own units, for reasons people read. */
final class ObjectiveValues {
    private ObjectiveValues() {
    }

    /** "val_accuracy 0.8123"; a minimised objective was negated to orient it, so it is negated back. */
    static String show(Objective objective, double oriented) {
        double value = objective.mode() == Objective.Mode.MAX ? oriented : -oriented;
        return objective.metric() + " " + number(value);
    }

    static String number(double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%.4f", value) : String.valueOf(value);
    }

    /** 3.0 as 3, 0.001 as 0.001: the way the file wrote it. */
    static String plain(double value) {
        return Double.isFinite(value) ? java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString()
            : String.valueOf(value);
    }

    /** Larger is better; NaN is worse than any number. */
    static boolean better(double a, double b) {
        if (Double.isNaN(a)) {
            return false;
        }
        return Double.isNaN(b) || a > b;
    }
}

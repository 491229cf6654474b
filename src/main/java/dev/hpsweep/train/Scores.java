package dev.hpsweep.train;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Summed cross-entropy and count of correct predictions over some rows. A row holds the class
 * probabilities (or logits), or, for a network with one sigmoid output ({@link OutputHead#SIGMOID}),
 * the one probability (or logit) of class 1: its loss is the binary cross-entropy.
 *
 * <p>Rows come either as one Java array each or as one row-major array of {@code rows x cols}
 * (what {@link Rows#flat} copies a network's output into, reusing the array from batch to batch).
 */
record Scores(double lossSum, long correct) {
    /** Probabilities are clamped at 1e-12 so one confident mistake cannot make the sum infinite by itself. */
    static Scores of(INDArray probabilities, int[] labels) {
        return of(Rows.flat(probabilities, null), (int) probabilities.size(0), (int) probabilities.size(1), labels);
    }

    /** The same from one row of class probabilities per example (also the XGBoost trainer's scores). */
    static Scores of(float[][] p, int[] labels) {
        return rows(p, labels, Tally::probabilities);
    }

    /** The same from {@code rows x cols} probabilities in one row-major array. */
    static Scores of(float[] p, int rows, int cols, int[] labels) {
        return flat(p, rows, cols, labels, Tally::probabilities);
    }

    /** The same from logits: loss by log-sum-exp (stable for large logits), accuracy by argmax. */
    static Scores ofLogits(float[][] logits, int[] labels) {
        return rows(logits, labels, Tally::logits);
    }

    /** The same from {@code rows x cols} logits in one row-major array. */
    static Scores ofLogits(float[] logits, int rows, int cols, int[] labels) {
        return flat(logits, rows, cols, labels, Tally::logits);
    }

    /** How one row at {@code a[off .. off + n)} is tallied; false ends the tally (its loss is not finite). */
    private interface Row {
        boolean add(Tally t, float[] a, int off, int n, int label);
    }

    private static Scores rows(float[][] p, int[] labels, Row row) {
        Tally t = new Tally();
        for (int i = 0; i < p.length && row.add(t, p[i], 0, p[i].length, labels[i]); i++) {
            // tallied in the condition
        }
        return t.scores();
    }

    private static Scores flat(float[] p, int rows, int cols, int[] labels, Row row) {
        Tally t = new Tally();
        for (int i = 0; i < rows && row.add(t, p, i * cols, cols, labels[i]); i++) {
            // tallied in the condition
        }
        return t.scores();
    }

    Scores plus(Scores other) {
        return new Scores(lossSum + other.lossSum, correct + other.correct);
    }

    /** Loss and correct count so far; a non-finite row makes the loss NaN and ends the tally. */
    private static final class Tally {
        double loss;
        long correct;

        Scores scores() {
            return new Scores(loss, correct);
        }

        /** One row of probabilities at {@code a[off .. off + n)}; false (loss NaN) when it is not finite. */
        boolean probabilities(float[] a, int off, int n, int label) {
            if (!Float.isFinite(a[off])) {
                loss = Double.NaN;
                return false;
            }
            double truth = n == 1 ? (label == 1 ? a[off] : 1.0 - a[off]) : a[off + label];
            loss -= Math.log(Math.max(truth, 1e-12));
            if (OutputHead.predicted(a, off, n) == label) {
                correct++;
            }
            return true;
        }

        /** One row of logits at {@code a[off .. off + n)}; false (loss NaN) when its loss is not finite. */
        boolean logits(float[] a, int off, int n, int label) {
            if (n == 1) {
                // -log sigmoid(z) for class 1 and -log(1 - sigmoid(z)) = -log sigmoid(-z) for class 0, stably.
                double z = label == 1 ? a[off] : -a[off];
                double nll = Math.max(-z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
                if (!Double.isFinite(nll)) {
                    loss = Double.NaN;
                    return false;
                }
                loss += Math.min(nll, -Math.log(1e-12));
                if ((a[off] > 0 ? 1 : 0) == label) {
                    correct++;
                }
                return true;
            }
            int best = Dl4jTrainer.argmax(a, off, n);
            double max = a[off + best];
            double sum = 0;
            for (int c = off; c < off + n; c++) {
                sum += Math.exp(a[c] - max);
            }
            double nll = max + Math.log(sum) - a[off + label];
            if (!Double.isFinite(nll)) {
                loss = Double.NaN;
                return false;
            }
            // Clamped as probabilities are clamped at 1e-12.
            loss += Math.min(nll, -Math.log(1e-12));
            if (best == label) {
                correct++;
            }
            return true;
        }
    }
}

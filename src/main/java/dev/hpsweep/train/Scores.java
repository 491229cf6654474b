package dev.hpsweep.train;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Summed cross-entropy and count of correct predictions over some rows. A row holds the class
 * probabilities (or logits), or, for a network with one sigmoid output ({@link OutputHead#SIGMOID}),
 * the one probability (or logit) of class 1: its loss is the binary cross-entropy.
 */
record Scores(double lossSum, long correct) {
    /** Probabilities are clamped at 1e-12 so one confident mistake cannot make the sum infinite by itself. */
    static Scores of(INDArray probabilities, int[] labels) {
        return of(Rows.floats(probabilities), labels);
    }

    /** The same from one row of class probabilities per example (also the XGBoost trainer's scores). */
    static Scores of(float[][] p, int[] labels) {
        double loss = 0;
        long correct = 0;
        for (int i = 0; i < p.length; i++) {
            float[] row = p[i];
            if (!Float.isFinite(row[0])) {
                return new Scores(Double.NaN, correct);
            }
            double truth = row.length == 1 ? (labels[i] == 1 ? row[0] : 1.0 - row[0]) : row[labels[i]];
            loss -= Math.log(Math.max(truth, 1e-12));
            if (OutputHead.predicted(row) == labels[i]) {
                correct++;
            }
        }
        return new Scores(loss, correct);
    }

    /** The same from logits: loss by log-sum-exp (stable for large logits), accuracy by argmax. */
    static Scores ofLogits(float[][] logits, int[] labels) {
        double loss = 0;
        long correct = 0;
        for (int i = 0; i < logits.length; i++) {
            float[] row = logits[i];
            if (row.length == 1) {
                // -log sigmoid(z) for class 1 and -log(1 - sigmoid(z)) = -log sigmoid(-z) for class 0, stably.
                double z = labels[i] == 1 ? row[0] : -row[0];
                double nll = Math.max(-z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
                if (!Double.isFinite(nll)) {
                    return new Scores(Double.NaN, correct);
                }
                loss += Math.min(nll, -Math.log(1e-12));
                if ((row[0] > 0 ? 1 : 0) == labels[i]) {
                    correct++;
                }
                continue;
            }
            int best = Dl4jTrainer.argmax(row);
            double max = row[best];
            double sum = 0;
            for (float z : row) {
                sum += Math.exp(z - max);
            }
            double nll = max + Math.log(sum) - row[labels[i]];
            if (!Double.isFinite(nll)) {
                return new Scores(Double.NaN, correct);
            }
            // Clamped as Scores.of clamps probabilities at 1e-12.
            loss += Math.min(nll, -Math.log(1e-12));
            if (best == labels[i]) {
                correct++;
            }
        }
        return new Scores(loss, correct);
    }

    Scores plus(Scores other) {
        return new Scores(lossSum + other.lossSum, correct + other.correct);
    }
}

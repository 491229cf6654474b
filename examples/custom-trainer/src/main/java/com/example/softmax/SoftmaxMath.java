package com.example.softmax;

/**
 * The model: for K classes and F features, weights {@code w[k * (F + 1) + j]} (j < F) and bias
 * {@code w[k * (F + 1) + F]}; logits z_k = b_k + sum_j w_kj x_j; p = softmax(z).
 */
final class SoftmaxMath {
    private SoftmaxMath() {
    }

    /** Fills {@code z} with the logits of the row at {@code x[offset..offset + features)}. */
    static void logits(double[] w, int classes, int features, double[] x, int offset, double[] z) {
        int stride = features + 1;
        for (int k = 0; k < classes; k++) {
            int base = k * stride;
            double s = w[base + features];
            for (int j = 0; j < features; j++) {
                s += w[base + j] * x[offset + j];
            }
            z[k] = s;
        }
    }

    /** The first largest logit's class. */
    static int argmax(double[] z, int classes) {
        int best = 0;
        for (int k = 1; k < classes; k++) {
            if (z[k] > z[best]) {
                best = k;
            }
        }
        return best;
    }

    /**
     * Turns logits into probabilities in place and returns the cross-entropy of {@code label},
     * log(sum exp z) - z_label, computed stably; NaN or infinite once the logits are.
     */
    static double softmaxInPlace(double[] z, int classes, int label) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < classes; k++) {
            max = Math.max(max, z[k]); // Math.max passes NaN on
        }
        double zLabel = z[label];
        double sum = 0.0;
        for (int k = 0; k < classes; k++) {
            z[k] = Math.exp(z[k] - max);
            sum += z[k];
        }
        for (int k = 0; k < classes; k++) {
            z[k] /= sum;
        }
        return max + Math.log(sum) - zLabel;
    }
}

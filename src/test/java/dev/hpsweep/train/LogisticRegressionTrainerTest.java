package dev.hpsweep.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LogisticRegressionTrainerTest {

    /** 3 classes of Gaussian blobs in 4 dimensions. */
    static double[][] x(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] x = new double[n][4];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 4; j++) {
                x[i][j] = r.nextGaussian() + 1.5 * Math.cos((i % 3) * 2.1 + j);
            }
        }
        return x;
    }

    static int[] y(int n) {
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 3;
        }
        return y;
    }

    static LogisticRegressionTrainer fit(double c) {
        LogisticRegressionTrainer t = new LogisticRegressionTrainer("t", c, 100, 1e-10, 3, x(300, 1), y(300),
            x(90, 2), y(90), x(90, 3), y(90));
        t.runEpoch(1);
        return t;
    }

    /** At scikit-learn's optimum, c * X^T (P - Y) + [W, 0] = 0: the gradient of the objective vanishes. */
    @Test
    void theFitReachesTheRegularisedOptimum() {
        double c = 1.0;
        double[][] w = fit(c).weights();
        double[][] x = x(300, 1);
        int[] y = y(300);
        double worst = 0;
        double[][] g = new double[3][5];
        for (int i = 0; i < x.length; i++) {
            double[] z = new double[3];
            double max = Double.NEGATIVE_INFINITY;
            for (int a = 0; a < 3; a++) {
                z[a] = w[a][4];
                for (int j = 0; j < 4; j++) {
                    z[a] += w[a][j] * x[i][j];
                }
                max = Math.max(max, z[a]);
            }
            double sum = 0;
            for (int a = 0; a < 3; a++) {
                z[a] = Math.exp(z[a] - max);
                sum += z[a];
            }
            for (int a = 0; a < 3; a++) {
                double r = c * (z[a] / sum - (y[i] == a ? 1 : 0));
                for (int j = 0; j < 4; j++) {
                    g[a][j] += r * x[i][j];
                }
                g[a][4] += r;
            }
        }
        for (int a = 0; a < 3; a++) {
            for (int j = 0; j < 5; j++) {
                worst = Math.max(worst, Math.abs(g[a][j] + (j < 4 ? w[a][j] : 0)));
            }
        }
        assertTrue(worst < 1e-6, "largest gradient entry at the fit: " + worst);
    }

    @Test
    void itLearnsAndWeakerRegularisationGivesLargerWeights() {
        EpochResult r = new LogisticRegressionTrainer("t", 1, 100, 1e-10, 3, x(300, 1), y(300), x(90, 2), y(90),
            x(90, 3), y(90)).runEpoch(1);
        assertTrue(r.metrics().get("val_accuracy") > 0.7, r.metrics().toString());
        assertTrue(r.iterations() >= 3 && r.iterations() < 30, "Newton steps: " + r.iterations());
        assertTrue(norm(fit(100).weights()) > norm(fit(0.01).weights()));
    }

    @Test
    void aConvergedFitStaysPutInLaterEpochs() {
        LogisticRegressionTrainer t = fit(1);
        double[][] before = t.weights();
        EpochResult again = t.runEpoch(2);
        assertEquals(0, again.iterations());
        assertEquals(java.util.Arrays.deepToString(before), java.util.Arrays.deepToString(t.weights()));
    }

    private static double norm(double[][] w) {
        double s = 0;
        for (double[] row : w) {
            for (int j = 0; j < row.length - 1; j++) {
                s += row[j] * row[j];
            }
        }
        return s;
    }
}

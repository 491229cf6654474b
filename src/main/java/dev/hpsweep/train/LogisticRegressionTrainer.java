package dev.hpsweep.train;

import dev.hpsweep.journal.AtomicFiles;
import dev.hpsweep.space.Metrics;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Multinomial logistic regression with L2 regularisation, fitted to convergence by Newton's
 * method on the full batch, as scikit-learn's {@code LogisticRegression(C=c)} defines the
 * problem: minimise {@code c * sum_i -log p(y_i | x_i) + ||W||^2 / 2} (the intercepts are not
 * penalised). An epoch runs Newton steps, each with a backtracking line search, until the
 * gradient's largest entry is below {@code tol} or {@code maxSteps} steps were taken; a later
 * epoch carries on from there (a converged fit stays put).
 *
 * <p>Plain Java in doubles and deterministic: Newton keeps no state but the weights, so a fit
 * interrupted between two steps and restored resumes exactly.
 */
public final class LogisticRegressionTrainer implements Trainer {
    private static final int SAVE_FORMAT = 1;
    /** Keeps the Hessian positive definite along the intercepts, which softmax cannot tell apart. */
    private static final double INTERCEPT_RIDGE = 1e-8;

    private final String trialId;
    private final double c;
    private final int maxSteps;
    private final double tol;
    private final int classes;
    private final int features;
    private final double[][] trainX;
    private final int[] trainY;
    private final double[][] valX;
    private final int[] valY;
    private final double[][] testX;
    private final int[] testY;
    /** classes x (features + 1): the last column is the intercept. */
    private double[][] w;
    private int stepsInEpoch;
    private int epochInProgress;
    private double secondsInEpoch;
    private boolean closed;
    private String backbone = "";

    public LogisticRegressionTrainer(String trialId, double c, int maxSteps, double tol, int classes,
                                     double[][] trainX, int[] trainY, double[][] valX, int[] valY,
                                     double[][] testX, int[] testY) {
        if (!(c > 0) || maxSteps < 1 || !(tol > 0) || classes < 2 || trainX.length == 0) {
            throw new IllegalArgumentException("c > 0, maxSteps >= 1, tol > 0, classes >= 2 and training rows must "
                + "hold, but got c=" + c + ", maxSteps=" + maxSteps + ", tol=" + tol + ", classes=" + classes
                + ", rows=" + trainX.length);
        }
        this.trialId = trialId;
        this.c = c;
        this.maxSteps = maxSteps;
        this.tol = tol;
        this.classes = classes;
        this.features = trainX[0].length;
        this.trainX = trainX;
        this.trainY = trainY;
        this.valX = valX;
        this.valY = valY;
        this.testX = testX;
        this.testY = testY;
        this.w = new double[classes][features + 1];
    }

    @Override
    public EpochResult runEpoch(int epoch, BooleanSupplier stopRequested) {
        if (closed) {
            throw new IllegalStateException("trainer of " + trialId + " is closed");
        }
        long start = System.nanoTime();
        if (epochInProgress != epoch) {
            epochInProgress = epoch;
            stepsInEpoch = 0;
            secondsInEpoch = 0;
        }
        while (stepsInEpoch < maxSteps) {
            if (stopRequested.getAsBoolean()) {
                secondsInEpoch += (System.nanoTime() - start) / 1e9;
                throw new TrainingInterruptedException(trialId + " stopped in epoch " + epoch + " after Newton step "
                    + stepsInEpoch, epoch - 1, stepsInEpoch);
            }
            if (!newtonStep()) {
                break;
            }
            stepsInEpoch++;
        }
        double[] tr = scores(trainX, trainY);
        double[] val = scores(valX, valY);
        double[] tst = scores(testX, testY);
        for (double loss : new double[] {tr[0], val[0], tst[0]}) {
            if (!Double.isFinite(loss)) {
                throw new TrainingFailedException("non-finite loss in epoch " + epoch + " of " + trialId);
            }
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put(Metrics.TRAIN_LOSS, tr[0]);
        metrics.put(Metrics.TRAIN_ACCURACY, tr[1]);
        metrics.put(Metrics.VAL_LOSS, val[0]);
        metrics.put(Metrics.VAL_ACCURACY, val[1]);
        metrics.put(Metrics.TEST_LOSS, tst[0]);
        metrics.put(Metrics.TEST_ACCURACY, tst[1]);
        double seconds = secondsInEpoch + (System.nanoTime() - start) / 1e9;
        int steps = stepsInEpoch;
        epochInProgress = epoch + 1;
        stepsInEpoch = 0;
        secondsInEpoch = 0;
        return new EpochResult(metrics, steps, (long) trainX.length * Math.max(1, steps), seconds);
    }

    /** One damped Newton step; false when the fit has converged (nothing left to do). */
    private boolean newtonStep() {
        int p = features + 1;
        int n = classes * p;
        double[] g = new double[n];
        double[][] h = new double[n][n];
        double[] x1 = new double[p];
        double[] prob = new double[classes];
        for (int i = 0; i < trainX.length; i++) {
            System.arraycopy(trainX[i], 0, x1, 0, features);
            x1[features] = 1;
            probabilities(w, x1, prob);
            for (int a = 0; a < classes; a++) {
                double r = c * (prob[a] - (trainY[i] == a ? 1 : 0));
                for (int j = 0; j < p; j++) {
                    g[a * p + j] += r * x1[j];
                }
                for (int b = 0; b < classes; b++) {
                    double s = c * prob[a] * ((a == b ? 1 : 0) - prob[b]);
                    if (s == 0) {
                        continue;
                    }
                    for (int j = 0; j < p; j++) {
                        double sj = s * x1[j];
                        double[] row = h[a * p + j];
                        int base = b * p;
                        for (int k = 0; k < p; k++) {
                            row[base + k] += sj * x1[k];
                        }
                    }
                }
            }
        }
        double gmax = 0;
        for (int a = 0; a < classes; a++) {
            for (int j = 0; j < p; j++) {
                int idx = a * p + j;
                if (j < features) {
                    g[idx] += w[a][j];
                    h[idx][idx] += 1;
                } else {
                    h[idx][idx] += INTERCEPT_RIDGE;
                }
                gmax = Math.max(gmax, Math.abs(g[idx]));
            }
        }
        if (!Double.isFinite(gmax)) {
            throw new TrainingFailedException("non-finite gradient in the fit of " + trialId);
        }
        if (gmax < tol) {
            return false;
        }
        double f0 = objective(w);
        if (!Double.isFinite(f0)) {
            throw new TrainingFailedException("non-finite objective in the fit of " + trialId + " (c=" + c + ")");
        }
        double[] d = Cholesky.solve(h, g); // the step is -d
        double slope = 0;
        for (int k = 0; k < n; k++) {
            slope -= g[k] * d[k];
        }
        double t = 1;
        for (int tries = 0; tries < 40; tries++) {
            double[][] next = new double[classes][p];
            for (int a = 0; a < classes; a++) {
                for (int j = 0; j < p; j++) {
                    next[a][j] = w[a][j] - t * d[a * p + j];
                }
            }
            double f = objective(next);
            if (f <= f0 + 1e-4 * t * slope) {
                w = next;
                return true;
            }
            t /= 2;
        }
        return false; // no decrease along the Newton direction: converged to rounding
    }

    private double objective(double[][] weights) {
        double loss = 0;
        double[] x1 = new double[features + 1];
        double[] prob = new double[classes];
        for (int i = 0; i < trainX.length; i++) {
            System.arraycopy(trainX[i], 0, x1, 0, features);
            x1[features] = 1;
            loss -= logProbability(weights, x1, trainY[i], prob);
        }
        double penalty = 0;
        for (double[] row : weights) {
            for (int j = 0; j < features; j++) {
                penalty += row[j] * row[j];
            }
        }
        return c * loss + penalty / 2;
    }

    /** Mean log loss (probabilities clamped at 1e-12, as the networks') and accuracy. */
    private double[] scores(double[][] x, int[] y) {
        double loss = 0;
        long correct = 0;
        double[] x1 = new double[features + 1];
        double[] prob = new double[classes];
        for (int i = 0; i < x.length; i++) {
            System.arraycopy(x[i], 0, x1, 0, features);
            x1[features] = 1;
            probabilities(w, x1, prob);
            loss -= Math.log(Math.max(prob[y[i]], 1e-12));
            if (argmax(prob) == y[i]) {
                correct++;
            }
        }
        return new double[] {loss / x.length, correct / (double) x.length};
    }

    private void probabilities(double[][] weights, double[] x1, double[] out) {
        double max = Double.NEGATIVE_INFINITY;
        for (int a = 0; a < classes; a++) {
            double z = 0;
            for (int j = 0; j < x1.length; j++) {
                z += weights[a][j] * x1[j];
            }
            out[a] = z;
            max = Math.max(max, z);
        }
        double sum = 0;
        for (int a = 0; a < classes; a++) {
            out[a] = Math.exp(out[a] - max);
            sum += out[a];
        }
        for (int a = 0; a < classes; a++) {
            out[a] /= sum;
        }
    }

    private double logProbability(double[][] weights, double[] x1, int label, double[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (int a = 0; a < classes; a++) {
            double s = 0;
            for (int j = 0; j < x1.length; j++) {
                s += weights[a][j] * x1[j];
            }
            z[a] = s;
            max = Math.max(max, s);
        }
        double sum = 0;
        for (int a = 0; a < classes; a++) {
            sum += Math.exp(z[a] - max);
        }
        return z[label] - max - Math.log(sum);
    }

    /** The class of each feature row, by the fitted weights {@code w} (classes x (features + 1)). */
    public static int[] predict(double[][] w, double[][] x) {
        int[] out = new int[x.length];
        for (int i = 0; i < x.length; i++) {
            double best = Double.NEGATIVE_INFINITY;
            for (int a = 0; a < w.length; a++) {
                double z = w[a][w[a].length - 1];
                for (int j = 0; j < x[i].length; j++) {
                    z += w[a][j] * x[i][j];
                }
                if (z > best) {
                    best = z;
                    out[i] = a;
                }
            }
        }
        return out;
    }

    private static int argmax(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    @Override
    public void save(OutputStream out) throws IOException {
        DataOutputStream data = new DataOutputStream(out);
        data.writeInt(SAVE_FORMAT);
        data.writeInt(epochInProgress);
        data.writeInt(stepsInEpoch);
        data.writeDouble(secondsInEpoch);
        writeWeights(data, w);
        data.flush();
    }

    @Override
    public void restore(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        int format = data.readInt();
        if (format != SAVE_FORMAT) {
            throw new IOException("unknown logistic-regression checkpoint format " + format);
        }
        int epoch = data.readInt();
        int steps = data.readInt();
        double seconds = data.readDouble();
        double[][] weights = readWeights(data);
        if (weights.length != classes || weights[0].length != features + 1) {
            throw new IOException("checkpoint has " + weights.length + " x " + weights[0].length + " weights, but "
                + trialId + " fits " + classes + " x " + (features + 1));
        }
        epochInProgress = epoch;
        stepsInEpoch = steps;
        secondsInEpoch = seconds;
        w = weights;
    }

    /** Names, in the saved model, the network whose features the regression reads (empty: the raw rows). */
    public LogisticRegressionTrainer backbone(String savedNetwork) {
        this.backbone = savedNetwork;
        return this;
    }

    /** The backbone's path (UTF, empty for none), then the weights (classes, columns, doubles as bits), atomically. */
    @Override
    public void saveModel(Path target) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream data = new DataOutputStream(bytes)) {
            data.writeUTF(backbone);
            writeWeights(data, w);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AtomicFiles.write(target, bytes.toByteArray());
    }

    static void writeWeights(DataOutputStream data, double[][] w) throws IOException {
        data.writeInt(w.length);
        data.writeInt(w[0].length);
        for (double[] row : w) {
            for (double v : row) {
                data.writeDouble(v);
            }
        }
    }

    /** Reads weights written by {@link #saveModel} or {@link #save}. */
    public static double[][] readWeights(DataInputStream data) throws IOException {
        int rows = data.readInt();
        int cols = data.readInt();
        if (rows < 1 || cols < 1 || (long) rows * cols > 100_000_000L) {
            throw new IOException("not a logistic-regression model: " + rows + " x " + cols + " weights");
        }
        double[][] w = new double[rows][cols];
        for (double[] row : w) {
            for (int j = 0; j < cols; j++) {
                row[j] = data.readDouble();
            }
        }
        return w;
    }

    /** The fitted weights, for tests. */
    double[][] weights() {
        return Arrays.stream(w).map(double[]::clone).toArray(double[][]::new);
    }

    @Override
    public void close() {
        closed = true;
    }

    /** Solves H d = g for a symmetric positive-definite H by Cholesky decomposition (H is overwritten). */
    static final class Cholesky {
        private Cholesky() {
        }

        static double[] solve(double[][] h, double[] g) {
            int n = g.length;
            for (int j = 0; j < n; j++) {
                double[] rj = h[j];
                double s = rj[j];
                for (int k = 0; k < j; k++) {
                    s -= rj[k] * rj[k];
                }
                if (!(s > 0)) {
                    throw new TrainingFailedException("the fit's Hessian is not positive definite (pivot " + s + ")");
                }
                double d = Math.sqrt(s);
                rj[j] = d;
                for (int i = j + 1; i < n; i++) {
                    double[] ri = h[i];
                    double t = ri[j];
                    for (int k = 0; k < j; k++) {
                        t -= ri[k] * rj[k];
                    }
                    ri[j] = t / d;
                }
            }
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                double t = g[i];
                for (int k = 0; k < i; k++) {
                    t -= h[i][k] * y[k];
                }
                y[i] = t / h[i][i];
            }
            double[] x = new double[n];
            for (int i = n - 1; i >= 0; i--) {
                double t = y[i];
                for (int k = i + 1; k < n; k++) {
                    t -= h[k][i] * x[k];
                }
                x[i] = t / h[i][i];
            }
            return x;
        }
    }
}

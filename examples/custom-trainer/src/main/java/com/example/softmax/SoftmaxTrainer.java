package com.example.softmax;

import dev.hpsweep.space.Metrics;
import dev.hpsweep.train.EpochResult;
import dev.hpsweep.train.Seeds;
import dev.hpsweep.train.Trainer;
import dev.hpsweep.train.TrainingFailedException;
import dev.hpsweep.train.TrainingInterruptedException;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;

/**
 * Trains one trial of {@link SoftmaxRegressionModel}: mini-batch SGD on the cross-entropy, plus
 * {@code l2 * w} on the weights. Epoch e visits the training rows in the order
 * {@code Seeds.permutation(n, Seeds.epoch(sweepSeed, trialId, e))}, so it sees the same batches
 * whether or not it was interrupted, restored, or run on another thread.
 *
 * <p>{@code train_loss} and {@code train_accuracy} are running means over the epoch's batches
 * (each example scored just before the step it takes part in); the validation and test metrics
 * use the weights at the epoch's end. The running sums are part of the saved state, so an epoch
 * interrupted half-way reports exactly what an uninterrupted one would.
 */
final class SoftmaxTrainer implements Trainer {
    private static final int STATE_MAGIC = 0x534d5853; // "SMXS"
    private static final int STATE_VERSION = 1;

    private final String trialId;
    private final long sweepSeed;
    private final SoftmaxParams params;
    private final SharedSplits.Encoded data;
    private final int classes;
    private final int features;
    private final int batches;
    private final double[] z;
    private final double[] grad;

    private double[] weights;
    private boolean closed;

    // Where the current (or next) epoch stands.
    private int epoch = 1;
    private int batchesDone;
    private double lossSum;
    private long correct;
    private double seconds;

    SoftmaxTrainer(String trialId, long sweepSeed, SoftmaxParams params, SharedSplits.Encoded data) {
        this.trialId = trialId;
        this.sweepSeed = sweepSeed;
        this.params = params;
        this.data = data;
        this.classes = data.classes();
        this.features = data.features();
        int n = data.train().size();
        this.batches = (n + params.batchSize() - 1) / params.batchSize();
        this.z = new double[classes];
        this.weights = new double[classes * (features + 1)];
        this.grad = new double[weights.length];
        // Small random weights from the trial's init seed, zero biases.
        SplittableRandom random = new SplittableRandom(Seeds.init(sweepSeed, trialId));
        for (int k = 0; k < classes; k++) {
            for (int j = 0; j < features; j++) {
                weights[k * (features + 1) + j] = 0.01 * random.nextGaussian();
            }
        }
    }

    @Override
    public EpochResult runEpoch(int epoch, BooleanSupplier stopRequested) {
        ensureOpen();
        long start = System.nanoTime();
        if (epoch != this.epoch || batchesDone == 0) {
            startEpoch(epoch);
        }
        SharedSplits.Split train = data.train();
        int n = train.size();
        int[] order = Seeds.permutation(n, Seeds.epoch(sweepSeed, trialId, epoch));
        while (batchesDone < batches) {
            if (stopRequested.getAsBoolean()) {
                seconds += elapsed(start);
                throw new TrainingInterruptedException(trialId + " stopped in epoch " + epoch + " after batch "
                    + batchesDone + " of " + batches, epoch - 1, batchesDone);
            }
            int from = batchesDone * params.batchSize();
            step(train, order, from, Math.min(n, from + params.batchSize()));
            batchesDone++;
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put(Metrics.TRAIN_LOSS, lossSum / n);
        metrics.put(Metrics.TRAIN_ACCURACY, (double) correct / n);
        evaluate(Metrics.VAL_LOSS, Metrics.VAL_ACCURACY, data.validation(), metrics);
        evaluate(Metrics.TEST_LOSS, Metrics.TEST_ACCURACY, data.test(), metrics);
        double total = seconds + elapsed(start);
        startEpoch(epoch + 1);
        return new EpochResult(metrics, batches, n, total);
    }

    private void startEpoch(int e) {
        epoch = e;
        batchesDone = 0;
        lossSum = 0.0;
        correct = 0;
        seconds = 0.0;
    }

    /** One SGD step on the rows order[from..to). */
    private void step(SharedSplits.Split train, int[] order, int from, int to) {
        java.util.Arrays.fill(grad, 0.0);
        int stride = features + 1;
        double batchLoss = 0.0;
        for (int b = from; b < to; b++) {
            int row = order[b];
            int offset = row * features;
            int label = train.y()[row];
            SoftmaxMath.logits(weights, classes, features, train.x(), offset, z);
            if (SoftmaxMath.argmax(z, classes) == label) {
                correct++;
            }
            batchLoss += SoftmaxMath.softmaxInPlace(z, classes, label);
            // d loss / d z_k = p_k - [k == label]
            for (int k = 0; k < classes; k++) {
                double g = z[k] - (k == label ? 1.0 : 0.0);
                int base = k * stride;
                for (int j = 0; j < features; j++) {
                    grad[base + j] += g * train.x()[offset + j];
                }
                grad[base + features] += g;
            }
        }
        if (!Double.isFinite(batchLoss)) {
            throw new TrainingFailedException("non-finite training loss " + batchLoss + " in epoch " + epoch
                + ", batch " + (batchesDone + 1) + " of " + trialId + " (lr " + params.lr() + ")");
        }
        lossSum += batchLoss;
        double scale = 1.0 / (to - from);
        for (int k = 0; k < classes; k++) {
            int base = k * stride;
            for (int j = 0; j < features; j++) {
                int i = base + j;
                weights[i] -= params.lr() * (grad[i] * scale + params.l2() * weights[i]);
            }
            weights[base + features] -= params.lr() * grad[base + features] * scale;
        }
    }

    private void evaluate(String lossName, String accuracyName, SharedSplits.Split split, Map<String, Double> metrics) {
        int n = split.size();
        double loss = 0.0;
        long right = 0;
        for (int i = 0; i < n; i++) {
            int label = split.y()[i];
            SoftmaxMath.logits(weights, classes, features, split.x(), i * features, z);
            if (SoftmaxMath.argmax(z, classes) == label) {
                right++;
            }
            loss += SoftmaxMath.softmaxInPlace(z, classes, label);
        }
        if (n > 0 && !Double.isFinite(loss)) {
            throw new TrainingFailedException("non-finite " + lossName + " " + loss + " after epoch " + epoch
                + " of " + trialId + " (lr " + params.lr() + ")");
        }
        metrics.put(lossName, n == 0 ? Double.NaN : loss / n);
        metrics.put(accuracyName, n == 0 ? Double.NaN : (double) right / n);
    }

    private static double elapsed(long startNanos) {
        return Math.max(0.0, (System.nanoTime() - startNanos) / 1e9);
    }

    /** Format: magic, version, trial id, shape, the epoch position and its running sums, the weights; doubles as exact bits. */
    @Override
    public void save(OutputStream out) throws IOException {
        ensureOpen();
        DataOutputStream o = new DataOutputStream(new BufferedOutputStream(out, 1 << 16));
        o.writeInt(STATE_MAGIC);
        o.writeInt(STATE_VERSION);
        o.writeUTF(trialId);
        o.writeInt(classes);
        o.writeInt(features);
        o.writeInt(epoch);
        o.writeInt(batchesDone);
        o.writeDouble(lossSum);
        o.writeLong(correct);
        o.writeDouble(seconds);
        for (double w : weights) {
            o.writeDouble(w);
        }
        o.flush(); // not close(): the stream is the caller's
    }

    /** Reads everything first, so a bad checkpoint leaves this trainer as it was. */
    @Override
    public void restore(InputStream in) throws IOException {
        ensureOpen();
        // Unbuffered: a buffer could read past this trainer's state in the caller's stream.
        DataInputStream i = new DataInputStream(in);
        if (i.readInt() != STATE_MAGIC) {
            throw new IOException("not a softmax-regression checkpoint");
        }
        int version = i.readInt();
        if (version != STATE_VERSION) {
            throw new IOException("softmax-regression checkpoint version " + version + ", expected " + STATE_VERSION);
        }
        String id = i.readUTF();
        int k = i.readInt();
        int f = i.readInt();
        if (!id.equals(trialId) || k != classes || f != features) {
            throw new IOException("checkpoint of " + id + " (" + k + " classes, " + f + " features) does not fit "
                + trialId + " (" + classes + " classes, " + features + " features)");
        }
        int e = i.readInt();
        int done = i.readInt();
        double loss = i.readDouble();
        long right = i.readLong();
        double secs = i.readDouble();
        if (e < 1 || done < 0 || done > batches) {
            throw new IOException("bad epoch position in checkpoint: epoch " + e + ", batch " + done + " of " + batches);
        }
        double[] w = new double[weights.length];
        for (int j = 0; j < w.length; j++) {
            w[j] = i.readDouble();
        }
        weights = w;
        epoch = e;
        batchesDone = done;
        lossSum = loss;
        correct = right;
        seconds = secs;
    }

    @Override
    public void saveModel(Path target) {
        ensureOpen();
        new SoftmaxModelFile(data.scaling(), classes, weights.clone()).write(target);
    }

    @Override
    public void close() {
        closed = true;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException(trialId + ": trainer used after close()");
        }
    }
}

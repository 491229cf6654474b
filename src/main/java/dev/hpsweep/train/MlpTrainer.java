package dev.hpsweep.train;

import dev.hpsweep.data.TabularDataset;
import dev.hpsweep.space.Metrics;
import dev.hpsweep.space.TrialSpec;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * A multi-layer perceptron classifier: {@code depth} hidden dense layers of {@code width} units
 * (depth 6 = 7 dense layers with the output), optional batch norm between each dense layer and
 * its activation, softmax output, cross-entropy loss.
 *
 * <p>Train loss/accuracy of an epoch are means over its mini-batches, measured in training mode
 * on the parameters each batch was trained from (as a PyTorch loop records them); validation
 * and test are evaluated in inference mode after the epoch.
 */
public final class MlpTrainer implements Trainer {
    private static final int SAVE_FORMAT = 1;
    /** Rows per inference call when evaluating; bounds the memory of one forward pass. */
    private static final int EVAL_CHUNK = 8192;

    private final String trialId;
    private final long sweepSeed;
    private final int batchSize;
    private final int numClasses;
    private final SplitArrays train;
    private final SplitArrays validation;
    private final SplitArrays test;
    private MultiLayerNetwork net;
    /** Where the current (or next) epoch stands; survives save/restore. */
    private EpochCursor cursor = EpochCursor.start(1);

    public MlpTrainer(TrialSpec trial, TabularDataset data, long sweepSeed) {
        this.trialId = trial.id();
        this.sweepSeed = sweepSeed;
        this.batchSize = trial.intParam("batch_size");
        this.numClasses = data.numClasses();
        this.train = SplitArrays.of(data.train(), numClasses);
        this.validation = SplitArrays.of(data.validation(), numClasses);
        this.test = SplitArrays.of(data.test(), numClasses);
        this.net = new MultiLayerNetwork(configuration(trial, data.featureNames().size(), numClasses,
            Seeds.init(sweepSeed, trialId)));
        net.init();
    }

    static org.deeplearning4j.nn.conf.MultiLayerConfiguration configuration(
            TrialSpec trial, int inputs, int classes, long initSeed) {
        int depth = trial.intParam("depth");
        int width = trial.intParam("width");
        boolean batchNorm = trial.boolParam("batch_norm");
        Activation activation = activation(trial.stringParam("activation"));
        NeuralNetConfiguration.ListBuilder layers = new NeuralNetConfiguration.Builder()
            .seed(initSeed)
            .dataType(DataType.FLOAT)
            .weightInit(WeightInit.RELU)
            .updater(updater(trial))
            .list();
        int in = inputs;
        for (int i = 0; i < depth; i++) {
            layers.layer(new DenseLayer.Builder().nIn(in).nOut(width)
                .activation(batchNorm ? Activation.IDENTITY : activation).build());
            if (batchNorm) {
                layers.layer(new BatchNormalization.Builder().nOut(width).build());
                layers.layer(new ActivationLayer.Builder().activation(activation).build());
            }
            in = width;
        }
        layers.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
            .nIn(in).nOut(classes).activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER).build());
        return layers.build();
    }

    private static IUpdater updater(TrialSpec trial) {
        double lr = trial.doubleParam("lr");
        String optimizer = trial.stringParam("optimizer");
        return switch (optimizer) {
            case "adam" -> new Adam(lr);
            case "sgd" -> {
                double momentum = trial.doubleParam("momentum");
                // DL4J has no classical-momentum SGD; Nesterov momentum is its closest equivalent.
                yield momentum > 0 ? new Nesterovs(lr, momentum) : new Sgd(lr);
            }
            default -> throw new IllegalArgumentException("unknown optimizer '" + optimizer + "'");
        };
    }

    private static Activation activation(String name) {
        return switch (name) {
            case "relu" -> Activation.RELU;
            case "tanh" -> Activation.TANH;
            case "sigmoid" -> Activation.SIGMOID;
            case "leakyrelu" -> Activation.LEAKYRELU;
            default -> throw new IllegalArgumentException("unknown activation '" + name + "'");
        };
    }

    @Override
    public EpochResult runEpoch(int epoch, BooleanSupplier stopRequested) {
        if (net == null) {
            throw new IllegalStateException("trainer of " + trialId + " is closed");
        }
        if (cursor.epoch() != epoch) {
            cursor = EpochCursor.start(epoch);
        }
        long start = System.nanoTime();
        int[] order = Seeds.permutation(train.rows(), Seeds.epoch(sweepSeed, trialId, epoch));
        for (int from = cursor.batches() * batchSize; from < order.length; from += batchSize) {
            if (stopRequested.getAsBoolean()) {
                cursor = cursor.plusSeconds((System.nanoTime() - start) / 1e9);
                throw new TrainingInterruptedException(trialId + " stopped in epoch " + epoch + " after batch "
                    + cursor.batches(), epoch - 1, cursor.batches());
            }
            int to = Math.min(order.length, from + batchSize);
            int[] rows = Arrays.copyOfRange(order, from, to);
            INDArray x = train.features().getRows(rows);
            INDArray y = train.oneHot().getRows(rows);
            int[] labels = new int[rows.length];
            for (int i = 0; i < rows.length; i++) {
                labels[i] = train.labels()[rows[i]];
            }
            Scores batch = Scores.of(net.output(x, true), labels);
            if (!Double.isFinite(batch.lossSum())) {
                throw new TrainingFailedException("non-finite training loss in epoch " + epoch
                    + ", batch " + (cursor.batches() + 1));
            }
            net.fit(new DataSet(x, y));
            cursor = cursor.plusBatch(batch.lossSum() / rows.length, batch.correct());
        }
        Scores val = evaluate(validation);
        Scores tst = evaluate(test);
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put(Metrics.TRAIN_LOSS, cursor.lossSum() / cursor.batches());
        metrics.put(Metrics.TRAIN_ACCURACY, cursor.correct() / (double) train.rows());
        metrics.put(Metrics.VAL_LOSS, val.lossSum() / validation.rows());
        metrics.put(Metrics.VAL_ACCURACY, val.correct() / (double) validation.rows());
        metrics.put(Metrics.TEST_LOSS, tst.lossSum() / test.rows());
        metrics.put(Metrics.TEST_ACCURACY, tst.correct() / (double) test.rows());
        double seconds = cursor.seconds() + (System.nanoTime() - start) / 1e9;
        EpochResult result = new EpochResult(metrics, cursor.batches(), train.rows(), seconds);
        cursor = EpochCursor.start(epoch + 1);
        return result;
    }

    /** Format: a version, the epoch cursor, then DL4J's own model file (configuration, weights, updater state). */
    @Override
    public void save(OutputStream out) throws IOException {
        DataOutputStream data = new DataOutputStream(out);
        data.writeInt(SAVE_FORMAT);
        cursor.write(data);
        data.flush();
        ModelSerializer.writeModel(net, new NonClosingOutputStream(out), true);
    }

    @Override
    public void restore(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        int format = data.readInt();
        if (format != SAVE_FORMAT) {
            throw new IOException("unknown MLP checkpoint format " + format + "; this version reads " + SAVE_FORMAT);
        }
        EpochCursor restored = EpochCursor.read(data);
        net = ModelSerializer.restoreMultiLayerNetwork(data, true);
        cursor = restored;
    }

    private Scores evaluate(SplitArrays split) {
        Scores total = new Scores(0, 0);
        for (int from = 0; from < split.rows(); from += EVAL_CHUNK) {
            int to = Math.min(split.rows(), from + EVAL_CHUNK);
            INDArray x = split.features().get(
                org.nd4j.linalg.indexing.NDArrayIndex.interval(from, to),
                org.nd4j.linalg.indexing.NDArrayIndex.all());
            int[] labels = Arrays.copyOfRange(split.labels(), from, to);
            total = total.plus(Scores.of(net.output(x, false), labels));
        }
        return total;
    }

    /** The network, for callers that need more than metrics (tests, the benchmark's bare loop). */
    MultiLayerNetwork network() {
        return net;
    }

    @Override
    public void close() {
        net = null;
    }

    /** Summed cross-entropy and count of correct argmax predictions over some rows. */
    record Scores(double lossSum, long correct) {
        /** Probabilities are clamped at 1e-12 so one confident mistake cannot make the sum infinite by itself. */
        static Scores of(INDArray probabilities, int[] labels) {
            float[][] p = probabilities.toFloatMatrix();
            double loss = 0;
            long correct = 0;
            for (int i = 0; i < p.length; i++) {
                float[] row = p[i];
                if (!Float.isFinite(row[0])) {
                    return new Scores(Double.NaN, correct);
                }
                loss -= Math.log(Math.max(row[labels[i]], 1e-12));
                int best = 0;
                for (int c = 1; c < row.length; c++) {
                    if (row[c] > row[best]) {
                        best = c;
                    }
                }
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
}

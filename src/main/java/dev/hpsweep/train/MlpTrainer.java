package dev.hpsweep.train;

import dev.hpsweep.data.FeatureEncoding;
import dev.hpsweep.data.TabularDataset;
import dev.hpsweep.journal.AtomicFiles;
import dev.hpsweep.space.Metrics;
import dev.hpsweep.space.TrialSpec;
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
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
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
 * its activation, optional residual connections, softmax output, cross-entropy loss.
 *
 * <p>The network is a DL4J ComputationGraph, since a MultiLayerNetwork cannot add a layer's input
 * to its output. Its vertices are named {@code dense<i>} (i = 0 for the first hidden layer),
 * {@code bn<i>}, {@code act<i>}, {@code add<i>} and {@code output}; "dense layer i" in the
 * diagnostics is {@code dense<i>}, and {@code i = depth} is the output layer.
 *
 * <p>Train loss/accuracy of an epoch are means over its mini-batches, measured in training mode
 * on the parameters each batch was trained from (as a PyTorch loop records them); validation
 * and test are evaluated in inference mode after the epoch.
 */
public final class MlpTrainer implements Trainer {
    private static final int SAVE_FORMAT = 1;
    /** Rows per inference call when evaluating; bounds the memory of one forward pass. */
    private static final int EVAL_CHUNK = 8192;
    /** Name of the batch-loss series in {@link EpochResult#diagnostics()}. */
    public static final String BATCH_LOSS = "batch_loss";
    /** Prefix of the gradient-magnitude series: {@code grad_sq_norm_layer_<i>}. */
    public static final String GRAD_SQ_NORM = "grad_sq_norm_layer_";

    private final String trialId;
    private final long sweepSeed;
    private final int batchSize;
    private final int numClasses;
    private final int epochs;
    private final LearningRateSchedule schedule;
    private final boolean recordBatchLoss;
    private final List<Integer> gradLayers;
    private final SplitArrays train;
    private final SplitArrays validation;
    private final SplitArrays test;
    private final double clipNorm;
    private final List<String> recordedKeys;
    private GradientProbe probe;
    private TrainingOutputs outputs;
    /** Where the current (or next) epoch stands; survives save/restore. */
    private EpochCursor cursor = EpochCursor.start(1);
    private ComputationGraph net;

    public MlpTrainer(TrialSpec trial, TabularDataset data, long sweepSeed) {
        this.trialId = trial.id();
        this.sweepSeed = sweepSeed;
        this.batchSize = trial.intParam("batch_size");
        this.numClasses = data.numClasses();
        this.epochs = trial.epochs();
        this.schedule = LearningRateSchedule.of(trial);
        this.recordBatchLoss = trial.boolParam("record_batch_loss");
        this.gradLayers = trial.intListParam("record_grad_layers");
        int depth = trial.intParam("depth");
        for (int layer : gradLayers) {
            if (layer > depth) {
                throw new IllegalArgumentException("record_grad_layers: dense layers are 0.." + depth
                    + " (" + depth + " is the output), but got " + layer);
            }
        }
        FeatureEncoding encoding = encoding(trial, data);
        this.train = SplitArrays.of(encoding.encode(data.train()), numClasses);
        this.validation = SplitArrays.of(encoding.encode(data.validation()), numClasses);
        this.test = SplitArrays.of(encoding.encode(data.test()), numClasses);
        this.net = new ComputationGraph(configuration(trial, encoding.width(data.numFeatures()), numClasses,
            Seeds.init(sweepSeed, trialId)));
        net.init();
        this.clipNorm = trial.doubleParam("grad_clip_norm");
        this.recordedKeys = gradLayers.stream().map(i -> layerName(i, depth) + "_W").toList();
        this.probe = attachProbe(net);
    }

    /** The trial's input encoding, fitted on the training split of {@code data}. */
    public static FeatureEncoding encoding(TrialSpec trial, TabularDataset data) {
        return FeatureEncoding.fit(trial.stringParam("input_encoding"), trial.doubleListParam("sine_alphas"),
            data.train());
    }

    /** Vertex name of dense layer {@code i}: {@code dense<i>}, or {@code output} for {@code i == depth}. */
    static String layerName(int i, int depth) {
        return i == depth ? "output" : "dense" + i;
    }

    static ComputationGraphConfiguration configuration(TrialSpec trial, int inputs, int classes, long initSeed) {
        int depth = trial.intParam("depth");
        int width = trial.intParam("width");
        boolean batchNorm = trial.boolParam("batch_norm");
        boolean residual = trial.boolParam("residual");
        double l2 = trial.doubleParam("l2");
        Activation activation = activation(trial.stringParam("activation"));
        NeuralNetConfiguration.Builder base = new NeuralNetConfiguration.Builder()
            .seed(initSeed)
            .dataType(DataType.FLOAT)
            .weightInit(WeightInit.RELU)
            .updater(updater(trial));
        if (l2 > 0) {
            base.l2(l2);
        }
        ComputationGraphConfiguration.GraphBuilder graph = base.graphBuilder().addInputs("input");
        String previous = "input";
        int in = inputs;
        for (int i = 0; i < depth; i++) {
            String out = "dense" + i;
            graph.addLayer(out, new DenseLayer.Builder().nIn(in).nOut(width)
                .activation(batchNorm ? Activation.IDENTITY : activation).build(), previous);
            if (batchNorm) {
                graph.addLayer("bn" + i, new BatchNormalization.Builder().nOut(width).build(), out);
                graph.addLayer("act" + i, new ActivationLayer.Builder().activation(activation).build(), "bn" + i);
                out = "act" + i;
            }
            // The first layer maps the input to the width, so only the later ones can add their input.
            if (residual && i > 0) {
                graph.addVertex("add" + i, new ElementWiseVertex(ElementWiseVertex.Op.Add), out, previous);
                out = "add" + i;
            }
            previous = out;
            in = width;
        }
        graph.addLayer("output", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
            .nIn(in).nOut(classes).activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER).build(), previous);
        return graph.setOutputs("output").build();
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
        long start = System.nanoTime();
        if (schedule.varies()) {
            // Set from the epoch number alone, so a resumed trial gets the same rate.
            net.setLearningRate(schedule.rate(epoch, epochs));
        }
        if (cursor.epoch != epoch || cursor.batches == 0) {
            cursor = EpochCursor.start(epoch);
            probe.startEpoch();
        }
        int[] order = Seeds.permutation(train.rows(), Seeds.epoch(sweepSeed, trialId, epoch));
        for (int from = cursor.batches * batchSize; from < order.length; from += batchSize) {
            if (stopRequested.getAsBoolean()) {
                cursor.seconds += (System.nanoTime() - start) / 1e9;
                probe.saveTo(cursor);
                throw new TrainingInterruptedException(trialId + " stopped in epoch " + epoch + " after batch "
                    + cursor.batches, epoch - 1, cursor.batches);
            }
            int to = Math.min(order.length, from + batchSize);
            int[] rows = Arrays.copyOfRange(order, from, to);
            INDArray x = train.features().getRows(rows);
            INDArray y = train.oneHot().getRows(rows);
            int[] labels = new int[rows.length];
            for (int i = 0; i < rows.length; i++) {
                labels[i] = train.labels()[rows[i]];
            }
            probe.batchSize(rows.length);
            net.fit(new DataSet(x, y));
            float[][] logits = outputs.take();
            Scores batch = logits != null ? Scores.ofLogits(logits, labels) : Scores.of(net.output(true, x)[0], labels);
            if (!Double.isFinite(batch.lossSum())) {
                throw new TrainingFailedException("non-finite training loss in epoch " + epoch
                    + ", batch " + (cursor.batches + 1));
            }
            cursor.lossSum += batch.lossSum() / rows.length;
            cursor.correct += batch.correct();
            if (recordBatchLoss) {
                cursor.batchLosses.add(batch.lossSum() / rows.length);
            }
            cursor.batches++;
        }
        Scores val = evaluate(validation);
        Scores tst = evaluate(test);
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put(Metrics.TRAIN_LOSS, cursor.lossSum / cursor.batches);
        metrics.put(Metrics.TRAIN_ACCURACY, cursor.correct / (double) train.rows());
        metrics.put(Metrics.VAL_LOSS, val.lossSum() / validation.rows());
        metrics.put(Metrics.VAL_ACCURACY, val.correct() / (double) validation.rows());
        metrics.put(Metrics.TEST_LOSS, tst.lossSum() / test.rows());
        metrics.put(Metrics.TEST_ACCURACY, tst.correct() / (double) test.rows());
        Map<String, List<Double>> diagnostics = new LinkedHashMap<>();
        if (recordBatchLoss) {
            diagnostics.put(BATCH_LOSS, List.copyOf(cursor.batchLosses));
        }
        double[] gradients = probe.epochMeans();
        for (int k = 0; k < gradLayers.size(); k++) {
            diagnostics.put(GRAD_SQ_NORM + gradLayers.get(k), List.of(gradients[k]));
        }
        double seconds = cursor.seconds + (System.nanoTime() - start) / 1e9;
        EpochResult result = new EpochResult(metrics, cursor.batches, train.rows(), seconds, diagnostics);
        cursor = EpochCursor.start(epoch + 1);
        return result;
    }

    /** Format: a version, the epoch cursor, then DL4J's own model file (configuration, weights, updater state). */
    @Override
    public void save(OutputStream out) throws IOException {
        DataOutputStream data = new DataOutputStream(out);
        data.writeInt(SAVE_FORMAT);
        if (cursor.batches > 0) {
            probe.saveTo(cursor);
        }
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
        ComputationGraph loaded = ModelSerializer.restoreComputationGraph(data, true);
        net = loaded;
        probe = attachProbe(loaded);
        probe.restoreFrom(restored);
        cursor = restored;
    }

    /** The gradient probe (clipping, recorded norms) listens to {@code graph} when it has work to do. */
    private GradientProbe attachProbe(ComputationGraph graph) {
        GradientProbe p = new GradientProbe(graph, clipNorm, recordedKeys);
        outputs = new TrainingOutputs(graph, graph.getConfiguration().getVertexInputs().get("output").get(0));
        if (p.active()) {
            graph.setListeners(outputs, p);
        } else {
            graph.setListeners(outputs);
        }
        return p;
    }

    private Scores evaluate(SplitArrays split) {
        Scores total = new Scores(0, 0);
        for (int from = 0; from < split.rows(); from += EVAL_CHUNK) {
            int to = Math.min(split.rows(), from + EVAL_CHUNK);
            INDArray x = split.features().get(
                org.nd4j.linalg.indexing.NDArrayIndex.interval(from, to),
                org.nd4j.linalg.indexing.NDArrayIndex.all());
            int[] labels = Arrays.copyOfRange(split.labels(), from, to);
            total = total.plus(Scores.of(net.output(false, x)[0], labels));
        }
        return total;
    }

    /**
     * Writes the network (weights and configuration, without optimizer state) to {@code target}
     * in DL4J's ModelSerializer format, atomically: a reader sees the old file or the whole new one.
     */
    @Override
    public void saveModel(Path target) {
        if (net == null) {
            throw new IllegalStateException("trainer of " + trialId + " is closed");
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ModelSerializer.writeModel(net, bytes, false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialise the model of " + trialId, e);
        }
        AtomicFiles.write(target, bytes.toByteArray());
    }

    /** The network, for callers that need more than metrics (tests, the benchmark's bare loop). */
    ComputationGraph network() {
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
            return of(probabilities.toFloatMatrix(), labels);
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
                loss -= Math.log(Math.max(row[labels[i]], 1e-12));
                if (argmax(row) == labels[i]) {
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
                int best = argmax(row);
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

    static int argmax(float[] row) {
        int best = 0;
        for (int c = 1; c < row.length; c++) {
            if (row[c] > row[best]) {
                best = c;
            }
        }
        return best;
    }
}

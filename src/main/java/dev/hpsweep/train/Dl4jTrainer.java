package dev.hpsweep.train;

import dev.hpsweep.data.Shape;
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
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Trains any DL4J network a {@link NetworkDefinition} describes, an epoch per call: the mini-batch
 * loop in a seeded order per epoch, interruption at a batch boundary and the position inside the
 * epoch, train-mode metrics, chunked evaluation, gradient clipping and diagnostics, checkpoint
 * save/restore and model saving. A model type supplies only the definition, its
 * {@link Dl4jSettings} and the data ({@link Nd4jSplits}, shared read-only by the sweep's trials).
 *
 * <p>Train loss/accuracy of an epoch are means over its mini-batches, measured in training mode
 * on the parameters each batch was trained from (as a PyTorch loop records them); validation
 * and test are evaluated in inference mode after the epoch.
 */
public final class Dl4jTrainer implements Trainer {
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
    private final int epochs;
    private final LearningRateSchedule schedule;
    private final boolean recordBatchLoss;
    private final List<Integer> gradLayers;
    private final Nd4jSplits data;
    private final SplitArrays train;
    private final SplitArrays validation;
    private final SplitArrays test;
    private final double clipNorm;
    private final List<String> recordedKeys;
    private final OutputHead output;
    private GradientProbe probe;
    private TrainingOutputs outputs;
    /** An evaluation chunk's outputs, copied out of ND4J into one array kept across chunks and epochs. */
    private float[] evalScratch;
    /** Where the current (or next) epoch stands; survives save/restore. */
    private EpochCursor cursor = EpochCursor.start(1);
    private ComputationGraph net;

    /**
     * @param epochs the trial's epochs (a cosine schedule anneals over them)
     * @throws IllegalArgumentException when {@code record_grad_layers} names a layer the network lacks
     */
    public Dl4jTrainer(String trialId, long sweepSeed, int epochs, Dl4jSettings settings, NetworkDefinition network,
                       Nd4jSplits data) {
        this(trialId, sweepSeed, epochs, settings, network, data, null);
    }

    /**
     * A trainer whose network starts from {@code init} (another trial's saved network with a new
     * output layer for this data's classes) instead of {@code network}'s random initialisation;
     * {@code network} still numbers the layers for the diagnostics. {@code init} may be null.
     */
    public Dl4jTrainer(String trialId, long sweepSeed, int epochs, Dl4jSettings settings, NetworkDefinition network,
                       Nd4jSplits data, InitialWeights init) {
        Nd4jRuntime.install();
        this.trialId = trialId;
        this.sweepSeed = sweepSeed;
        this.batchSize = settings.batchSize();
        this.epochs = epochs;
        this.schedule = settings.schedule();
        this.recordBatchLoss = settings.recordBatchLoss();
        this.gradLayers = settings.recordGradLayers();
        this.recordedKeys = gradLayers.stream().map(network::gradientKey).toList();
        this.output = settings.output();
        this.data = data;
        this.train = data.train();
        this.validation = data.validation();
        this.test = data.test();
        long initSeed = Seeds.init(sweepSeed, trialId);
        this.clipNorm = settings.gradClipNorm();
        try (Nd4jRuntime.Scope ops = Nd4jRuntime.ops()) {
            if (init == null) {
                this.net = new ComputationGraph(configuration(network, settings, data.shape(), data.classes(), initSeed));
                net.init();
            } else {
                this.net = transferred(init, settings, data.classes(), initSeed);
            }
            this.probe = attachProbe(net);
        }
    }

    /**
     * The saved network with its output layer replaced by a new one (seeded from the trial; the
     * trial's {@link OutputHead}) for {@code classes} classes, this trial's updater and L2, and, for a probe, every layer up to the
     * head frozen.
     */
    static ComputationGraph transferred(InitialWeights init, Dl4jSettings settings, int classes, long initSeed) {
        ComputationGraph source;
        try {
            source = ModelSerializer.restoreComputationGraph(init.model().toFile(), false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the initial model " + init.model(), e);
        }
        String head = source.getConfiguration().getVertexInputs().get("output").get(0);
        long headWidth = ((FeedForwardLayer) source.getLayer("output").conf()
            .getLayer()).getNIn();
        FineTuneConfiguration.Builder tune =
            new FineTuneConfiguration.Builder()
                .updater(settings.updater()).seed(initSeed);
        if (settings.l2() > 0) {
            tune.l2(settings.l2());
        }
        TransferLearning.GraphBuilder graph =
            new TransferLearning.GraphBuilder(source)
                .fineTuneConfiguration(tune.build());
        if (init.freezeBackbone()) {
            graph.setFeatureExtractor(head);
        }
        return graph.removeVertexAndConnections("output")
            .addLayer("output", settings.output().layer(headWidth, classes), head)
            .setOutputs("output")
            .build();
    }

    /** The network's configuration with the settings every DL4J model shares: seed, float, updater, L2. */
    public static ComputationGraphConfiguration configuration(NetworkDefinition network, Dl4jSettings settings,
                                                              Shape input, int classes, long initSeed) {
        NeuralNetConfiguration.Builder base = new NeuralNetConfiguration.Builder()
            .seed(initSeed)
            .dataType(DataType.FLOAT)
            .updater(settings.updater());
        if (settings.l2() > 0) {
            base.l2(settings.l2());
        }
        return network.configuration(base, input, classes, settings.output());
    }

    @Override
    public EpochResult runEpoch(int epoch, BooleanSupplier stopRequested) {
        if (net == null) {
            throw new IllegalStateException("trainer of " + trialId + " is closed");
        }
        EpochResult result;
        try (Nd4jRuntime.Scope ops = Nd4jRuntime.ops()) {
            result = epoch(epoch, stopRequested);
        }
        Nd4jRuntime.collectAtEnd();
        return result;
    }

    private EpochResult epoch(int epoch, BooleanSupplier stopRequested) {
        long start = System.nanoTime();
        if (schedule.varies()) {
            // Set from the epoch number alone, so a resumed trial gets the same rate.
            net.setLearningRate(schedule.rate(epoch, epochs));
            // DL4J replaces the updater (same state) when the rate changes: take the standard path again.
            OwnGradientUpdater.install(net);
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
            INDArray x = Rows.gather(train.features(), rows);
            INDArray y = output.targets(Rows.gather(train.oneHot(), rows));
            int[] labels = new int[rows.length];
            for (int i = 0; i < rows.length; i++) {
                labels[i] = train.labels()[rows[i]];
            }
            probe.batchSize(rows.length);
            net.fit(new DataSet(x, y));
            Scores batch = outputs.take(labels);
            if (batch == null) {
                batch = Scores.of(net.output(true, x)[0], labels);
            }
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
            Nd4jRuntime.boundary();
        }
        Scores val = evaluate(validation);
        Scores tst = evaluate(test);
        // Batch norm in training mode can keep the training loss finite while the weights have
        // diverged; inference then gives NaN. Such a trial has failed, whatever its train loss says.
        if (!Double.isFinite(val.lossSum()) || !Double.isFinite(tst.lossSum())) {
            throw new TrainingFailedException("non-finite " + (Double.isFinite(val.lossSum()) ? "test" : "validation")
                + " loss after epoch " + epoch + " (training loss " + cursor.lossSum / cursor.batches + ")");
        }
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
        try (Nd4jRuntime.Scope ops = Nd4jRuntime.ops()) {
            write(out);
        }
    }

    private void write(OutputStream out) throws IOException {
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
        try (Nd4jRuntime.Scope ops = Nd4jRuntime.ops()) {
            read(in);
        }
    }

    private void read(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        int format = data.readInt();
        if (format != SAVE_FORMAT) {
            throw new IOException("unknown DL4J checkpoint format " + format + "; this version reads " + SAVE_FORMAT);
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
        OwnGradientUpdater.install(graph);
        LayerHelpers.install(graph);
        LayerHelpers.cacheConvolutionOutputs(graph);
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
            INDArray out = net.output(false, x)[0];
            evalScratch = Rows.flat(out, evalScratch);
            total = total.plus(Scores.of(evalScratch, (int) out.size(0), (int) out.size(1), labels));
            Nd4jRuntime.boundary();
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
        try (Nd4jRuntime.Scope ops = Nd4jRuntime.ops()) {
            ModelSerializer.writeModel(net, bytes, false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialise the model of " + trialId, e);
        }
        AtomicFiles.write(target, bytes.toByteArray());
    }

    /** The data this trainer reads: shared with the sweep's other trials, never written. */
    public Nd4jSplits data() {
        return data;
    }

    /** The network, for callers that need more than metrics (tests, the benchmark's bare loop). */
    public ComputationGraph network() {
        return net;
    }

    @Override
    public void close() {
        net = null;
        Nd4jRuntime.collectAtEnd();
    }

    public static int argmax(float[] row) {
        return argmax(row, 0, row.length);
    }

    /** The same over the row at {@code a[off .. off + n)}: an index from 0 to {@code n - 1}. */
    static int argmax(float[] a, int off, int n) {
        int best = 0;
        for (int c = 1; c < n; c++) {
            if (a[off + c] > a[off + best]) {
                best = c;
            }
        }
        return best;
    }
}

package dev.hpsweep.train;

import dev.hpsweep.data.Dataset;
import dev.hpsweep.space.TrialSpec;
import java.util.Arrays;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The baseline of the harness-overhead benchmark: the loop a DL4J user would write by hand for
 * the same network, data order and epochs: {@code fit} each mini-batch, then evaluate validation
 * and test with DL4J's {@link Evaluation}. No actors, no files, no train-mode metrics.
 */
public final class BareDl4jLoop {
    private BareDl4jLoop() {
    }

    /** Seconds spent fitting and evaluating, and the last epoch's validation accuracy. */
    public record Timing(double fitSeconds, double evalSeconds, long samples, double valAccuracy) {
        public double totalSeconds() {
            return fitSeconds + evalSeconds;
        }
    }

    /** Inside an ND4J scope, with a boundary after each batch, as hpsweep's trainer runs (Nd4jRuntime). */
    public static Timing run(TrialSpec trial, Dataset data, long sweepSeed, int epochs) {
        try (Nd4jRuntime.Scope ops = Nd4jRuntime.ops()) {
            return loop(trial, data, sweepSeed, epochs);
        }
    }

    private static Timing loop(TrialSpec trial, Dataset data, long sweepSeed, int epochs) {
        int classes = data.numClasses();
        SplitArrays train = SplitArrays.of(data.train(), classes);
        SplitArrays val = SplitArrays.of(data.validation(), classes);
        SplitArrays test = SplitArrays.of(data.test(), classes);
        ComputationGraph net = new ComputationGraph(Dl4jTrainer.configuration(MlpNetwork.from(trial),
            Dl4jSettings.from(trial), data.shape(), classes, Seeds.init(sweepSeed, trial.id())));
        net.init();
        int batch = trial.intParam("batch_size");
        double fit = 0;
        double eval = 0;
        double valAccuracy = 0;
        for (int epoch = 1; epoch <= epochs; epoch++) {
            long t0 = System.nanoTime();
            int[] order = Seeds.permutation(train.rows(), Seeds.epoch(sweepSeed, trial.id(), epoch));
            for (int from = 0; from < order.length; from += batch) {
                int[] rows = Arrays.copyOfRange(order, from, Math.min(order.length, from + batch));
                net.fit(new DataSet(Rows.gather(train.features(), rows), Rows.gather(train.oneHot(), rows)));
                Nd4jRuntime.boundary();
            }
            long t1 = System.nanoTime();
            valAccuracy = evaluate(net, val, classes);
            evaluate(net, test, classes);
            long t2 = System.nanoTime();
            fit += (t1 - t0) / 1e9;
            eval += (t2 - t1) / 1e9;
        }
        return new Timing(fit, eval, (long) epochs * train.rows(), valAccuracy);
    }

    /** Registrations for one batch's features and labels taken by ND4J's {@code getRows}, or by {@link Rows#gather}. */
    public static long rowRegistrations(Dataset data, boolean gather) {
        SplitArrays train = SplitArrays.of(data.train(), data.numClasses());
        int[] rows = Seeds.permutation(train.rows(), 1L);
        int[] batch = Arrays.copyOf(rows, 256);
        return Registrations.during(() -> {
            if (gather) {
                Rows.gather(train.features(), batch);
                Rows.gather(train.oneHot(), batch);
            } else {
                train.features().getRows(batch);
                train.oneHot().getRows(batch);
            }
        }).values().stream().mapToLong(Long::longValue).sum();
    }

    private static double evaluate(ComputationGraph net, SplitArrays split, int classes) {
        Evaluation ev = new Evaluation(classes);
        INDArray out = net.output(false, split.features())[0];
        ev.eval(split.oneHot(), out);
        return ev.accuracy();
    }
}

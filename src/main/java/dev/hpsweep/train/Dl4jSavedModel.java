package dev.hpsweep.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.UnaryOperator;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A network a {@link Dl4jTrainer} saved ({@link Dl4jTrainer#saveModel}), used after the sweep:
 * the report's prediction map asks it for the class of every point of a grid.
 */
public final class Dl4jSavedModel {
    private static final int CHUNK = 8192;

    private final ComputationGraph net;
    private final UnaryOperator<float[][]> prepare;

    private Dl4jSavedModel(ComputationGraph net, UnaryOperator<float[][]> prepare) {
        this.net = net;
        this.prepare = prepare;
        LayerHelpers.install(net); // the trainer's own inference path, so predictions match its evaluation
    }

    /**
     * @param modelZip a file written by {@link Dl4jTrainer#saveModel}
     * @param prepare  what the trainer did to each example before the network saw it (e.g. an input encoding)
     */
    public static Dl4jSavedModel read(Path modelZip, UnaryOperator<float[][]> prepare) {
        Nd4jRuntime.install();
        try (Nd4jRuntime.Scope ops = Nd4jRuntime.ops()) {
            return new Dl4jSavedModel(ModelSerializer.restoreComputationGraph(modelZip.toFile(), false), prepare);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the model " + modelZip, e);
        }
    }

    /** The predicted class of each example ({@link OutputHead#predicted}), in chunks that bound the memory of one forward pass. */
    public int[] predict(float[][] examples) {
        int[] labels = new int[examples.length];
        try (Nd4jRuntime.Scope ops = Nd4jRuntime.ops()) {
            predictInto(examples, labels);
        }
        return labels;
    }

    private void predictInto(float[][] examples, int[] labels) {
        for (int from = 0; from < examples.length; from += CHUNK) {
            int to = Math.min(examples.length, from + CHUNK);
            float[][] chunk = prepare.apply(Arrays.copyOfRange(examples, from, to));
            INDArray out = net.output(false, Nd4j.create(chunk))[0];
            float[][] p = Rows.floats(out);
            for (int i = 0; i < p.length; i++) {
                labels[from + i] = OutputHead.predicted(p[i]);
            }
            Nd4jRuntime.boundary();
        }
    }
}

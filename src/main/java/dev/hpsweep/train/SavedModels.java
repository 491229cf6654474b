package dev.hpsweep.train;

import dev.hpsweep.data.FeatureEncoding;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Uses a model a trial saved ({@link MlpTrainer#saveModel}) after the sweep: the report's
 * prediction map asks it for the class of every point of a longitude/latitude grid.
 */
public final class SavedModels {
    private static final int CHUNK = 8192;

    private SavedModels() {
    }

    /**
     * The predicted class (argmax) of each raw feature row.
     *
     * @param modelZip a file written by {@link MlpTrainer#saveModel}
     * @param encoding the trial's input encoding ({@link MlpTrainer#encoding}), applied to each row
     * @param rows     raw feature rows, as in the data set (e.g. {long, lat})
     */
    public static int[] predict(Path modelZip, FeatureEncoding encoding, float[][] rows) {
        ComputationGraph net;
        try {
            net = ModelSerializer.restoreComputationGraph(modelZip.toFile(), false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the model " + modelZip, e);
        }
        int[] labels = new int[rows.length];
        for (int from = 0; from < rows.length; from += CHUNK) {
            int to = Math.min(rows.length, from + CHUNK);
            float[][] chunk = encoding.encode(java.util.Arrays.copyOfRange(rows, from, to));
            INDArray out = net.output(false, Nd4j.create(chunk))[0];
            float[][] p = out.toFloatMatrix();
            for (int i = 0; i < p.length; i++) {
                labels[from + i] = MlpTrainer.argmax(p[i]);
            }
        }
        return labels;
    }
}

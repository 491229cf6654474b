package dev.hpsweep.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The features a saved network computes for its output layer (the activation of the vertex that
 * feeds {@code output}: a ResNet's global average pool), in inference mode, for rows of examples.
 */
public final class NetworkFeatures {
    private static final int CHUNK = 256;

    private final ComputationGraph net;
    private final String head;

    private NetworkFeatures(ComputationGraph net) {
        this.net = net;
        this.head = net.getConfiguration().getVertexInputs().get("output").get(0);
        LayerHelpers.install(net); // as the trainer's frozen layers run, so features equal a probe's
    }

    public static NetworkFeatures of(Path savedNetwork) {
        Nd4jRuntime.install();
        try (Nd4jRuntime.Scope ops = Nd4jRuntime.ops()) {
            return new NetworkFeatures(ModelSerializer.restoreComputationGraph(savedNetwork.toFile(), false));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the network " + savedNetwork, e);
        }
    }

    /** One feature row per example, in chunks that bound the memory of a forward pass. */
    public double[][] of(float[][] examples) {
        double[][] out = new double[examples.length][];
        try (Nd4jRuntime.Scope ops = Nd4jRuntime.ops()) {
            featuresInto(examples, out);
        }
        return out;
    }

    private void featuresInto(float[][] examples, double[][] out) {
        for (int from = 0; from < examples.length; from += CHUNK) {
            int to = Math.min(examples.length, from + CHUNK);
            INDArray x = Nd4j.create(Arrays.copyOfRange(examples, from, to));
            INDArray h = net.feedForward(x, false).get(head);
            double[][] rows = Rows.doubles(h.reshape(h.size(0), h.length() / h.size(0)));
            System.arraycopy(rows, 0, out, from, rows.length);
            Nd4jRuntime.boundary();
        }
    }
}

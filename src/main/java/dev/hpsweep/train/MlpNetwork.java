package dev.hpsweep.train;

import dev.hpsweep.data.Shape;
import dev.hpsweep.space.TrialSpec;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;

/**
 * A multi-layer perceptron classifier: {@code depth} hidden dense layers of {@code width} units
 * (depth 6 = 7 dense layers with the output), optional batch norm between each dense layer and
 * its activation, optional residual connections, softmax output, cross-entropy loss.
 *
 * <p>The network is a DL4J ComputationGraph, since a MultiLayerNetwork cannot add a layer's input
 * to its output. Its vertices are named {@code dense<i>} (i = 0 for the first hidden layer),
 * {@code bn<i>}, {@code act<i>}, {@code add<i>} and {@code output}; "layer i" in the
 * diagnostics is {@code dense<i>}, and {@code i = depth} is the output layer.
 */
public record MlpNetwork(int depth, int width, boolean batchNorm, boolean residual, String activation)
        implements NetworkDefinition {

    public static MlpNetwork from(TrialSpec trial) {
        return new MlpNetwork(trial.intParam("depth"), trial.intParam("width"), trial.boolParam("batch_norm"),
            trial.boolParam("residual"), trial.stringParam("activation"));
    }

    @Override
    public ComputationGraphConfiguration configuration(NeuralNetConfiguration.Builder base, Shape input, int classes,
                                                       OutputHead head) {
        if (input.dims().size() != 1) {
            throw new IllegalArgumentException("an mlp takes a vector of features, but the data's examples are " + input);
        }
        Activation act = activation(activation);
        ComputationGraphConfiguration.GraphBuilder graph = base.weightInit(WeightInit.RELU).graphBuilder()
            .addInputs("input");
        String previous = "input";
        int in = input.size();
        for (int i = 0; i < depth; i++) {
            String out = "dense" + i;
            graph.addLayer(out, new DenseLayer.Builder().nIn(in).nOut(width)
                .activation(batchNorm ? Activation.IDENTITY : act).build(), previous);
            if (batchNorm) {
                graph.addLayer("bn" + i, new BatchNormalization.Builder().nOut(width).build(), out);
                graph.addLayer("act" + i, new ActivationLayer.Builder().activation(act).build(), "bn" + i);
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
        graph.addLayer("output", head.layer(in, classes), previous);
        return graph.setOutputs("output").build();
    }

    @Override
    public String gradientKey(int layer) {
        if (layer < 0 || layer > depth) {
            throw new IllegalArgumentException("record_grad_layers: dense layers are 0.." + depth
                + " (" + depth + " is the output), but got " + layer);
        }
        return (layer == depth ? "output" : "dense" + layer) + "_W";
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
}

package dev.hpsweep.train;

import dev.hpsweep.data.Shape;
import dev.hpsweep.space.TrialSpec;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;

/**
 * ResNet18 for small images (He et al. 2016, the CIFAR-style variant): a 3x3 stride-1 stem
 * without max-pool, four stages of two basic blocks each ([2, 2, 2, 2]) of {@code width},
 * 2 x, 4 x and 8 x {@code width} channels, the later stages halving height and width with a
 * stride-2 first convolution (and a 1x1 stride-2 projection on the shortcut), batch norm after
 * every convolution, global average pooling, softmax output. {@code width} 64 is the standard
 * network; smaller widths scale every stage alike.
 *
 * <p>Vertices: {@code stem}, {@code s<stage>b<block>c1|c2} (convolutions), {@code ...bn1|bn2},
 * {@code ...proj} (shortcut), {@code ...add}, {@code ...out}, then {@code pool} and {@code output}.
 * "Layer i" in the diagnostics numbers the convolutions in that order (0 = stem; 17 of them plus
 * 3 projections = 20), and i = 20 is the output layer.
 */
public record ResNetNetwork(int width) implements NetworkDefinition {
    private static final int[] BLOCKS = {2, 2, 2, 2};

    public ResNetNetwork {
        if (width < 1) {
            throw new IllegalArgumentException("width >= 1 must hold, but got " + width);
        }
    }

    public static ResNetNetwork from(TrialSpec trial) {
        return new ResNetNetwork(trial.intParam("width"));
    }

    @Override
    public ComputationGraphConfiguration configuration(NeuralNetConfiguration.Builder base, Shape input, int classes,
                                                       OutputHead head) {
        if (input.dims().size() != 3) {
            throw new IllegalArgumentException("resnet18 takes images (channels x height x width), but the data's "
                + "examples are " + input);
        }
        ComputationGraphConfiguration.GraphBuilder g = base.weightInit(WeightInit.RELU)
            .convolutionMode(ConvolutionMode.Same).graphBuilder().addInputs("input");
        String previous = convBnRelu(g, "stem", "input", input.channels(), width, 1);
        int channels = width;
        for (int stage = 0; stage < BLOCKS.length; stage++) {
            int out = width << stage;
            for (int block = 0; block < BLOCKS[stage]; block++) {
                int stride = stage > 0 && block == 0 ? 2 : 1;
                previous = basicBlock(g, "s" + (stage + 1) + "b" + (block + 1), previous, channels, out, stride);
                channels = out;
            }
        }
        g.addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), previous);
        g.addLayer("output", head.layer(channels, classes), "pool");
        return g.setOutputs("output")
            .setInputTypes(InputType.convolutionalFlat(input.height(), input.width(), input.channels()))
            .build();
    }

    /** conv 3x3 -> BN -> ReLU; returns the last vertex. */
    private static String convBnRelu(ComputationGraphConfiguration.GraphBuilder g, String name, String in, int nIn,
                                     int nOut, int stride) {
        g.addLayer(name, conv(nIn, nOut, 3, stride), in);
        g.addLayer(name + "bn", new BatchNormalization.Builder().nOut(nOut).build(), name);
        g.addLayer(name + "relu", new ActivationLayer.Builder().activation(Activation.RELU).build(), name + "bn");
        return name + "relu";
    }

    /** x -> conv-BN-ReLU-conv-BN, plus x (projected when the shape changes), then ReLU. */
    private static String basicBlock(ComputationGraphConfiguration.GraphBuilder g, String name, String in, int nIn,
                                     int nOut, int stride) {
        String first = convBnRelu(g, name + "c1", in, nIn, nOut, stride);
        g.addLayer(name + "c2", conv(nOut, nOut, 3, 1), first);
        g.addLayer(name + "bn2", new BatchNormalization.Builder().nOut(nOut).build(), name + "c2");
        String shortcut = in;
        if (stride != 1 || nIn != nOut) {
            g.addLayer(name + "proj", conv(nIn, nOut, 1, stride), in);
            g.addLayer(name + "projbn", new BatchNormalization.Builder().nOut(nOut).build(), name + "proj");
            shortcut = name + "projbn";
        }
        g.addVertex(name + "add", new ElementWiseVertex(ElementWiseVertex.Op.Add), name + "bn2", shortcut);
        g.addLayer(name + "out", new ActivationLayer.Builder().activation(Activation.RELU).build(), name + "add");
        return name + "out";
    }

    private static ConvolutionLayer conv(int nIn, int nOut, int kernel, int stride) {
        // No bias: the batch norm that follows has its own shift.
        return new ConvolutionLayer.Builder(kernel, kernel).stride(stride, stride).nIn(nIn).nOut(nOut)
            .hasBias(false).activation(Activation.IDENTITY).build();
    }

    /** The convolutions in build order (stem, then each block's c1, c2 and projection), as record_grad_layers numbers them. */
    List<String> convolutions() {
        List<String> names = new ArrayList<>(List.of("stem"));
        int channels = width;
        for (int stage = 0; stage < BLOCKS.length; stage++) {
            int out = width << stage;
            for (int block = 0; block < BLOCKS[stage]; block++) {
                String name = "s" + (stage + 1) + "b" + (block + 1);
                names.add(name + "c1");
                names.add(name + "c2");
                if ((stage > 0 && block == 0) || channels != out) {
                    names.add(name + "proj");
                }
                channels = out;
            }
        }
        return names;
    }

    @Override
    public String gradientKey(int layer) {
        List<String> convs = convolutions();
        if (layer < 0 || layer > convs.size()) {
            throw new IllegalArgumentException("record_grad_layers: resnet18's layers are 0.." + convs.size()
                + " (0 = stem, " + convs.size() + " = output), but got " + layer);
        }
        return (layer == convs.size() ? "output" : convs.get(layer)) + "_W";
    }
}

package dev.hpsweep.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;

/**
 * oneDNN's convolutions compute what DL4J's built-in im2col + GEMM path computes: the same
 * outputs, gradients and trained parameters, up to float rounding.
 */
class OneDnnConvolutionTest {
    @BeforeAll
    static void oneDnnIsLoaded() {
        // The build puts libnd4j's oneDNN flavour on Linux x86-64 and the tests ask JavaCPP for it
        // (pom.xml), as bin/hpsweep does: this fails if that stops being true.
        if ("Linux".equals(System.getProperty("os.name")) && "amd64".equals(System.getProperty("os.arch"))) {
            assertTrue(NativeBinary.hasOneDnn(), "libnd4j without oneDNN was loaded: " + NativeBinary.buildInfo());
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(OneDnnConvolution.available(), "no oneDNN on this platform");
    }

    @Test
    void everyConvolutionGetsTheHelperOnce() {
        ComputationGraph net = NetworkComparisons.twoResNets(4, 1, 8, Map.of())[0];
        OneDnnConvolution.install(net);
        int convolutions = 0;
        for (Layer layer : net.getLayers()) {
            if (layer instanceof ConvolutionLayer conv) {
                assertInstanceOf(MKLDNNConvHelper.class, conv.getHelper(), layer.conf().getLayer().getLayerName());
                convolutions++;
            }
        }
        assertEquals(20, convolutions, "ResNet18: the stem, 16 in the blocks, 3 projections");
        Object first = ((ConvolutionLayer) net.getLayer("stem")).getHelper();
        OneDnnConvolution.install(net);
        assertTrue(first == ((ConvolutionLayer) net.getLayer("stem")).getHelper(), "a second install keeps the helper");
    }

    @Test
    void dilatedConvolutionsKeepDl4jsPath() {
        // libnd4j's oneDNN conv2d sizes its padding without the dilation, and oneDNN rejects the shapes.
        var conf = new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder().seed(1).graphBuilder()
            .addInputs("in")
            .setInputTypes(org.deeplearning4j.nn.conf.inputs.InputType.convolutional(8, 8, 1))
            .addLayer("dilated", new org.deeplearning4j.nn.conf.layers.ConvolutionLayer.Builder(3, 3).dilation(2, 2)
                .nOut(2).build(), "in")
            .addLayer("plain", new org.deeplearning4j.nn.conf.layers.ConvolutionLayer.Builder(3, 3).nOut(2).build(), "dilated")
            .addLayer("output", new org.deeplearning4j.nn.conf.layers.OutputLayer.Builder().nOut(2)
                .activation(org.nd4j.linalg.activations.Activation.SOFTMAX).build(), "plain")
            .setOutputs("output").build();
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        OneDnnConvolution.install(net);
        assertNull(((ConvolutionLayer) net.getLayer("dilated")).getHelper(), "a dilated layer keeps DL4J's path");
        assertInstanceOf(MKLDNNConvHelper.class, ((ConvolutionLayer) net.getLayer("plain")).getHelper());
    }

    @Test
    void sameGradientsAndOutputsAsDl4jsBuiltInPathUpToRounding() {
        // 12 x 12 with 3 channels: stride-2 stages on even and odd sizes (12, 6, 3, 2), "same" padding.
        ComputationGraph[] nets = NetworkComparisons.twoResNets(4, 3, 12, Map.of());
        OneDnnConvolution.install(nets[1]);
        assertNull(((ConvolutionLayer) nets[0].getLayer("stem")).getHelper(), "the reference runs DL4J's own path");
        INDArray[] xy = NetworkComparisons.images(8, 3, 12, 11);
        NetworkComparisons.assertSameGradients(nets[0], nets[1], xy[0], xy[1], 1e-5, 0.01);
        NetworkComparisons.assertClose(nets[0].outputSingle(false, xy[0]), nets[1].outputSingle(false, xy[0]), 1e-5,
            "inference outputs");
    }

    /**
     * SGD at a modest rate, as FusedBatchNormTest. Adam's first steps move each parameter by about
     * the learning rate whatever its gradient's size, so where a gradient is rounding noise (zero in
     * exact arithmetic) either path's noise becomes a step of the full rate; SGD at 0.1 on these
     * random labels met a batch whose gradient spiked and magnified both paths' rounding 300-fold.
     */
    @Test
    void sameParametersAsDl4jsBuiltInPathUpToRoundingOverTenSgdBatches() {
        ComputationGraph[] nets = NetworkComparisons.twoResNets(4, 1, 10, Map.of("optimizer", "sgd", "lr", 0.01));
        FusedBatchNorm.install(nets[0]); // batch norm as the trainer runs it, in both
        LayerHelpers.install(nets[1]);
        ComputationGraph builtIn = nets[0];
        ComputationGraph oneDnn = nets[1];
        for (int b = 0; b < 10; b++) {
            INDArray[] xy = NetworkComparisons.images(16, 1, 10, 100 + b);
            MultiDataSet ds = new MultiDataSet(xy[0], xy[1]);
            builtIn.fit(ds);
            oneDnn.fit(ds);
            // Measured: the parameters' difference grows by ~3e-7 of their norm per batch.
            double drift = builtIn.params().sub(oneDnn.params()).norm2Number().doubleValue()
                / builtIn.params().norm2Number().doubleValue();
            assertTrue(drift <= 1e-6, "parameters (incl. running mean/var), batch " + b + ": differ by " + drift + " of their norm");
            NetworkComparisons.assertClose(builtIn.params(), oneDnn.params(), 1e-4, "parameters, batch " + b);
            assertEquals(builtIn.score(), oneDnn.score(), 1e-4, "training loss, batch " + b);
        }
    }
}

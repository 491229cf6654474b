package dev.hpsweep.train;

import java.lang.reflect.Field;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * 2-D convolutions in oneDNN, through DL4J's own oneDNN helper, when the libnd4j that ND4J loaded
 * was built with oneDNN (the {@code linux-x86_64-onednn} binary the launcher selects). DL4J
 * 1.0.0-M2.1 never uses that helper by itself: its check looks for
 * {@code org.nd4j.nativeblas.Nd4jCpu$Environment}, a class M2.1 moved to another package, so the
 * check fails and every convolution runs DL4J's own im2col + GEMM. That path was 80% of a ResNet18
 * batch (docs/BENCHMARKS.md); libnd4j's oneDNN {@code conv2d} and {@code conv2d_bp} are 10-30x faster
 * on the same shapes.
 *
 * <p>Same layers, parameters and saved files; the convolution is the same function summed in
 * another order, so numbers differ from the built-in path in the last float bits
 * (OneDnnConvolutionTest bounds the difference). {@code -Dhpsweep.onednn.conv=false} keeps DL4J's
 * path.
 */
final class OneDnnConvolution {
    private static final Field HELPER = LayerHelpers.helperField(ConvolutionLayer.class);
    private static volatile Boolean available;

    private OneDnnConvolution() {
    }

    /**
     * Gives each plain 2-D convolution layer of {@code graph} (frozen ones included) DL4J's oneDNN
     * helper, where oneDNN is loaded and the layer has no helper yet. Dilated layers and subclasses
     * (1-D, depthwise, separable, transposed convolutions) keep their own paths.
     */
    static void install(ComputationGraph graph) {
        if (!available()) {
            return;
        }
        for (Layer inner : LayerHelpers.unwrapped(graph)) {
            if (inner.getClass() != ConvolutionLayer.class) {
                continue;
            }
            ConvolutionLayer conv = (ConvolutionLayer) inner;
            DataType type = conv.getParam("W").dataType();
            int[] dilation = conv.layerConf().getDilation();
            // libnd4j's oneDNN conv2d sizes its right padding without the dilation, so oneDNN
            // rejects dilated shapes: those layers keep DL4J's path.
            boolean undilated = dilation == null || (dilation[0] == 1 && dilation[1] == 1);
            if (conv.getHelper() == null && type == DataType.FLOAT && undilated) {
                LayerHelpers.set(HELPER, conv, new MKLDNNConvHelper(type));
            }
        }
    }

    /** Whether the loaded libnd4j has oneDNN and the helper is wanted ({@code -Dhpsweep.onednn.conv}, default true). */
    static boolean available() {
        if (!Boolean.parseBoolean(System.getProperty("hpsweep.onednn.conv", "true"))) {
            return false;
        }
        Boolean known = available;
        if (known == null) {
            known = NativeBinary.hasOneDnn();
            available = known;
        }
        return known;
    }
}

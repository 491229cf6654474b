package dev.hpsweep.train;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.FrozenLayer;

/**
 * The layer helpers hpsweep gives a DL4J network wherever it runs one (training, a saved model's
 * predictions, features for a probe), so that all of them compute the same numbers: batch norm in
 * libnd4j's fused ops ({@link FusedBatchNorm}) and 2-D convolutions in oneDNN
 * ({@link OneDnnConvolution}). Both go through DL4J's own helper seam: a layer's private
 * {@code helper} field, which DL4J consults before its built-in path.
 */
final class LayerHelpers {
    private LayerHelpers() {
    }

    static void install(ComputationGraph graph) {
        if (FusedBatchNorm.enabled()) {
            LeanBatchNormalization.install(graph);
        }
        FusedBatchNorm.install(graph);
        OneDnnConvolution.install(graph);
    }

    /**
     * Has the graph's 2-D convolutions that run in a helper (oneDNN's, {@link OneDnnConvolution})
     * keep a training batch's forward output for its backprop: DL4J's
     * {@code ConvolutionLayer.backpropGradient} otherwise runs the whole forward convolution again
     * to get it. This is DL4J's own cache ({@code CacheMode.DEVICE}): in {@code fit}, each training
     * forward pass copies the layer's output into the workspace that holds all layers' activations
     * until backprop ends, and backprop reads it there. The same numbers (the forward op is
     * deterministic): ConvolutionCacheTest compares parameters bit for bit. Only those layers get
     * the mode: on DL4J's own path a convolution would keep its whole im2col matrix as well (k x k
     * times its output), and other layers have caches of their own. The configuration gets it too,
     * since DL4J opens the cache's workspace only then. {@code -Dhpsweep.conv.cache=false} keeps
     * DL4J's default (none); a network without such layers is left as it is.
     */
    static void cacheConvolutionOutputs(ComputationGraph graph) {
        if (!Boolean.parseBoolean(System.getProperty("hpsweep.conv.cache", "true"))) {
            return;
        }
        for (Layer layer : graph.getLayers()) {
            if (layer.getClass() == org.deeplearning4j.nn.layers.convolution.ConvolutionLayer.class
                && ((org.deeplearning4j.nn.layers.convolution.ConvolutionLayer) layer).getHelper() != null) {
                layer.setCacheMode(org.deeplearning4j.nn.conf.CacheMode.DEVICE);
                graph.getConfiguration().setCacheMode(org.deeplearning4j.nn.conf.CacheMode.DEVICE);
            }
        }
    }

    /**
     * The graph's layers, each {@link FrozenLayer} as the layer inside it (frozen layers run their
     * inner layer, so a probe sees the same network). Not inside FrozenLayerWithBackprop: it runs
     * its layer's forward pass in inference mode and then backprop through it, which needs the
     * built-in path's own cached state.
     */
    static List<Layer> unwrapped(ComputationGraph graph) {
        List<Layer> layers = new ArrayList<>();
        for (Layer layer : graph.getLayers()) {
            Layer inner = layer;
            while (inner instanceof FrozenLayer f) {
                inner = f.getInsideLayer();
            }
            layers.add(inner);
        }
        return layers;
    }

    /** DL4J's {@code helper} field of {@code layerClass}, made accessible. */
    static Field helperField(Class<?> layerClass) {
        try {
            Field f = layerClass.getDeclaredField("helper");
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static void set(Field helperField, Layer layer, Object helper) {
        try {
            helperField.set(layer, helper);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot reach DL4J's " + helperField.getDeclaringClass().getSimpleName()
                + ".helper", e);
        }
    }
}

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
        FusedBatchNorm.install(graph);
        OneDnnConvolution.install(graph);
    }

    /**
     * Has the graph's 2-D convolutions keep a training batch's forward output for its backprop:
     * DL4J's {@code ConvolutionLayer.backpropGradient} otherwise runs the whole forward convolution
     * again to get it (a quarter of a convolution's work per batch). This is DL4J's own cache
     * ({@code CacheMode.DEVICE}): in {@code fit}, each training forward pass writes the layer's
     * output into the workspace that holds all layers' activations until backprop ends, and backprop
     * reads it there. The same numbers (the forward op is deterministic):
     * ConvolutionCacheTest compares parameters bit for bit. Frozen layers ignore it.
     * {@code -Dhpsweep.conv.cache=false} keeps DL4J's default (none). A network without
     * convolutions is left as it is (so an MLP's saved configuration does not change).
     */
    static void cacheConvolutionOutputs(ComputationGraph graph) {
        if (!Boolean.parseBoolean(System.getProperty("hpsweep.conv.cache", "true"))) {
            return;
        }
        boolean convolutions = false;
        for (Layer inner : unwrapped(graph)) {
            convolutions |= inner instanceof org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
        }
        if (convolutions) {
            graph.getConfiguration().setCacheMode(org.deeplearning4j.nn.conf.CacheMode.DEVICE);
            graph.setCacheMode(org.deeplearning4j.nn.conf.CacheMode.DEVICE);
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

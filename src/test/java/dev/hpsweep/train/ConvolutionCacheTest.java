package dev.hpsweep.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.lang.reflect.Field;
import java.util.Map;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;

/**
 * Convolutions that keep a training batch's forward output for its backprop train to the very
 * same parameters as convolutions that compute it again (oneDNN's helper; DL4J's own path keeps
 * nothing and trains the same), also when inference in training mode and evaluation run between the batches (they
 * must not leave an output that a later backprop would take for its own).
 */
class ConvolutionCacheTest {

    @Test
    void cachedForwardOutputsTrainBitForBitAsRecomputedOnesWithOneDnn() throws Exception {
        trainBothAndCompare(true);
    }

    @Test
    void cachedForwardOutputsTrainBitForBitAsRecomputedOnesOnDl4jsOwnPath() throws Exception {
        trainBothAndCompare(false);
    }

    private static void trainBothAndCompare(boolean helpers) throws Exception {
        ComputationGraph[] nets = NetworkComparisons.twoResNets(4, 1, 10, Map.of("optimizer", "adam", "lr", 0.01));
        for (ComputationGraph net : nets) {
            if (helpers) {
                LayerHelpers.install(net);
            } else {
                FusedBatchNorm.install(net);
            }
        }
        ComputationGraph recomputed = nets[0];
        ComputationGraph cached = nets[1];
        LayerHelpers.cacheConvolutionOutputs(cached);
        if (helpers) {
            assertEquals(CacheMode.DEVICE, cached.getConfiguration().getCacheMode());
        }
        for (int b = 0; b < 6; b++) {
            INDArray[] xy = NetworkComparisons.images(16, 1, 10, 200 + b);
            MultiDataSet ds = new MultiDataSet(xy[0], xy[1]);
            recomputed.fit(ds);
            cached.fit(ds);
            assertArrayEquals(recomputed.params().data().asFloat(), cached.params().data().asFloat(),
                "parameters (incl. running statistics) after batch " + b);
            assertEquals(recomputed.score(), cached.score(), 0.0, "training loss, batch " + b);
            // Between batches, as the trainer does when it has no logits, and as evaluation does.
            INDArray[] other = NetworkComparisons.images(8, 1, 10, 900 + b);
            assertArrayEquals(recomputed.outputSingle(true, other[0]).data().asFloat(),
                cached.outputSingle(true, other[0]).data().asFloat(), "train-mode outputs, batch " + b);
            assertArrayEquals(recomputed.outputSingle(false, other[0]).data().asFloat(),
                cached.outputSingle(false, other[0]).data().asFloat(), "inference outputs, batch " + b);
        }
        Field preOutput = org.deeplearning4j.nn.layers.AbstractLayer.class.getDeclaredField("preOutput");
        preOutput.setAccessible(true);
        if (helpers) {
            assertNotNull(preOutput.get(cached.getLayer("stem")), "the cached network's convolutions kept their output");
        } else {
            // DL4J's own path would keep each layer's im2col matrix too: no cache there.
            assertNull(preOutput.get(cached.getLayer("stem")), "a convolution without a helper kept its output");
            assertEquals(CacheMode.NONE, cached.getConfiguration().getCacheMode() == null ? CacheMode.NONE
                : cached.getConfiguration().getCacheMode());
        }
    }
}

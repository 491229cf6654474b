package dev.hpsweep.train;

import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * The layer helpers hpsweep gives a DL4J network wherever it runs one (training, a saved model's
 * predictions, features for a probe), so that all of them compute the same numbers: batch norm in
 * libnd4j's fused ops ({@link FusedBatchNorm}) and 2-D convolutions in oneDNN
 * ({@link OneDnnConvolution}).
 */
final class LayerHelpers {
    private LayerHelpers() {
    }

    static void install(ComputationGraph graph) {
        FusedBatchNorm.install(graph);
        OneDnnConvolution.install(graph);
    }
}

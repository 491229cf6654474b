package dev.hpsweep.train;

import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The output layer's logits of each training step, taken from the step's own forward pass, so
 * that train loss and accuracy need no second forward pass (which cost ~60% of an epoch on small
 * MLPs). DL4J hands listeners every layer's activation but the output layer's; the logits are its
 * input times its weights plus bias, with the weights as they were before the step's update.
 */
final class TrainingOutputs extends BaseTrainingListener {
    private final ComputationGraph net;
    private final String outputInput;
    /** The last step's logits, row-major, in an array kept from step to step; {@code rows} is 0 once taken. */
    private float[] logits;
    private int rows;
    private int cols;

    /** @param outputInput the vertex that feeds the output layer */
    TrainingOutputs(ComputationGraph net, String outputInput) {
        this.net = net;
        this.outputInput = outputInput;
    }

    @Override
    public void onForwardPass(Model model, Map<String, INDArray> activations) {
        INDArray h = activations.get(outputInput);
        if (h == null) {
            return;
        }
        INDArray z = h.mmul(net.getParam("output_W")).addiRowVector(net.getParam("output_b"));
        logits = Rows.flat(z, logits);
        rows = (int) z.size(0);
        cols = (int) z.size(1);
    }

    /** The last step's loss and accuracy from its logits, once: null if no forward pass was seen since the last call. */
    Scores take(int[] labels) {
        if (rows == 0) {
            return null;
        }
        Scores s = Scores.ofLogits(logits, rows, cols, labels);
        rows = 0;
        return s;
    }
}

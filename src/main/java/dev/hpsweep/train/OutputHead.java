package dev.hpsweep.train;

import dev.hpsweep.space.ParamDef;
import java.util.List;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The output layer of a DL4J network and the loss it trains with: a softmax over the classes with
 * cross-entropy (DL4J's {@code MCXENT}), or, for two classes, one sigmoid unit with binary
 * cross-entropy (DL4J's {@code XENT}), the study's "binary cross-entropy on a single logit".
 *
 * <p>The two are not the same optimisation in DL4J. {@code MCXENT} with softmax backpropagates
 * {@code p - y} directly. {@code XENT} clips the probability to [1e-5, 1 - 1e-5] and divides by
 * {@code p(1 - p)} of the clipped value, then multiplies by the sigmoid's derivative of the
 * unclipped one: once a wrong output saturates (|logit| above ~11.5), its gradient shrinks as
 * {@code e^-|logit|} instead of staying near 1 as PyTorch's {@code BCEWithLogitsLoss} does, so a
 * network that jumps to confident wrong answers (lr 1e-1) stays there.
 */
public enum OutputHead {
    SOFTMAX, SIGMOID;

    /** The parameter that chooses it, declared by the networks whose data may have two classes. */
    public static final ParamDef PARAM = ParamDef.oneOf("output", List.of("softmax", "sigmoid"), "softmax",
        "Output layer: softmax over the classes with cross-entropy, or (two classes only) one sigmoid unit with "
            + "binary cross-entropy, DL4J's XENT (probabilities clipped to [1e-5, 1 - 1e-5]).");

    public static OutputHead of(String name) {
        return switch (name) {
            case "softmax" -> SOFTMAX;
            case "sigmoid" -> SIGMOID;
            default -> throw new IllegalArgumentException("output: softmax or sigmoid, but got '" + name + "'");
        };
    }

    /**
     * The layer named {@code output} for inputs of {@code nIn} values and {@code classes} classes.
     *
     * @throws IllegalArgumentException for a sigmoid head on other than two classes
     */
    public OutputLayer layer(long nIn, int classes) {
        if (this == SOFTMAX) {
            return new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(nIn).nOut(classes)
                .activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER).build();
        }
        if (classes != 2) {
            throw new IllegalArgumentException("output: sigmoid is one unit for two classes, but the data has "
                + classes + " classes; use output: softmax");
        }
        return new OutputLayer.Builder(LossFunctions.LossFunction.XENT).nIn(nIn).nOut(1)
            .activation(Activation.SIGMOID).weightInit(WeightInit.XAVIER).build();
    }

    /** The training targets of some rows from their one-hot labels: as they are, or the class-1 column. */
    INDArray targets(INDArray oneHot) {
        return this == SOFTMAX ? oneHot : oneHot.get(NDArrayIndex.all(), NDArrayIndex.interval(1, 2));
    }

    /**
     * The class a network output row predicts: the argmax of the class probabilities, or, for one
     * sigmoid unit (a row of length 1), class 1 when its probability is above 0.5 (a tie is class 0,
     * as the argmax of {@code [1 - p, p]} would give).
     */
    public static int predicted(float[] probabilities) {
        return predicted(probabilities, 0, probabilities.length);
    }

    /** The same for the row at {@code a[off .. off + n)}. */
    static int predicted(float[] a, int off, int n) {
        return n == 1 ? (a[off] > 0.5f ? 1 : 0) : Dl4jTrainer.argmax(a, off, n);
    }
}

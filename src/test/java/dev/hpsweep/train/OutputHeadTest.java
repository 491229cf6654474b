package dev.hpsweep.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * The two output heads: the scores hpsweep reports from either, and what DL4J's losses do with a
 * confident wrong answer (the reason lr 1e-1 stays diverged with a sigmoid head; STUDY.md Part 3).
 */
class OutputHeadTest {

    @Test
    void oneSigmoidUnitScoresAsTwoSoftmaxClassesWithTheLogitDifference() {
        // sigmoid(z) = softmax([0, z])[1], so both rows must give the same loss and the same answers.
        float[][] single = {{2.0f}, {-0.5f}, {0.0f}, {-30f}};
        float[][] pair = {{0, 2.0f}, {0, -0.5f}, {0, 0.0f}, {0, -30f}};
        int[] labels = {1, 1, 0, 1};
        Scores a = Scores.ofLogits(single, labels);
        Scores b = Scores.ofLogits(pair, labels);
        assertEquals(b.lossSum(), a.lossSum(), 1e-9);
        assertEquals(b.correct(), a.correct());
        assertEquals(2, a.correct(), "z = 2 -> class 1 right; -0.5 -> 0 wrong; 0 (a tie) -> class 0 right; -30 wrong");
        float[][] probabilities = {{0.8f}, {0.3f}, {0.5f}};
        Scores p = Scores.of(probabilities, new int[] {1, 0, 0});
        assertEquals(-Math.log(0.8) - Math.log(0.7) - Math.log(0.5), p.lossSum(), 1e-6);
        assertEquals(3, p.correct(), "0.5 is a tie: class 0");
        assertEquals(0, OutputHead.predicted(new float[] {0.5f}));
        assertEquals(1, OutputHead.predicted(new float[] {0.51f}));
        assertEquals(0, OutputHead.predicted(new float[] {0.49f}));
        assertEquals(1, OutputHead.predicted(new float[] {0.2f, 0.8f}));
    }

    /**
     * A wrong answer given with logit -20: softmax cross-entropy pushes back with gradient ~1, DL4J's
     * binary cross-entropy (probabilities clipped to [1e-5, 1 - 1e-5]) with ~1e-4, and less the
     * further it saturates, where BCE-with-logits would give ~1.
     */
    @Test
    void dl4jsBinaryCrossEntropyLetsASaturatedWrongAnswerStay() {
        INDArray logit = Nd4j.create(new float[][] {{-20f}});
        INDArray label = Nd4j.create(new float[][] {{1f}});
        double xent = new LossBinaryXENT().computeGradient(label, logit, new ActivationSigmoid(), null)
            .getDouble(0, 0);
        INDArray logits = Nd4j.create(new float[][] {{0f, -20f}});
        INDArray oneHot = Nd4j.create(new float[][] {{0f, 1f}});
        double mcxent = new LossMCXENT().computeGradient(oneHot, logits, new ActivationSoftmax(), null)
            .getDouble(0, 1);
        assertEquals(-1.0, mcxent, 1e-6);
        assertTrue(Math.abs(xent) < 1e-3 && xent < 0, "XENT gradient at logit -20: " + xent);
        double fartherOut = new LossBinaryXENT().computeGradient(label, Nd4j.create(new float[][] {{-30f}}),
            new ActivationSigmoid(), null).getDouble(0, 0);
        assertTrue(Math.abs(fartherOut) < Math.abs(xent) * 1e-3, "logit -30: " + fartherOut);
        assertEquals(DataType.FLOAT, logit.dataType());
    }
}

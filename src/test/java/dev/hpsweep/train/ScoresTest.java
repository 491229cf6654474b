package dev.hpsweep.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** One row-major array gives the very scores (to the bit) that one Java array per row gives. */
class ScoresTest {

    @Test
    void flatRowsScoreExactlyAsRowArraysForSoftmaxAndSigmoidHeads() {
        Random random = new Random(7);
        for (int cols : new int[] {1, 2, 35}) {
            int rows = 50;
            float[][] logits = new float[rows][cols];
            float[][] probabilities = new float[rows][cols];
            float[] flatLogits = new float[rows * cols + 3]; // a reused array may be longer
            float[] flatProbabilities = new float[rows * cols];
            int[] labels = new int[rows];
            for (int r = 0; r < rows; r++) {
                labels[r] = random.nextInt(Math.max(cols, 2));
                for (int c = 0; c < cols; c++) {
                    logits[r][c] = (float) (random.nextGaussian() * 3);
                    probabilities[r][c] = random.nextFloat();
                    flatLogits[r * cols + c] = logits[r][c];
                    flatProbabilities[r * cols + c] = probabilities[r][c];
                }
            }
            assertEquals(Scores.ofLogits(logits, labels), Scores.ofLogits(flatLogits, rows, cols, labels));
            assertEquals(Scores.of(probabilities, labels), Scores.of(flatProbabilities, rows, cols, labels));
            assertTrue(Scores.ofLogits(logits, labels).correct() > 0);
        }
    }

    @Test
    void aNonFiniteRowMakesTheLossNaNAndStopsTheCountThere() {
        float[][] rows = {{0.9f, 0.1f}, {Float.NaN, 0.5f}, {0.9f, 0.1f}};
        float[] flat = {0.9f, 0.1f, Float.NaN, 0.5f, 0.9f, 0.1f};
        int[] labels = {0, 0, 0};
        Scores s = Scores.of(flat, 3, 2, labels);
        assertTrue(Double.isNaN(s.lossSum()));
        assertEquals(1, s.correct());
        assertEquals(Scores.of(rows, labels).correct(), s.correct());
        float[] logits = {1e38f, -1e38f, Float.POSITIVE_INFINITY, 0f};
        assertTrue(Double.isNaN(Scores.ofLogits(logits, 2, 2, new int[] {0, 1}).lossSum()));
    }
}

package dev.hpsweep.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class GradientProbeTest {

    @Test
    void normOfAnOrdinaryFloatGradientIsLibnd4jsOwn() {
        INDArray g = Nd4j.createFromArray(3f, 4f);
        assertEquals(5.0, GradientProbe.norm2(g), 1e-6);
    }

    @Test
    void normStaysFiniteWhereTheFloatSumOfSquaresOverflows() {
        // 1e20² = 1e40 is past float's 3.4e38, though every element and the norm itself are floats.
        INDArray g = Nd4j.valueArrayOf(new long[] {4, 4}, 1e20f, DataType.FLOAT);
        assertEquals(4e20, GradientProbe.norm2(g), 4e20 * 1e-6);
    }
}
